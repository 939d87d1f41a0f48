import { resolve } from 'node:path';
import { DEMO_TELEPHONY_KEY, type ServerConfigInput } from '../../src-server/config';
import { startRoutingServer, type RunningServer } from '../../src-server/routing-server';
import { startBrowserMode } from '../../src-main/web-host/browser-mode';
import type { RunningWebHost } from '../../src-main/web-host/web-host';
import { makeTempDir } from './temp-dir';

export interface TestStack {
  server: RunningServer;
  web: RunningWebHost;
  /** Posts a call as the telephony adapter would. */
  postCall(body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startServer(overrides: ServerConfigInput = {}): Promise<{ server: RunningServer; remove(): void }> {
  const dir = makeTempDir('server');
  const server = await startRoutingServer({
    port: 0, dataDir: dir.path, demoCustomers: 300, demoAsOf: '2026-11-20', logLevel: 'silent', ...overrides,
  });
  return { server, remove: dir.remove };
}

export async function api(server: { url: string }, method: string, path: string, body?: unknown, token: string = DEMO_TELEPHONY_KEY): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(path, server.url), {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body !== undefined ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined,
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

/** Signs a demo user in over HTTP: their token and agent id. */
export async function login(server: { url: string }, username: string): Promise<{ token: string; agentId: string }> {
  const response = await api(server, 'POST', '/api/auth/login', { username, password: 'demo' }, '');
  if (response.status !== 200) throw new Error(`login failed for ${username}: ${JSON.stringify(response.body)}`);
  return { token: String(response.body.token), agentId: String((response.body.agent as { id: string }).id) };
}

/** A routing server and a browser-mode desktop host, both real, on loopback. */
export async function startStack(overrides: ServerConfigInput = {}): Promise<TestStack> {
  const { server, remove } = await startServer(overrides);
  const desktopDir = makeTempDir('desktop');
  const web = await startBrowserMode({ serverUrl: server.url, dataDir: desktopDir.path, rendererDir: resolve(import.meta.dirname, '../../dist/renderer'), port: 0 });
  return {
    server, web,
    postCall: (body) => api(server, 'POST', '/api/calls', body),
    async close() {
      await web.close();
      await server.close();
      desktopDir.remove();
      remove();
    },
  };
}
