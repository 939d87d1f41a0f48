import { expect, it } from 'vitest';
import { describeStoreContract } from './contract-harness';
import * as fx from './fixtures';

describeStoreContract('AccountStore', (h) => {
  it('keeps sign-in state beside each account; admins are accounts but not on the floor', async () => {
    await h.store.upsertAgent(fx.agent(1), 'hash-1');
    await h.store.upsertAgent(fx.agent(2, { role: 'admin' }), 'hash-2');
    expect(await h.store.accountById('A-0001')).toEqual({ agent: fx.agent(1), disabled: false, mustChangePassword: false, tokenVersion: 0 });
    expect(await h.store.accountById('nobody')).toBeNull();
    expect((await h.store.listAccounts()).map((a) => a.agent.id)).toEqual(['A-0001', 'A-0002']);
    expect((await h.store.listAgents()).map((a) => a.id)).toEqual(['A-0001']);

    await h.store.setPassword('A-0001', 'hash-1b', true);
    expect(await h.store.agentByUsername('agent1')).toMatchObject({ passwordHash: 'hash-1b' });
    expect(await h.store.accountById('A-0001')).toMatchObject({ mustChangePassword: true, tokenVersion: 1 });
    await h.store.rehashPassword('A-0001', 'hash-1c');
    expect(await h.store.accountById('A-0001')).toMatchObject({ tokenVersion: 1 });
    await h.store.setDisabled('A-0001', true);
    expect(await h.store.accountById('A-0001')).toMatchObject({ disabled: true, tokenVersion: 2 });
    await h.reopen();
    expect(await h.store.accountById('A-0001')).toMatchObject({ disabled: true, mustChangePassword: true, tokenVersion: 2 });
    expect(await h.store.agentByUsername('agent1')).toMatchObject({ passwordHash: 'hash-1c' });
  });

  it('a refresh token works once, not after it expires, and not after the account revokes its tokens', async () => {
    await h.store.upsertAgent(fx.agent(1), 'hash-1');
    await h.store.putRefreshToken('t1', 'A-0001', '2026-12-01T12:00:00.000Z');
    await h.store.putRefreshToken('t2', 'A-0001', '2026-12-01T12:00:00.000Z');
    await h.store.putRefreshToken('t3', 'A-0001', '2026-12-01T10:00:00.000Z');
    expect(await h.store.takeRefreshToken('t1', '2026-12-01T11:00:00.000Z')).toBe('A-0001');
    expect(await h.store.takeRefreshToken('t1', '2026-12-01T11:00:00.000Z')).toBeNull();
    expect(await h.store.takeRefreshToken('t3', '2026-12-01T11:00:00.000Z')).toBeNull();
    await h.store.revokeTokens('A-0001');
    expect(await h.store.takeRefreshToken('t2', '2026-12-01T11:00:00.000Z')).toBeNull();
    expect(await h.store.accountById('A-0001')).toMatchObject({ tokenVersion: 1 });
  });
});
