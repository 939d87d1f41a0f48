import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../../../src-server/auth/tokens';
import { startRoutingServer, type RunningServer } from '../../../src-server/routing-server';
import { api } from '../../support/stack';
import { handshake } from '../../support/socket-agent';
import { makeTempDir } from '../../support/temp-dir';

const signIn = (server: RunningServer, username: string, password: string) => api(server, 'POST', '/api/auth/login', { username, password }, '');

describe('accounts with demo off', () => {
  let server: RunningServer;
  let dir: { path: string; remove(): void };
  let adminToken: string;

  beforeAll(async () => {
    dir = makeTempDir('accounts');
    server = await startRoutingServer({ port: 0, dataDir: dir.path, demo: false, logLevel: 'silent', signIn: { maxFailures: 3 } });
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  /** Adds an account through the admin route and sets its own password. */
  async function addUser(username: string, role: 'agent' | 'supervisor' | 'admin'): Promise<string> {
    const added = await api(server, 'POST', '/api/admin/users', { username, displayName: username, role }, adminToken);
    expect(added.status).toBe(200);
    const oneTime = String(added.body.oneTimePassword);
    expect((await api(server, 'POST', '/api/auth/password', { username, password: oneTime, newPassword: `${username}-long-password` }, '')).status).toBe(200);
    return `${username}-long-password`;
  }

  it('creates the first admin at set-up with a one-time password that must be changed before signing in', async () => {
    expect(server.firstAdmin?.username).toBe('admin');
    const oneTime = server.firstAdmin!.oneTimePassword;
    const first = await signIn(server, 'admin', oneTime);
    expect(first.status).toBe(403);
    expect(first.body.error).toBe('password_change_required');
    const weak = await api(server, 'POST', '/api/auth/password', { username: 'admin', password: oneTime, newPassword: 'demo' }, '');
    expect(weak.status).toBe(400);
    expect((await api(server, 'POST', '/api/auth/password', { username: 'admin', password: oneTime, newPassword: 'correct horse battery' }, '')).status).toBe(200);
    const signedIn = await signIn(server, 'admin', 'correct horse battery');
    expect(signedIn.status).toBe(200);
    expect((signedIn.body.agent as { role: string }).role).toBe('admin');
    adminToken = String(signedIn.body.token);
    // Admins are not on the floor: no socket, no routing.
    expect(await handshake(server, adminToken)).toBe('unauthorized');
  });

  it('admin routes are for admins only', async () => {
    const password = await addUser('sara', 'supervisor');
    const supervisor = String((await signIn(server, 'sara', password)).body.token);
    expect((await api(server, 'GET', '/api/admin/users', undefined, supervisor)).status).toBe(403);
    expect((await api(server, 'POST', '/api/admin/users', { username: 'x1', displayName: 'X', role: 'admin' }, supervisor)).status).toBe(403);
    const listed = await api(server, 'GET', '/api/admin/users', undefined, adminToken);
    expect((listed.body.users as Array<{ username: string }>).map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'sara']));
    const bad = await api(server, 'POST', '/api/admin/users', { username: 'Bad Name', displayName: 'X', role: 'agent' }, adminToken);
    expect(bad.status).toBe(400);
    expect((await api(server, 'POST', '/api/admin/users', { username: 'sara', displayName: 'X', role: 'agent' }, adminToken)).status).toBe(409);
  });

  it("a disabled agent's token is refused on the next request and socket, and it cannot sign in", async () => {
    const password = await addUser('zoe', 'agent');
    const token = String((await signIn(server, 'zoe', password)).body.token);
    expect((await api(server, 'GET', '/api/sync/snapshot?limit=1', undefined, token)).status).toBe(200);
    expect(await handshake(server, token)).toBe('connected');
    // A desktop connected when the account is disabled is dropped at once.
    const live = connect(server.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve) => live.on('connect', () => resolve()));
    const dropped = new Promise<string>((resolve) => live.on('disconnect', (reason) => resolve(reason)));
    expect((await api(server, 'POST', '/api/admin/users/zoe/disable', undefined, adminToken)).status).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    const refused = await api(server, 'GET', '/api/sync/snapshot?limit=1', undefined, token);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('account_disabled');
    expect(await handshake(server, token)).toBe('account_disabled');
    expect((await signIn(server, 'zoe', password)).body.error).toBe('account_disabled');
    expect((await api(server, 'POST', '/api/admin/users/zoe/enable', undefined, adminToken)).status).toBe(200);
    // Enabled again, but the tokens issued before the disable stay revoked.
    expect((await api(server, 'GET', '/api/sync/snapshot?limit=1', undefined, token)).body.error).toBe('token_revoked');
    expect((await signIn(server, 'zoe', password)).status).toBe(200);
  });

  it('refresh tokens rotate; sign-out and a password change revoke access and refresh tokens', async () => {
    const password = await addUser('leo', 'agent');
    const first = await signIn(server, 'leo', password);
    const refreshed = await api(server, 'POST', '/api/auth/refresh', { refreshToken: first.body.refreshToken }, '');
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(first.body.refreshToken);
    // A refresh token works once.
    const reused = await api(server, 'POST', '/api/auth/refresh', { refreshToken: first.body.refreshToken }, '');
    expect(reused.status).toBe(401);
    expect(reused.body.error).toBe('token_revoked');
    const token = String(refreshed.body.token);
    expect((await api(server, 'GET', '/api/sync/snapshot?limit=1', undefined, token)).status).toBe(200);
    expect((await api(server, 'POST', '/api/auth/logout', undefined, token)).status).toBe(200);
    expect((await api(server, 'GET', '/api/sync/snapshot?limit=1', undefined, token)).body.error).toBe('token_revoked');
    expect(await handshake(server, token)).toBe('token_revoked');
    expect((await api(server, 'POST', '/api/auth/refresh', { refreshToken: refreshed.body.refreshToken }, '')).status).toBe(401);

    const again = await signIn(server, 'leo', password);
    expect((await api(server, 'POST', '/api/auth/password', { username: 'leo', password, newPassword: 'another long password' }, '')).status).toBe(200);
    expect((await api(server, 'GET', '/api/sync/snapshot?limit=1', undefined, String(again.body.token))).body.error).toBe('token_revoked');
    expect((await api(server, 'POST', '/api/auth/refresh', { refreshToken: again.body.refreshToken }, '')).status).toBe(401);
  });

  it('an expired access token is refused as token_expired, on HTTP and on the socket', async () => {
    const password = await addUser('ivy', 'agent');
    const { agent } = (await signIn(server, 'ivy', password)).body as { agent: { id: string } };
    const expired = (await new TokenService(server.config.tokenSecret, -60).issue({ subject: agent.id, role: 'agent', tokenVersion: 0 })).token;
    expect((await api(server, 'GET', '/api/sync/snapshot?limit=1', undefined, expired)).body.error).toBe('token_expired');
    expect(await handshake(server, expired)).toBe('token_expired');
  });

  it('locks a user name after repeated failures, with a clear error and retry-after', async () => {
    const password = await addUser('max', 'agent');
    expect((await signIn(server, 'max', 'wrong-1')).status).toBe(401);
    expect((await signIn(server, 'max', 'wrong-2')).status).toBe(401);
    const locked = await fetch(new URL('/api/auth/login', server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'max', password: 'wrong-3' }) });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await locked.json()) as { error: string }).error).toBe('locked');
    // Even the right password waits out the lock.
    expect((await signIn(server, 'max', password)).status).toBe(429);
  });

  it('a store failure during the handshake is reported as unavailable, not unauthorized', async () => {
    const password = await addUser('kim', 'agent');
    const token = String((await signIn(server, 'kim', password)).body.token);
    const store = server.store;
    const original = store.accountById.bind(store);
    store.accountById = () => Promise.reject(new Error('database is down'));
    try {
      expect(await handshake(server, token)).toBe('unavailable');
      expect((await api(server, 'GET', '/api/sync/snapshot?limit=1', undefined, token)).status).toBe(503);
    } finally {
      store.accountById = original;
    }
    expect(await handshake(server, token)).toBe('connected');
  });
});

describe('sign-in limits per address', () => {
  it('an address that fails too often over any user names must wait', async () => {
    const dir = makeTempDir('accounts-ip');
    const server = await startRoutingServer({ port: 0, dataDir: dir.path, demo: false, logLevel: 'silent', signIn: { maxFailures: 100, maxFailuresPerIp: 3 } });
    try {
      for (const name of ['u1', 'u2']) expect((await signIn(server, name, 'wrong')).status).toBe(401);
      const third = await signIn(server, 'u3', 'wrong');
      expect(third.status).toBe(429);
      expect(third.body.error).toBe('locked');
      expect((await signIn(server, 'u4', 'anything')).status).toBe(429);
    } finally {
      await server.close();
      dir.remove();
    }
  });
});
