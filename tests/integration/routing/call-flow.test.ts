import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src-server/routing-server';
import { startServer } from '../../support/stack';
import { api, openDesk, postCall, readyDesk, scoredCustomers, supervisorToken, waitFor, wrapUp, type Desk } from './helpers';

/** The routing engine inside the real server, driven over HTTP and real sockets. */
describe('routing in the server', () => {
  let server: RunningServer;
  let remove: () => void;
  let supervisor: string;
  const desks: Desk[] = [];

  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 120, reservationTimeoutMs: 700, outreach: { blended: false } }));
    supervisor = await supervisorToken(server);
  });
  afterEach(async () => {
    // Leave the floor empty and the queue clear for the next test.
    for (const call of server.routing.router.openCalls()) {
      if (call.state === 'connected') server.routing.endCall(call.id);
      else if (call.state === 'queued' || call.state === 'offered') server.routing.abandonCall(call.id);
    }
    for (const desk of desks.splice(0)) desk.close();
    await waitFor(() => server.routing.router.engine.stats().agentsOnline === 0);
  });
  afterAll(async () => {
    await server.close();
    remove();
  });

  async function ready(username: string): Promise<Desk> {
    const desk = await readyDesk(server, username);
    desks.push(desk);
    return desk;
  }

  it('offers a call only to agents with the skills its intent needs', async () => {
    const ben = await ready('ben'); // technical, billing
    const grace = await ready('grace'); // retention
    const cancellation = await postCall(server, { callerNumber: '+12125550101', language: 'en', intent: 'cancellation' });
    await grace.offerOf(cancellation);
    const technical = await postCall(server, { callerNumber: '+12125550102', language: 'en', intent: 'technical' });
    await ben.offerOf(technical);
    expect(ben.offers.map((o) => o.call.id)).not.toContain(cancellation);
    expect(grace.offers.map((o) => o.call.id)).not.toContain(technical);
    expect(server.routing.router.presenceOf(grace.agentId).presence).toBe('reserved');
  });

  it('matches the caller language at the required proficiency, and leaves a call nobody can take waiting', async () => {
    const ava = await ready('ava'); // en 5, es 3
    const dmitri = await ready('dmitri'); // ru 5, en 4, he 3
    const russian = await postCall(server, { callerNumber: '+12125550103', language: 'ru' });
    await dmitri.offerOf(russian);
    const spanish = await postCall(server, { callerNumber: '+12125550104', language: 'es' });
    await ava.offerOf(spanish);
    const chinese = await postCall(server, { callerNumber: '+12125550105', language: 'zh' });
    await new Promise((r) => setTimeout(r, 100));
    expect(server.routing.router.call(chinese)?.state).toBe('queued');
    expect([...ava.offers, ...dmitri.offers].some((o) => o.call.id === chinese)).toBe(false);
  });

  it('re-offers a rejected call to the next agent, never back to the one who rejected it', async () => {
    const ben = await ready('ben');
    const tom = await ready('tom');
    const callId = await postCall(server, { callerNumber: '+12125550106', language: 'en', intent: 'billing' });
    const first = await waitFor(() => [ben, tom].find((d) => d.offers.some((o) => o.call.id === callId)));
    const second = first === ben ? tom : ben;
    const answer = await first.emit('call:reject', { callId });
    expect(answer).toEqual({ ok: true, callId });
    await second.offerOf(callId);
    expect(first.revoked).toContainEqual({ callId, reason: 'taken' });
    expect(first.offers.filter((o) => o.call.id === callId)).toHaveLength(1);
    // The engine set the rejecting agent away, as configured.
    await waitFor(() => first.presence.at(-1) === 'away');
  });

  it('re-offers a call whose reservation lapsed to the next best agent', async () => {
    const ben = await ready('ben');
    const tom = await ready('tom');
    const callId = await postCall(server, { callerNumber: '+12125550107', language: 'en' });
    const first = await waitFor(() => [ben, tom].find((d) => d.offers.some((o) => o.call.id === callId)));
    const offer = first.offers.find((o) => o.call.id === callId)!;
    expect(offer.reservationDeadline - Date.now()).toBeLessThanOrEqual(700);
    const second = first === ben ? tom : ben;
    await second.offerOf(callId, 3000);
    expect(first.revoked).toContainEqual({ callId, reason: 'timeout' });
    expect(await second.emit('call:accept', { callId })).toEqual({ ok: true, callId });
    expect(server.routing.router.call(callId)).toMatchObject({ state: 'connected', agentId: second.agentId });
  });

  it('abandons a call before it is answered, and refuses to abandon an answered one', async () => {
    const ben = await ready('ben');
    const callId = await postCall(server, { callerNumber: '+12125550108', language: 'en' });
    await ben.offerOf(callId);
    const abandoned = await api(server, 'POST', `/api/calls/${callId}/abandon`, {});
    expect(abandoned).toMatchObject({ status: 200, body: { callId, state: 'abandoned' } });
    await waitFor(() => ben.revoked.some((r) => r.callId === callId && r.reason === 'abandoned'));
    const again = await api(server, 'POST', `/api/calls/${callId}/abandon`, {});
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('out_of_order');
    expect(String(again.body.message)).toContain(callId);

    const answered = await postCall(server, { callerNumber: '+12125550109', language: 'en' });
    await ben.offerOf(answered);
    await ben.emit('call:accept', { callId: answered });
    const refused = await api(server, 'POST', `/api/calls/${answered}/abandon`, {});
    expect(refused.status).toBe(409);
    expect(String(refused.body.message)).toContain('end it instead');
    // Ending before an answer is an abandonment too.
    const unanswered = await postCall(server, { callerNumber: '+12125550110', language: 'zh' });
    expect((await api(server, 'POST', `/api/calls/${unanswered}/end`, {})).body.state).toBe('abandoned');
  });

  it('moves the agent to wrap-up on end, and learns from the wrap-up (agent x segment and the arm that routed it)', async () => {
    const ben = await ready('ben');
    const { customer, scores } = (await scoredCustomers(server, 50))[0]!;
    const callId = await postCall(server, { callerNumber: customer.phones[0], language: 'en' });
    await ben.offerOf(callId);
    expect((await ben.emit('call:accept', { callId })).ok).toBe(true);
    const ended = await api(server, 'POST', `/api/calls/${callId}/end`, {});
    expect(ended.body.state).toBe('wrap_up');
    await waitFor(() => ben.ended.includes(callId));
    await waitFor(() => ben.presence.at(-1) === 'wrap_up');
    expect((await api(server, 'POST', `/api/calls/${callId}/end`, {})).status).toBe(409);

    const upliftBefore = (await api(server, 'GET', '/api/supervisor/uplift', undefined, supervisor)).body as { policy: { calls: number }; baseline: { calls: number } };
    const saved = await ben.emit('outbox:submit', { entries: [{ kind: 'wrapup', payload: wrapUp(ben, callId, customer.id, 'retained') }] });
    expect((saved.results as Array<{ status: string }>)[0]?.status).toBe('applied');
    await waitFor(() => ben.presence.at(-1) === 'available');
    expect(server.routing.router.call(callId)).toBeUndefined();

    const agents = (await api(server, 'GET', '/api/agents', undefined, supervisor)).body.agents as Array<{ id: string; learnt: Array<{ segment: string; calls: number; estimate: number }> }>;
    const learnt = agents.find((a) => a.id === ben.agentId)!.learnt;
    expect(learnt).toContainEqual(expect.objectContaining({ segment: `${scores.valueTier}-${scores.churnBand}`, calls: 1 }));
    const uplift = (await api(server, 'GET', '/api/supervisor/uplift', undefined, supervisor)).body as { policy: { calls: number; saves: number }; baseline: { calls: number; saves: number } };
    expect(uplift.policy.calls + uplift.baseline.calls).toBe(upliftBefore.policy.calls + upliftBefore.baseline.calls + 1);
    const state = (await api(server, 'GET', '/api/supervisor/state', undefined, supervisor)).body as { uplift?: unknown };
    expect(state.uplift).toEqual(uplift);
  });

  it('transfers a connected call back to the queue with a new skill, away from the agent who had it', async () => {
    const grace = await ready('grace'); // retention only
    const ben = await ready('ben'); // technical
    const callId = await postCall(server, { callerNumber: '+12125550111', language: 'en', intent: 'cancellation' });
    await grace.offerOf(callId);
    await grace.emit('call:accept', { callId });
    const benLogin = ben.token;
    expect((await api(server, 'POST', `/api/calls/${callId}/transfer`, { skill: 'technical' }, benLogin)).status).toBe(403);
    const moved = await api(server, 'POST', `/api/calls/${callId}/transfer`, { skill: 'technical' }, grace.token);
    expect(moved.status).toBe(200);
    await ben.offerOf(callId);
    await waitFor(() => grace.ended.includes(callId));
    expect(server.routing.router.presenceOf(grace.agentId).presence).toBe('wrap_up');
    // Grace's wrap-up for her part frees her without completing the call Ben now has.
    await grace.emit('wrapUp:submit', wrapUp(grace, callId, 'C-none', 'not_retention'));
    await waitFor(() => grace.presence.at(-1) === 'available');
    expect(server.routing.router.call(callId)?.state).toBe('offered');
    expect((await api(server, 'POST', `/api/calls/${callId}/transfer`, {})).status).toBe(409);
  });

  it('serves the caller with most value at risk first', async () => {
    const ranked = (await scoredCustomers(server, 120)).sort((a, b) => a.scores.valueAtRisk - b.scores.valueAtRisk);
    const low = ranked[0]!;
    const high = ranked.at(-1)!;
    expect(high.scores.valueAtRisk).toBeGreaterThan(low.scores.valueAtRisk);
    const lowCall = await postCall(server, { callerNumber: low.customer.phones[0], language: 'en' });
    const highCall = await postCall(server, { callerNumber: high.customer.phones[0], language: 'en' });
    expect(server.routing.router.queue().map((c) => c.id)).toEqual([highCall, lowCall]);
    const ben = await ready('ben');
    await waitFor(() => ben.offers.length > 0);
    expect(ben.offers[0]!.call.id).toBe(highCall);
  });

  it('refuses duplicate call ids, unknown agents and out-of-order events with errors that name them', async () => {
    const first = await api(server, 'POST', '/api/calls', { callId: 'TEL-42', callerNumber: '+12125550112' });
    expect(first.status).toBe(201);
    const duplicate = await api(server, 'POST', '/api/calls', { callId: 'TEL-42', callerNumber: '+12125550112' });
    expect(duplicate).toMatchObject({ status: 409, body: { error: 'duplicate_call' } });
    expect(String(duplicate.body.message)).toContain('TEL-42');
    expect((await api(server, 'POST', '/api/calls', { callId: 'bad id/../x', callerNumber: '+12125550112' })).body.field).toBe('callId');
    // A call the router has long forgotten (beyond the ids it remembers) is still on record: its id is refused, its record kept.
    const old = { id: 'TEL-1999', callerNumber: '+12125550112', accountId: null, language: 'en' as const, intent: 'general' as const, customerId: null, state: 'completed' as const, agentId: 'A007', createdAt: '2025-01-01T09:00:00.000Z', answeredAt: '2025-01-01T09:00:05.000Z', endedAt: '2025-01-01T09:04:00.000Z', priority: 0 };
    await server.store.saveCall(old);
    expect(server.routing.router.engine.call('TEL-1999')).toBeUndefined();
    const reused = await api(server, 'POST', '/api/calls', { callId: 'TEL-1999', callerNumber: '+12125550112' });
    expect(reused).toMatchObject({ status: 409, body: { error: 'duplicate_call' } });
    expect(String(reused.body.message)).toContain('TEL-1999');
    expect(await server.store.openCalls()).not.toContainEqual(expect.objectContaining({ id: 'TEL-1999' }));
    expect(server.routing.router.call('TEL-1999')).toBeUndefined();

    const unknownAgent = await api(server, 'PATCH', '/api/agents/A999', { capacity: 2 }, supervisor);
    expect(unknownAgent).toMatchObject({ status: 404, body: { error: 'unknown_agent' } });
    expect(String(unknownAgent.body.message)).toContain('A999');

    const ben = await ready('ben');
    await ben.offerOf('TEL-42');
    const tooEarly = await ben.emit('call:hangUp', { callId: 'TEL-42' });
    expect(tooEarly).toMatchObject({ ok: false, error: 'out_of_order' });
    await api(server, 'POST', '/api/calls/TEL-42/end', {});
    const late = await ben.emit('call:accept', { callId: 'TEL-42' });
    expect(late).toMatchObject({ ok: false, error: 'out_of_order' });
    expect(String(late.message)).toContain('TEL-42');
    expect(await ben.emit('call:reject', { callId: 'CALL-never' })).toMatchObject({ ok: false, error: 'unknown_call' });
    expect((await ben.emit('outreach:accept', { taskId: 'T-none' })).error).toBe('unknown_task');
    expect((await ben.emit('outreach:skip', { nope: 1 })).error).toBe('invalid_payload');
    const other = await openDesk(server, 'tom');
    desks.push(other);
    expect(await other.emit('presence:set', { presence: 'available' })).toEqual({ ok: true, presence: 'available' });
  });
});
