import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDesktopBackend } from '../../../src-main/services/create-backend';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import { FileKeyProvider } from '../../../src-main/services/key-provider';
import type { DesktopMethod, MethodInput, MethodOutput } from '@shared/contract/desktop-api';
import { until } from '../../support/desktops';
import { startServer } from '../../support/stack';
import { makeTempDir } from '../../support/temp-dir';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

function desktop(serverUrl: string): DesktopBackend {
  const dir = makeTempDir('desk-accounts');
  const backend = createDesktopBackend({ serverUrl, dataDir: dir.path, keys: new FileKeyProvider(join(dir.path, 'cache.key')) });
  cleanup.push(async () => {
    await backend.close();
    dir.remove();
  });
  return backend;
}

async function value<M extends DesktopMethod>(backend: DesktopBackend, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await backend.invoke(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function refusal<M extends DesktopMethod>(backend: DesktopBackend, method: M, input: MethodInput<M>): Promise<{ code: string; field?: string | undefined }> {
  const result = await backend.invoke(method, input);
  if (result.ok) throw new Error(`${method} was not refused`);
  return result.error;
}

describe('accounts, managed from the desktop by an admin', () => {
  it('an admin adds, disables, enables and resets an agent; agents and supervisors are refused by the server', async () => {
    const { server, remove } = await startServer({ demo: false, demoCustomers: 20 });
    cleanup.push(async () => {
      await server.close();
      remove();
    });
    const first = server.firstAdmin!;
    const admin = desktop(server.url);
    const agentDesk = desktop(server.url);

    // The first admin's one-time password is changed at first sign-in; then the admin is in, with no sync, socket or outbox.
    expect((await refusal(admin, 'session.login', { username: first.username, password: first.oneTimePassword })).code).toBe('password_change_required');
    const signedIn = await value(admin, 'session.changePassword', { username: first.username, password: first.oneTimePassword, newPassword: 'admin long password' });
    expect(signedIn.user?.role).toBe('admin');
    const status = await value(admin, 'status.get', {});
    expect(status.sync.phase).toBe('idle');
    expect(status.outboxPending).toBe(0);
    expect(status.connection).toBe('online');
    expect(server.io.of('/').sockets.size).toBe(0);

    // Add an agent: its one-time password must be changed before it signs in.
    const added = await value(admin, 'accounts.add', {
      username: 'nora', displayName: 'Nora Quinn', role: 'agent', languages: [{ code: 'en', proficiency: 5 }, { code: 'he', proficiency: 3 }], skills: ['retention'],
    });
    expect(added.account).toMatchObject({ username: 'nora', role: 'agent', disabled: false, mustChangePassword: true });
    expect((await value(admin, 'accounts.list', {})).users.map((u) => u.username)).toContain('nora');
    expect(await refusal(admin, 'accounts.add', { username: 'nora', displayName: 'Again', role: 'agent' })).toMatchObject({ code: 'conflict' });
    expect(await refusal(admin, 'accounts.add', { username: 'Not Valid', displayName: 'Bad', role: 'agent' })).toMatchObject({ code: 'invalid_request', field: 'username' });
    expect(await refusal(admin, 'accounts.add', { username: 'nobody', displayName: '', role: 'agent' })).toMatchObject({ code: 'invalid_request', field: 'displayName' });

    expect((await refusal(agentDesk, 'session.login', { username: 'nora', password: added.oneTimePassword })).code).toBe('password_change_required');
    await value(agentDesk, 'session.changePassword', { username: 'nora', password: added.oneTimePassword, newPassword: 'nora long password' });
    await until(async () => (await value(agentDesk, 'status.get', {})).connection === 'online', 30_000, "nora's desktop to connect");

    // An agent asking for accounts gets the server's 403.
    expect((await refusal(agentDesk, 'accounts.list', {})).code).toBe('forbidden');
    expect((await refusal(agentDesk, 'accounts.disable', { username: first.username })).code).toBe('forbidden');

    // Disable: the agent is signed out and refused from then on.
    expect((await value(admin, 'accounts.disable', { username: 'nora' })).disabled).toBe(true);
    await until(async () => (await value(agentDesk, 'session.get', {})).user === null, 15_000, "nora's desktop to sign out");
    expect((await value(agentDesk, 'session.get', {})).signedOutReason).toMatch(/disabled/);
    expect((await refusal(agentDesk, 'session.login', { username: 'nora', password: 'nora long password' })).code).toBe('account_disabled');

    // Enable: nora signs in again.
    expect((await value(admin, 'accounts.enable', { username: 'nora' })).disabled).toBe(false);
    expect((await value(agentDesk, 'session.login', { username: 'nora', password: 'nora long password' })).user?.username).toBe('nora');

    // Reset: a new one-time password, to be changed; the old password no longer opens the account.
    const reset = await value(admin, 'accounts.resetPassword', { username: 'nora' });
    expect(reset.account.mustChangePassword).toBe(true);
    expect(reset.oneTimePassword).not.toBe(added.oneTimePassword);
    await until(async () => (await value(agentDesk, 'session.get', {})).user === null, 15_000, "nora's desktop to sign out after the reset");
    expect((await refusal(agentDesk, 'session.login', { username: 'nora', password: 'nora long password' })).code).toBe('unauthorized');
    expect((await refusal(agentDesk, 'session.login', { username: 'nora', password: reset.oneTimePassword })).code).toBe('password_change_required');
    expect((await refusal(admin, 'accounts.resetPassword', { username: 'ghost' })).code).toBe('not_found');

    // A supervisor is refused too.
    const sup = await value(admin, 'accounts.add', { username: 'sam', displayName: 'Sam Lee', role: 'supervisor' });
    await value(agentDesk, 'session.changePassword', { username: 'sam', password: sup.oneTimePassword, newPassword: 'sam long password' });
    expect((await refusal(agentDesk, 'accounts.add', { username: 'eve', displayName: 'Eve', role: 'admin' })).code).toBe('forbidden');
    expect((await refusal(agentDesk, 'accounts.resetPassword', { username: 'nora' })).code).toBe('forbidden');

    // Signing the admin out leaves nothing behind.
    expect((await value(admin, 'session.logout', {})).user).toBeNull();
    expect(admin.contractViolations).toEqual([]);
    expect(agentDesk.contractViolations).toEqual([]);
  });
});
