import { expect, it } from 'vitest';
import { describeStoreContract } from './contract-harness';
import * as fx from './fixtures';

describeStoreContract('AgentStore', (h) => {
  it('upserts and finds agents by username, listing them by id', async () => {
    await h.store.upsertAgent(fx.agent(2), 'hash-2');
    await h.store.upsertAgent(fx.agent(1, { role: 'supervisor' }), 'hash-1');
    expect(await h.store.agentByUsername('agent1')).toEqual({ agent: fx.agent(1, { role: 'supervisor' }), passwordHash: 'hash-1' });
    expect(await h.store.agentByUsername('nobody')).toBeNull();
    expect((await h.store.listAgents()).map((a) => a.id)).toEqual(['A-0001', 'A-0002']);

    await h.store.upsertAgent(fx.agent(1, { username: 'renamed', displayName: 'Renamed' }), 'hash-1b');
    expect(await h.store.agentByUsername('agent1')).toBeNull();
    expect(await h.store.agentByUsername('renamed')).toEqual({ agent: fx.agent(1, { username: 'renamed', displayName: 'Renamed' }), passwordHash: 'hash-1b' });
    expect(await h.store.listAgents()).toHaveLength(2);
  });
});
