import { readFile as readFileFromDisk } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../security/content-security-policy';
import { APP_HOST, APP_SCHEME } from './app-origin';

/**
 * Serves the built renderer on app://holdfast. Kept free of Electron so the
 * request-to-file mapping and the headers can be tested under plain Node;
 * main.ts only passes `createAppProtocolHandler(...)` to `protocol.handle`.
 */

export type AppRequestTarget =
  | { kind: 'file'; path: string }
  | { kind: 'not-found'; reason: string };

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers on every app:// response, errors included, so no page ever loads without the CSP. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

function isInside(root: string, candidate: string): boolean {
  return candidate.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Maps an app:// URL to a file under `rendererDir`. The decoded path is
 * resolved and must stay inside the renderer directory, whatever dot
 * segments, encoded slashes or backslashes it carries.
 */
export function resolveAppRequest(requestUrl: string, rendererDir: string): AppRequestTarget {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { kind: 'not-found', reason: 'malformed URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname.toLowerCase() !== APP_HOST) return { kind: 'not-found', reason: 'foreign host' };

  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { kind: 'not-found', reason: 'malformed escape' };
  }
  if (pathname.includes('\0')) return { kind: 'not-found', reason: 'NUL in path' };
  if (pathname === '' || pathname.endsWith('/') || pathname.endsWith('\\')) pathname += 'index.html';

  const root = resolve(rendererDir);
  // The leading "." keeps an absolute-looking path ("/etc/passwd") relative to the root.
  const target = resolve(root, `.${pathname.startsWith('/') ? '' : '/'}${pathname}`);
  if (!isInside(root, target)) return { kind: 'not-found', reason: 'outside the renderer directory' };
  return { kind: 'file', path: target };
}

export interface AppProtocolOptions {
  rendererDir: string;
  /** Injected for tests; Electron's fs also reads from inside app.asar. */
  readFile?: (path: string) => Promise<Uint8Array>;
}

function textResponse(status: number, message: string): Response {
  return new Response(message, { status, headers: appResponseHeaders('text/plain; charset=utf-8') });
}

const MISSING_FILE_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const readFile = options.readFile ?? readFileFromDisk;
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed');
    const target = resolveAppRequest(request.url, options.rendererDir);
    if (target.kind === 'not-found') return textResponse(404, 'Not found');
    let body: Uint8Array;
    try {
      body = await readFile(target.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      if (code !== undefined && MISSING_FILE_CODES.has(code)) return textResponse(404, 'Not found');
      return textResponse(500, 'Could not read the file');
    }
    const headers = appResponseHeaders(contentTypeFor(target.path));
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
