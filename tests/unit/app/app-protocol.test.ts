import { mkdirSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/security/content-security-policy';
import { appResponseHeaders, contentTypeFor, createAppProtocolHandler, resolveAppRequest } from '../../../src-main/app/app-protocol';
import { makeTempDir } from '../../support/temp-dir';

const temp = makeTempDir('app-protocol');
const rendererDir = join(temp.path, 'renderer');

beforeAll(() => {
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Holdfast</title>');
  writeFileSync(join(rendererDir, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(temp.path, 'secret.txt'), 'TOP SECRET');
  mkdirSync(join(temp.path, 'renderer-evil'));
  writeFileSync(join(temp.path, 'renderer-evil', 'x.txt'), 'SIBLING SECRET');
});
afterAll(() => temp.remove());

describe('resolveAppRequest', () => {
  it('maps / and the entry to index.html, and assets to their files', () => {
    expect(resolveAppRequest('app://holdfast/', rendererDir)).toEqual({ kind: 'file', path: join(rendererDir, 'index.html') });
    expect(resolveAppRequest('app://holdfast', rendererDir)).toEqual({ kind: 'file', path: join(rendererDir, 'index.html') });
    expect(resolveAppRequest('app://holdfast/index.html?x=1#frag', rendererDir)).toEqual({ kind: 'file', path: join(rendererDir, 'index.html') });
    expect(resolveAppRequest('app://holdfast/assets/app-1234.js', rendererDir)).toEqual({ kind: 'file', path: join(rendererDir, 'assets', 'app-1234.js') });
    expect(resolveAppRequest('app://holdfast/assets/a%20b.js', rendererDir)).toEqual({ kind: 'file', path: join(rendererDir, 'assets', 'a b.js') });
  });

  it.each([
    'app://holdfast/../../etc/passwd',
    'app://holdfast/%2e%2e/%2e%2e/etc/passwd',
    'app://holdfast/%2E%2E/secret.txt',
    'app://holdfast/..%2f..%2fetc%2fpasswd',
    'app://holdfast/..%2fsecret.txt',
    'app://holdfast/..%5csecret.txt',
    'app://holdfast/..%2frenderer-evil%2fx.txt',
    'app://holdfast/assets/..%2f..%2fsecret.txt',
  ])('never resolves %s outside the renderer directory', (url) => {
    const target = resolveAppRequest(url, rendererDir);
    expect(target.kind === 'not-found' || target.path.startsWith(rendererDir + sep)).toBe(true);
  });

  it('refuses encoded traversal outright', () => {
    expect(resolveAppRequest('app://holdfast/..%2f..%2fetc%2fpasswd', rendererDir).kind).toBe('not-found');
    expect(resolveAppRequest('app://holdfast/..%2frenderer-evil%2fx.txt', rendererDir).kind).toBe('not-found');
  });

  it('refuses other hosts and schemes, bad escapes and NUL bytes', () => {
    expect(resolveAppRequest('app://evil/index.html', rendererDir).kind).toBe('not-found');
    expect(resolveAppRequest('file:///etc/passwd', rendererDir).kind).toBe('not-found');
    expect(resolveAppRequest('https://holdfast/index.html', rendererDir).kind).toBe('not-found');
    expect(resolveAppRequest('app://holdfast/%E0%A4%A', rendererDir).kind).toBe('not-found');
    expect(resolveAppRequest('app://holdfast/index.html%00.png', rendererDir).kind).toBe('not-found');
    expect(resolveAppRequest('::not a url', rendererDir).kind).toBe('not-found');
  });
});

describe('headers', () => {
  it('sends a policy with no inline or eval escape hatch', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/style-src 'self'(;|$)/);
  });

  it('carries the CSP and nosniff, with the right content type', () => {
    const headers = appResponseHeaders(contentTypeFor('x/index.html'));
    expect(headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('a/b.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('a/b.woff2')).toBe('font/woff2');
    expect(contentTypeFor('a/b.unknown')).toBe('application/octet-stream');
  });
});

describe('createAppProtocolHandler', () => {
  const handle = createAppProtocolHandler({ rendererDir });

  it('serves index.html for / with the CSP header', async () => {
    const response = await handle(new Request('app://holdfast/'));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Holdfast</title>');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('serves assets with their types', async () => {
    const script = await handle(new Request('app://holdfast/assets/app-1234.js'));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    const css = await handle(new Request('app://holdfast/assets/style.css'));
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it.each([
    'app://holdfast/../../etc/passwd',
    'app://holdfast/%2e%2e/secret.txt',
    'app://holdfast/..%2fsecret.txt',
    'app://holdfast/..%2frenderer-evil%2fx.txt',
    'app://holdfast/missing.js',
    'app://holdfast/assets',
    'app://other/index.html',
  ])('answers 404 with the CSP for %s, and never leaks the secret', async (url) => {
    const response = await handle(new Request(url));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await response.text()).not.toMatch(/SECRET/);
  });

  it('allows only GET and HEAD', async () => {
    const post = await handle(new Request('app://holdfast/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
    const head = await handle(new Request('app://holdfast/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers 500, not a crash, when the file cannot be read', async () => {
    const failing = createAppProtocolHandler({
      rendererDir,
      readFile: async () => {
        throw Object.assign(new Error('denied'), { code: 'EACCES' });
      },
    });
    const response = await failing(new Request('app://holdfast/index.html'));
    expect(response.status).toBe(500);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});
