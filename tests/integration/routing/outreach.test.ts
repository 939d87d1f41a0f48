import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Interaction } from '@shared/domain/interaction';
import type { RunningServer } from '../../../src-server/routing-server';
import { outboundSegment, segmentOf } from '../../../src-server/routing/call-attributes';
import { startServer } from '../../support/stack';
import { api, login, postCall, readyDesk, sleep, supervisorToken, waitFor, wrapUp, type Desk } from './helpers';

const ZONES = ['Pacific/Kiritimati', 'Pacific/Auckland', 'Asia/Tokyo', 'Asia/Kolkata', 'Asia/Dubai', 'Europe/Moscow', 'Europe/Berlin', 'Europe/London', 'Atlantic/Azores', 'America/Sao_Paulo', 'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'Pacific/Honolulu', 'Pacific/Pago_Pago'];

function localHour(zone: string): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
}

/** A zone where it is now comfortably inside 09:00-20:00, and one comfortably outside. */
function zones(): { inside: string; outside: string } {
  const inside = ZONES.find((z) => localHour(z) >= 10 && localHour(z) <= 18)!;
  const outside = ZONES.find((z) => localHour(z) <= 6 || localHour(z) >= 22)!;
  return { inside, outside };
}

function contact(customerId: string, hoursAgo: number, direction: 'inbound' | 'outbound', n: number): Interaction {
  return {
    id: `I-test-${customerId}-${direction}-${n}`, customerId, channel: 'call', direction, occurredAt: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(),
    agentId: null, topic: 'general', sentiment: 0, summary: 'test contact', ticketStatus: null, offer: null, promise: null,
  };
}

