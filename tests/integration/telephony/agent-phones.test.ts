import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src-server/routing-server';
import { api, supervisorToken } from '../routing/helpers';
import { startServer } from '../../support/stack';

describe("agents' phone addresses, edited by a supervisor", () => {
  let server: RunningServer;
  let remove: () => void;
  let token: string;
  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 20 }));
    token = await supervisorToken(server);
  });
  afterAll(async () => {
    await server.close();
    remove();
  });

  it('sets a SIP URI or an extension, shows it with the agent, clears it, and refuses anything else naming the field', async () => {
    const set = await api(server, 'PATCH', '/api/agents/A001', { phoneAddress: 'sip:1001@pbx.example.com' }, token);
    expect(set.status).toBe(200);
    expect(set.body.phoneAddress).toBe('sip:1001@pbx.example.com');
    await api(server, 'PATCH', '/api/agents/A002', { phoneAddress: '1002' }, token);
    const list = await api(server, 'GET', '/api/agents', undefined, token);
    const phones = Object.fromEntries((list.body.agents as Array<{ id: string; phoneAddress: string | null }>).map((a) => [a.id, a.phoneAddress]));
    expect(phones).toMatchObject({ A001: 'sip:1001@pbx.example.com', A002: '1002', A003: null });
    expect(await server.store.agentPhones()).toEqual({ A001: 'sip:1001@pbx.example.com', A002: '1002' });

    const bad = await api(server, 'PATCH', '/api/agents/A001', { phoneAddress: 'call me maybe' }, token);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/phoneAddress/);
    expect((await server.store.agentPhones()).A001).toBe('sip:1001@pbx.example.com');

    const cleared = await api(server, 'PATCH', '/api/agents/A002', { phoneAddress: null }, token);
    expect(cleared.body.phoneAddress).toBeNull();
    // Only supervisors: the telephony key may not change where calls ring.
    expect((await api(server, 'PATCH', '/api/agents/A001', { phoneAddress: '9999' })).status).toBe(403);
  });
});
