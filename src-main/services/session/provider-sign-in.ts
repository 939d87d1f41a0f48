import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OIDC_RETURN_PARAMS } from '@shared/contract/server-http';
import { BackendError } from '../desk/backend-error';

/** How long the system browser has to come back. */
export const SYSTEM_BROWSER_TIMEOUT_MS = 5 * 60_000;

/** The routing server's start URL for a provider sign-in that comes back to `returnTo`. */
export const providerStartUrl = (serverUrl: string, returnTo: string): string =>
  `${serverUrl.replace(/\/+$/, '')}/api/auth/oidc/start?${new URLSearchParams({ returnTo })}`;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>Holdfast</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`;

/** Browser mode has no system browser of its own: its page goes to the provider itself. */
export const noSystemBrowser = (): BackendError =>
  new BackendError('invalid_request', 'This desktop has no system browser to sign in with: use the sign-in page');

/** The provider's refusal as the desktop's error. */
export function providerRefusal(code: string, description: string | null): BackendError {
  return new BackendError(code === 'account_disabled' ? 'account_disabled' : 'forbidden', description ?? `The sign-in was refused (${code})`);
}

/**
 * A provider sign-in in the system browser (RFC 8252): a listener on 127.0.0.1 at a random port
 * and path, the browser opened at the server's start URL, and the one-time code the browser
 * comes back with. The listener takes one answer and closes.
 */
export async function codeFromSystemBrowser(serverUrl: string, open: (url: string) => Promise<void>, timeoutMs = SYSTEM_BROWSER_TIMEOUT_MS): Promise<string> {
  const path = `/holdfast-sign-in/${randomBytes(16).toString('base64url')}`;
  let settle: { resolve(code: string): void; reject(error: Error): void } | null = null;
  const answer = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Awaited below; a refusal that comes while the browser is still being opened is not an unhandled one.
  answer.catch(() => undefined);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== path || settle === null) {
      res.writeHead(404).end();
      return;
    }
    const code = url.searchParams.get(OIDC_RETURN_PARAMS.code);
    const error = url.searchParams.get(OIDC_RETURN_PARAMS.error);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    if (code) {
      res.end(page('Signed in', 'You are signed in to Holdfast: you can close this tab.'));
      settle.resolve(code);
    } else {
      res.end(page('Sign-in refused', url.searchParams.get(OIDC_RETURN_PARAMS.description) ?? 'The sign-in did not finish.'));
      settle.reject(providerRefusal(error ?? 'unknown', url.searchParams.get(OIDC_RETURN_PARAMS.description)));
    }
    settle = null;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const timer = setTimeout(() => settle?.reject(new BackendError('timeout', 'The sign-in in the browser did not finish in time')), timeoutMs);
  try {
    const returnTo = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
    await open(providerStartUrl(serverUrl, returnTo));
    return await answer;
  } finally {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
  }
}
