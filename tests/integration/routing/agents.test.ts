import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src-server/routing-server';
import { startServer } from '../../support/stack';
import { api, login, postCall, readyDesk, sleep, supervisorToken, waitFor, type Desk } from './helpers';

describe('supervisors edit agents', () => {
  let server: RunningServer;
  let remove: () => void;
  let supervisor: string;
  let grace: Desk | null = null;

  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 30, outreach: { blended: false } }));
    supervisor = await supervisorToken(server);
  });
  afterAll(async () => {
    grace?.close();
    await server.close();
    remove();
  });

  it('lists agents to supervisors only', async () => {
    const agent = await login(server, 'ava');
    expect((await api(server, 'GET', '/api/agents', undefined, agent.token)).status).toBe(403);
    expect((await api(server, 'PATCH', '/api/agents/A010', { capacity: 2 }, agent.token)).status).toBe(403);
    const listed = await api(server, 'GET', '/api/agents', undefined, supervisor);
    expect(listed.status).toBe(200);
    const ava = (listed.body.agents as Array<Record<string, unknown>>).find((a) => a.username === 'ava')!;
    expect(ava).toMatchObject({ capacity: 1, presence: 'offline', languages: [{ code: 'en', proficiency: 5 }, { code: 'es', proficiency: 3 }] });
  });

  it('changes languages, skills and capacity in the store, the change feed and routing at once', async () => {
    grace = await readyDesk(server, 'grace'); // en only
    const seqBefore = await server.store.lastSeq();
    const russian = await postCall(server, { callerNumber: '+12125550120', language: 'ru' });
    await sleep(100);
    expect(grace.offers).toHaveLength(0);

    const patched = await api(server, 'PATCH', `/api/agents/${grace.agentId}`, { languages: [{ code: 'en', proficiency: 5 }, { code: 'ru', proficiency: 4 }], skills: ['retention', 'technical'] }, supervisor);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ skills: ['retention', 'technical'], presence: expect.stringMatching(/available|reserved/) });
    // The waiting Russian call goes to her as soon as she speaks Russian.
    await grace.offerOf(russian);

    const stored = (await server.store.listAgents()).find((a) => a.id === grace!.agentId)!;
    expect(stored.languages).toEqual([{ code: 'en', proficiency: 5 }, { code: 'ru', proficiency: 4 }]);
    const feed = await server.store.changesAfter(seqBefore, 100);
    expect(feed.changes.some((c) => c.entity === 'agent' && c.data.id === grace!.agentId)).toBe(true);
    // The password hash was kept.
    expect((await login(server, 'grace')).agentId).toBe(grace.agentId);

    // Capacity 2: a second call is offered once the first is on the line, never two offers at once.
    const capacity = await api(server, 'PATCH', `/api/agents/${grace.agentId}`, { capacity: 2 }, supervisor);
    expect(capacity.body.capacity).toBe(2);
    const second = await postCall(server, { callerNumber: '+12125550121', language: 'en' });
    await sleep(100);
    expect(grace.offers.some((o) => o.call.id === second)).toBe(false);
    expect((await grace.emit('call:accept', { callId: russian })).ok).toBe(true);
    await grace.offerOf(second);
    expect(server.routing.router.engine.agent(grace.agentId)?.calls).toHaveLength(2);
    const below = await api(server, 'PATCH', `/api/agents/${grace.agentId}`, { capacity: 1 }, supervisor);
    expect(below).toMatchObject({ status: 409, body: { error: 'out_of_order' } });

    // A proficiency under the queue minimum (3) makes her ineligible again.
    await api(server, 'POST', `/api/calls/${russian}/end`, {});
    await api(server, 'POST', `/api/calls/${second}/abandon`, {});
    await api(server, 'PATCH', `/api/agents/${grace.agentId}`, { languages: [{ code: 'en', proficiency: 5 }, { code: 'ru', proficiency: 2 }] }, supervisor);
    const later = await postCall(server, { callerNumber: '+12125550122', language: 'ru' });
    await sleep(100);
    expect(grace.offers.some((o) => o.call.id === later)).toBe(false);
    await waitFor(() => server.routing.router.call(later)?.state === 'queued');
  });

  it('refuses malformed edits, naming the field', async () => {
    const bad = async (body: unknown): Promise<Record<string, unknown>> => (await api(server, 'PATCH', '/api/agents/A010', body, supervisor)).body;
    expect((await bad({ languages: [] })).field).toBe('languages');
    expect((await bad({ languages: [{ code: 'en', proficiency: 7 }] })).field).toBe('languages.0.proficiency');
    expect((await bad({ languages: [{ code: 'xx', proficiency: 3 }] })).field).toBe('languages.0.code');
    expect((await bad({ capacity: 0 })).field).toBe('capacity');
    expect((await bad({ role: 'supervisor' })).error).toBe('invalid_request');
    expect(String((await bad({})).message)).toContain('at least one');
    expect((await bad({ team: '   ' })).field).toBe('team');
    expect((await bad({ team: 'x'.repeat(101) })).field).toBe('team');
  });

  it('moves an agent between teams, and out of any team', async () => {
    const moved = await api(server, 'PATCH', '/api/agents/A010', { team: '  Night shift ' }, supervisor);
    expect(moved).toMatchObject({ status: 200, body: { team: 'Night shift' } });
    expect((await server.store.listAgents()).find((a) => a.id === 'A010')?.team).toBe('Night shift');
    const listed = (await api(server, 'GET', '/api/agents', undefined, supervisor)).body as { agents: Array<{ id: string; team?: string }> };
    expect(listed.agents.find((a) => a.id === 'A010')?.team).toBe('Night shift');
    const none = await api(server, 'PATCH', '/api/agents/A010', { team: null }, supervisor);
    expect(none.status).toBe(200);
    expect(none.body.team).toBeUndefined();
    expect((await server.store.listAgents()).find((a) => a.id === 'A010')?.team).toBeUndefined();
    // The password and everything else stay.
    expect((await login(server, 'grace')).agentId).toBe('A010');
  });
});
