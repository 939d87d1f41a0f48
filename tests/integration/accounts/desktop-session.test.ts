import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountAdmin } from '../../../src-server/auth/account-admin';
import { createDesktopBackend } from '../../../src-main/services/create-backend';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import { FileKeyProvider } from '../../../src-main/services/key-provider';
import type { RunningServer } from '../../../src-server/routing-server';
import { signInAndSync, until } from '../../support/desktops';
import { startServer } from '../../support/stack';
import { makeTempDir } from '../../support/temp-dir';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Longer than the server's account cache, so the next check reads the store. */
const PAST_ACCOUNT_CACHE_MS = 2_200;

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function setUp(overrides: Parameters<typeof startServer>[0] = {}): Promise<{ server: RunningServer; backend: DesktopBackend }> {
  const { server, remove } = await startServer({ demoCustomers: 30, ...overrides });
  const dir = makeTempDir('desk-auth');
  const backend = createDesktopBackend({ serverUrl: server.url, dataDir: dir.path, keys: new FileKeyProvider(join(dir.path, 'cache.key')) });
  cleanup.push(async () => {
    await server.close();
    remove();
  }, async () => {
    await backend.close();
    dir.remove();
  });
  return { server, backend };
}

/** Closes every desktop's connection the way a network blip does: socket.io reconnects, with a new handshake. */
function dropConnections(server: RunningServer): void {
  for (const socket of server.io.of('/').sockets.values()) socket.conn.close();
}

const status = async (backend: DesktopBackend) => {
  const result = await backend.invoke('status.get', {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};
const session = async (backend: DesktopBackend) => {
  const result = await backend.invoke('session.get', {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

describe('the desktop session and its tokens', () => {
  it('renews the access token before it expires and keeps working past its lifetime', async () => {
    const { server, backend } = await setUp({ accessTokenMinutes: 0.05 });
    await signInAndSync(backend, 'marcus');
    // Three access-token lifetimes later, HTTP and the socket still work.
    await sleep(9_000);
    const agents = await backend.invoke('agents.list', {});
    expect(agents.ok).toBe(true);
    dropConnections(server);
    await until(async () => (await status(backend)).connection === 'online' && server.io.of('/').sockets.size === 1, 15_000, 'the desktop to reconnect');
    expect((await session(backend)).user?.username).toBe('marcus');
  });

  it('a handshake refused by a store failure is retried with backoff, not signed out, and reconnects once the store is back', async () => {
    const { server, backend } = await setUp();
    await signInAndSync(backend, 'ava');
    const original = server.store.accountById.bind(server.store);
    server.store.accountById = () => Promise.reject(new Error('database is down'));
    try {
      await sleep(PAST_ACCOUNT_CACHE_MS);
      dropConnections(server);
      await until(async () => (await status(backend)).notice?.includes('could not check your sign-in') ?? false, 15_000, 'the status to say the server could not check');
      expect((await session(backend)).user?.username).toBe('ava');
    } finally {
      server.store.accountById = original;
    }
    await until(async () => (await status(backend)).connection === 'online', 30_000, 'the desktop to reconnect');
    expect((await status(backend)).notice).toBeNull();
    expect((await session(backend)).user?.username).toBe('ava');
  });

  it('signs the agent out with the reason when the account is disabled (socket) or the session revoked (HTTP)', async () => {
    const { server, backend } = await setUp();
    await signInAndSync(backend, 'ava');
    // Through the server (the admin routes' path): the live socket is dropped and its new handshake refused.
    await server.accounts.setDisabled('ava', true);
    await until(async () => (await session(backend)).user === null, 15_000, 'the desktop to sign out');
    expect((await session(backend)).signedOutReason).toMatch(/disabled/);

    await signInAndSync(backend, 'marcus');
    expect((await session(backend)).signedOutReason).toBeNull();
    await server.store.revokeTokens('S002');
    await sleep(PAST_ACCOUNT_CACHE_MS);
    expect((await backend.invoke('agents.list', {})).ok).toBe(false);
    await until(async () => (await session(backend)).user === null, 5_000, 'the desktop to sign out');
    expect((await session(backend)).signedOutReason).toMatch(/session was ended/);
  });

  it('a one-time password is changed from the login screen, then the agent is signed in; so is an admin', async () => {
    const { server, backend } = await setUp({ demo: false });
    const { oneTimePassword } = await new AccountAdmin(server.store).add({ username: 'nora', displayName: 'Nora', role: 'agent' });
    const first = await backend.invoke('session.login', { username: 'nora', password: oneTimePassword });
    expect(first.ok ? null : first.error.code).toBe('password_change_required');
    const tooShort = await backend.invoke('session.changePassword', { username: 'nora', password: oneTimePassword, newPassword: 'short' });
    expect(tooShort.ok ? null : tooShort.error.code).toBe('invalid_request');
    const changed = await backend.invoke('session.changePassword', { username: 'nora', password: oneTimePassword, newPassword: 'a much longer password' });
    expect(changed.ok && changed.value.user?.username).toBe('nora');
    await until(async () => (await status(backend)).connection === 'online', 15_000, 'the desktop to connect');

    const admin = server.firstAdmin!;
    await backend.invoke('session.changePassword', { username: admin.username, password: admin.oneTimePassword, newPassword: 'admin long password' });
    const signedIn = await backend.invoke('session.login', { username: admin.username, password: 'admin long password' });
    expect(signedIn.ok && signedIn.value.user?.role).toBe('admin');
    expect((await status(backend)).sync.phase).toBe('idle');
  });
});
