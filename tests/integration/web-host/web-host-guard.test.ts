import { request, type IncomingHttpHeaders } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import { startWebHost, type RunningWebHost } from '../../../src-main/web-host/web-host';
import { makeTempDir } from '../../support/temp-dir';

/*
 * Browser mode's local host against a page on another site: DNS rebinding
 * (a hostile name resolving to 127.0.0.1), hostile Origin headers, and a
 * request that never saw the launch URL. The backend is a stand-in: what is
 * tested is who reaches it.
 */

const temp = makeTempDir('web-host-guard');
let web: RunningWebHost;
let port: number;
let cookie: string;
let invoked = 0;

const stubBackend = {
  on: () => () => undefined,
  invoke: async () => {
    invoked += 1;
    return { ok: true, value: 'pong' };
  },
  close: async () => undefined,
} as unknown as DesktopBackend;

interface Answer { status: number; headers: IncomingHttpHeaders; body: string; upgraded: boolean }

/** A raw HTTP request, so Host and Origin can be anything a hostile page or rebinding DNS would send. */
function raw(path: string, headers: Record<string, string>, upgrade = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', setHost: false, headers: upgrade ? {
      connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers,
    } : headers });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: '', upgraded: true });
    });
    req.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body, upgraded: false }));
    });
    req.on('error', reject);
    req.end();
  });
}

const good = (): Record<string, string> => ({ host: `127.0.0.1:${port}`, cookie });
const BRIDGE_WS = '/bridge/?EIO=4&transport=websocket';
const BRIDGE_POLL = '/bridge/?EIO=4&transport=polling';

beforeAll(async () => {
  const rendererDir = join(temp.path, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Holdfast test</title>');
  web = await startWebHost({ rendererDir, createBackend: () => stubBackend, port: 0 });
  port = Number(new URL(web.origin).port);
  const launch = new URL(web.url);
  const opened = await raw(`${launch.pathname}${launch.search}`, { host: `127.0.0.1:${port}` });
  expect(opened.status).toBe(303);
  const setCookie = String(opened.headers['set-cookie']);
  cookie = setCookie.split(';')[0] as string;
});
afterAll(async () => {
  await web.close();
  temp.remove();
});

describe('browser-mode web host', () => {
  it('prints a launch URL with a secret that becomes an HttpOnly, SameSite=Strict cookie and leaves the address bar', async () => {
    expect(web.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?launch=[A-Za-z0-9_-]{43}$`));
    const opened = await raw(new URL(web.url).search.replace(/^/, '/'), { host: `127.0.0.1:${port}` });
    expect(opened.headers.location).toBe('/');
    expect(String(opened.headers['set-cookie'])).toMatch(/HttpOnly/);
    expect(String(opened.headers['set-cookie'])).toMatch(/SameSite=Strict/);
    const page = await raw('/', good());
    expect(page.status).toBe(200);
    expect(page.body).toContain('Holdfast test');
    for (const name of ['localhost', '[::1]']) expect((await raw('/', { ...good(), host: `${name}:${port}` })).status).toBe(200);
  });

  it('refuses a request without the launch secret, or with a wrong one', async () => {
    expect((await raw('/', { host: `127.0.0.1:${port}` })).status).toBe(403);
    expect((await raw('/', { host: `127.0.0.1:${port}`, cookie: `holdfast_launch_${port}=wrong` })).status).toBe(403);
    expect((await raw('/?launch=wrong', { host: `127.0.0.1:${port}` })).status).toBe(403);
    expect((await raw(BRIDGE_POLL, { host: `127.0.0.1:${port}` })).status).toBe(403);
    expect((await raw(BRIDGE_WS, { host: `127.0.0.1:${port}` }, true)).upgraded).toBe(false);
  });

  it('refuses a rebinding Host on HTTP and on the bridge socket, even with the secret', async () => {
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1:${port + 1}`, `127.0.0.1.evil.example:${port}`, '127.0.0.1', '']) {
      expect((await raw('/', { ...good(), host })).status, host).toBe(403);
      expect((await raw(BRIDGE_POLL, { ...good(), host })).status, host).toBe(403);
      expect((await raw(BRIDGE_WS, { ...good(), host }, true)).upgraded, host).toBe(false);
    }
  });

  it('refuses hostile Origin values without harm and keeps serving', async () => {
    const hostile = [
      'http://evil.example', 'null', 'not a url', 'http://', '://', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`,
      `http://localhost:${port}`, `http://127.0.0.1:${port}/path`, `http://127.0.0.1:${port}.evil.example`, `http://${'a'.repeat(8_000)}.example`, '%%%',
    ];
    for (const origin of hostile) {
      expect((await raw('/', { ...good(), origin })).status, origin.slice(0, 60)).toBe(403);
      expect((await raw(BRIDGE_POLL, { ...good(), origin })).status, origin.slice(0, 60)).toBe(403);
      expect((await raw(BRIDGE_WS, { ...good(), origin }, true)).upgraded, origin.slice(0, 60)).toBe(false);
    }
    expect((await raw('/', { ...good(), origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await raw(BRIDGE_WS, { ...good(), origin: `http://127.0.0.1:${port}` }, true)).upgraded).toBe(true);
  });

  it('lets the page it served drive the backend over the bridge', async () => {
    const socket = io(web.origin, { path: '/bridge', auth: { session: 'session-0001' }, transports: ['websocket'], extraHeaders: { cookie, origin: web.origin } });
    try {
      const result: unknown = await socket.timeout(5_000).emitWithAck('invoke', 'call.current', {});
      expect(result).toEqual({ ok: true, value: 'pong' });
      expect(invoked).toBe(1);
    } finally {
      socket.close();
    }
  });

  it('does not serve other machines', async () => {
    await expect(startWebHost({ rendererDir: join(temp.path, 'renderer'), createBackend: () => stubBackend, host: '0.0.0.0' })).rejects.toThrow(/only this machine/);
  });
});