describe('outreach', () => {
  let server: RunningServer;
  let remove: () => void;
  let ava: Desk | null = null;
  const ids = { dnc: '', night: '', tried: '', recent: '' };

  beforeAll(async () => {
    const asOf = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    ({ server, remove } = await startServer({
      demoCustomers: 80, demoAsOf: asOf, reservationTimeoutMs: 5000,
      outreach: { sweepMs: 150, refreshMs: 0, candidates: 40, taskTimeoutMs: 4000, coolOffHours: 48, maxAttempts: 3 },
    }));
    // The top candidates become English speakers in a zone where it is daytime, with no recent contact; four break one rule each.
    const { inside, outside } = zones();
    const rows = await server.store.customersByValueAtRisk(40);
    await server.store.upsertCustomers(rows.map(({ customer, scores }) => ({ customer: { ...customer, language: 'en', timezone: inside, doNotCall: false }, scores, interactions: [] })));
    const [dnc, night, tried, recent] = rows.map((r) => r.customer);
    ids.dnc = dnc!.id;
    ids.night = night!.id;
    ids.tried = tried!.id;
    ids.recent = recent!.id;
    await server.store.upsertCustomers([
      { customer: { ...dnc!, language: 'en', timezone: inside, doNotCall: true }, scores: rows[0]!.scores, interactions: [] },
      { customer: { ...night!, language: 'en', timezone: outside, doNotCall: false }, scores: rows[1]!.scores, interactions: [] },
    ]);
    for (let n = 0; n < 3; n++) await server.store.appendInteraction(contact(ids.tried, 24 * (3 + n * 3), 'outbound', n));
    await server.store.appendInteraction(contact(ids.recent, 2, 'inbound', 0));
  });
  afterAll(async () => {
    ava?.close();
    await server.close();
    remove();
  });

  it('ranks customers by value at risk within consent, calling hours, attempts and cool-off, saying why', async () => {
    const { token } = await login(server, 'ava');
    const list = await api(server, 'GET', '/api/outreach?limit=100', undefined, token);
    expect(list.status).toBe(200);
    const items = list.body.items as Array<{ customerId: string; score: number; whyThisCustomer: unknown[]; whyNow: Array<{ code: string }> }>;
    const listed = new Set(items.map((i) => i.customerId));
    for (const id of Object.values(ids)) expect(listed.has(id)).toBe(false);
    expect(list.body.skipped).toMatchObject({ do_not_call: 1, outside_calling_hours: 1, max_attempts: 1, cool_off: 1 });
    expect(items.length).toBeGreaterThan(10);
    for (let i = 1; i < items.length; i++) expect(items[i - 1]!.score).toBeGreaterThanOrEqual(items[i]!.score);
    for (const item of items) {
      expect(item.whyThisCustomer.length).toBeGreaterThan(0);
      expect(item.whyNow.map((w) => w.code)).toContain('in_calling_hours');
    }
    const limited = await api(server, 'GET', '/api/outreach?limit=3', undefined, token);
    expect((limited.body.items as unknown[]).length).toBe(3);
    expect((await api(server, 'GET', '/api/outreach?limit=0', undefined, token)).body.field).toBe('limit');
    expect((await api(server, 'GET', '/api/outreach')).status).toBe(403);
  });

  it('offers an idle agent a preview task, gives way to inbound calls, and records the attempt and its outcome', async () => {
    ava = await readyDesk(server, 'ava');
    const first = await waitFor(() => ava!.tasks[0], 3000);
    expect(first.whyThisCustomer.length).toBeGreaterThan(0);
    expect(first.whyNow.length).toBeGreaterThan(0);
    expect(first.deadline).toBeGreaterThan(Date.now());
    expect(Object.values(ids)).not.toContain(first.customerId);

    // Inbound first: a call revokes the open task and is offered at once.
    const inbound = await postCall(server, { callerNumber: '+12125550130', language: 'en' });
    await ava.offerOf(inbound);
    expect(ava.tasksRevoked).toContainEqual({ taskId: first.taskId, reason: 'inbound' });
    expect((await ava.emit('outreach:accept', { taskId: first.taskId })).error).toBe('unknown_task');
    await api(server, 'POST', `/api/calls/${inbound}/abandon`, {});

    // Free again, the agent gets a new task; skipping it brings another customer.
    const second = await waitFor(() => ava!.tasks.find((t) => t.taskId !== first.taskId), 3000);
    expect(await ava.emit('outreach:skip', { taskId: second.taskId })).toEqual({ ok: true, taskId: second.taskId });
    const third = await waitFor(() => ava!.tasks.find((t) => t.taskId !== first.taskId && t.taskId !== second.taskId), 3000);
    expect(third.customerId).not.toBe(second.customerId);

    const accepted = await ava.emit('outreach:accept', { taskId: third.taskId });
    expect(accepted).toMatchObject({ ok: true, taskId: third.taskId, customerId: third.customerId });
    const callId = String(accepted.callId);
    await waitFor(() => ava!.presence.at(-1) === 'on_call');
    const history = (await server.store.customerBundle(third.customerId))!.interactions;
    expect(history).toContainEqual(expect.objectContaining({ id: `I-${callId}`, direction: 'outbound', channel: 'call' }));

    // While on the outbound call no inbound call is offered to her.
    const waiting = await postCall(server, { callerNumber: '+12125550131', language: 'en' });
    await sleep(150);
    expect(ava.offers.some((o) => o.call.id === waiting)).toBe(false);

    expect((await ava.emit('call:hangUp', { callId })).ok).toBe(true);
    await waitFor(() => ava!.ended.includes(callId) && ava!.presence.at(-1) === 'wrap_up');
    const saved = await ava.emit('outbox:submit', { entries: [{ kind: 'wrapup', payload: wrapUp(ava, callId, third.customerId, 'retained') }] });
    expect((saved.results as Array<{ status: string }>)[0]?.status).toBe('applied');
    // Free again: the waiting inbound call comes before any new task.
    await ava.offerOf(waiting);
    const after = (await server.store.customerBundle(third.customerId))!.interactions.filter((i) => i.id === `I-${callId}`);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ direction: 'outbound', summary: expect.stringContaining('retained') });
    // Recorded as for inbound calls: learnt per agent x segment (outbound segments of their own) and counted as a save,
    // but kept out of the inbound uplift comparison.
    const segment = outboundSegment(segmentOf((await server.store.customerBundle(third.customerId))?.scores ?? null));
    expect(server.routing.router.engine.estimate(ava.agentId, segment)).toMatchObject({ n: 1 });
    const metrics = (await server.routing.metrics.exposition()).body;
    expect(metrics).toMatch(/holdfast_saves_total\{arm="outreach"\} 1/);
    expect(metrics).toMatch(/holdfast_retention_outcomes_total\{arm="outreach",result="saved"\} 1/);
    const uplift = server.routing.upliftReport();
    expect(uplift.policy.calls + uplift.baseline.calls).toBe(0);
    const view = (await api(server, 'GET', '/api/agents', undefined, await supervisorToken(server))).body.agents as Array<{ id: string; learnt: Array<{ segment: string; calls: number }> }>;
    expect(view.find((a) => a.id === ava!.agentId)?.learnt).toContainEqual(expect.objectContaining({ segment, calls: 1 }));
    // The customer just called is now in cool-off.
    const list = await api(server, 'GET', '/api/outreach?limit=100', undefined, ava.token);
    expect((list.body.items as Array<{ customerId: string }>).some((i) => i.customerId === third.customerId)).toBe(false);
  });
});
