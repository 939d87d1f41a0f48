import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentsResponseSchema } from '@shared/contract/server-http';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import type { RunningServer } from '../../../src-server/routing-server';
import { startDesktops, until } from '../../support/desktops';
import { api, startServer } from '../../support/stack';
import { outreachServerConfig, record, recordPops, recordTasks, value } from './helpers';

describe('outreach and agent management through a real desktop backend', () => {
  let server: RunningServer;
  let removeServer: () => void;
  let ava: DesktopBackend;
  let rachel: DesktopBackend;
  let closeDesktops: () => Promise<void>;
  /** The outbound call of the first test, for the supervisor's breakdown. */
  let outbound: { callId: string; customerId: string } | null = null;

  beforeAll(async () => {
    ({ server, remove: removeServer } = await startServer(outreachServerConfig()));
    const desks = await startDesktops(server.url, ['ava', 'rachel']);
    [ava, rachel] = desks.backends as [DesktopBackend, DesktopBackend];
    closeDesktops = desks.close;
  });

  afterAll(async () => {
    await closeDesktops?.();
    await server?.close();
    removeServer?.();
  });

  it('offers an idle agent a preview task; accepting opens an outbound call whose pop and wrap-up work as for an inbound call', async () => {
    const tasks = recordTasks(ava);
    const pops = recordPops(ava);
    value(await ava.invoke('presence.set', { presence: 'available' }));
    await until(() => tasks.length > 0, 15_000, 'an outreach task');
    const task = tasks[0]!;
    expect(task.customerName.length).toBeGreaterThan(0);
    expect(task.whyThisCustomer.map((r) => r.code)).toContain('value_at_risk');
    expect(task.whyNow.length).toBeGreaterThan(0);
    expect(task.deadline).toBeGreaterThan(Date.now());
    expect(value(await ava.invoke('outreach.current', {})).open?.taskId).toBe(task.taskId);

    const accepted = value(await ava.invoke('outreach.accept', { taskId: task.taskId }));
    expect(accepted.customerId).toBe(task.customerId);
    outbound = accepted;

    // The pop is the cached customer's, already connected, marked as outbound, under the server's call id.
    const current = value(await ava.invoke('call.current', {})).current;
    expect(current?.phase).toBe('connected');
    expect(current?.pop.call.id).toBe(accepted.callId);
    expect(current?.pop.customer?.id).toBe(task.customerId);
    expect(`${current?.pop.customer?.givenName} ${current?.pop.customer?.familyName}`.trim()).toBe(task.customerName);
    expect(current?.pop.match.method).toBe('outreach');
    expect(current?.pop.risk).not.toBeNull();
    expect(pops.at(-1)?.call.id).toBe(accepted.callId);
    expect(value(await ava.invoke('outreach.current', {})).open).toBeNull();
    // The task stays with the call, for its why and why now.
    expect(current?.outreach).toEqual(task);
    await until(async () => value(await ava.invoke('status.get', {})).presence === 'on_call', 5_000, 'on call');

    value(await ava.invoke('call.hangUp', { callId: accepted.callId }));
    expect(value(await ava.invoke('call.current', {})).current?.phase).toBe('wrap_up');
    value(await ava.invoke('wrapUp.save', {
      callId: accepted.callId, customerId: accepted.customerId, disposition: 'retained', offerId: null, offerOutcome: 'no_offer',
      notes: 'Called ahead of the renewal; agreed to stay.', summary: 'Stays after an outbound call.',
    }));

    await until(async () => (await server.store.recentOutcomes(20)).some((o) => o.callId === accepted.callId), 10_000, 'the outcome on the server');
    const outcome = (await server.store.recentOutcomes(20)).find((o) => o.callId === accepted.callId)!;
    expect(outcome.customerId).toBe(task.customerId);
    expect(outcome.disposition).toBe('retained');
    expect(outcome.agentName).toBe('Ava Thompson');
    // The attempt became the outcome in the customer's history, as an outbound call.
    const history = (await server.store.customerBundle(task.customerId))!.interactions;
    const attempt = history.find((i) => i.id === `I-${accepted.callId}`);
    expect(attempt?.direction).toBe('outbound');
    expect(attempt?.summary).toBe('Stays after an outbound call.');
    expect(value(await ava.invoke('call.current', {})).current).toBeNull();
  });

  it('an inbound call revokes an outstanding task', async () => {
    const tasks = recordTasks(ava);
    const outreach = record(ava, 'outreach.changed');
    const pops = recordPops(ava);
    // After the wrap-up the agent is free again, and the next task comes.
    await until(async () => value(await ava.invoke('outreach.current', {})).open !== null, 15_000, 'the next outreach task');
    const open = value(await ava.invoke('outreach.current', {})).open!;
    expect(tasks.length === 0 || tasks.at(-1)!.taskId === open.taskId).toBe(true);

    const caller = (await server.store.snapshotPage(null, 200)).customers.find((c) => c.language === 'en' && c.phones.length > 0 && c.id !== open.customerId)!;
    const posted = await api(server, 'POST', '/api/calls', { callerNumber: caller.phones[0], language: 'en', intent: 'general' });
    expect(posted.status).toBe(201);

    await until(() => pops.some((p) => p.call.id === posted.body.callId), 10_000, 'the inbound offer');
    // The preview gives way to the pop, with no word of a lapse.
    await until(() => outreach.at(-1)?.open === null, 10_000, 'the task revoked');
    expect(outreach.at(-1)?.notice).toBeNull();
    expect(value(await ava.invoke('outreach.current', {})).open).toBeNull();
    expect(server.routing.outreach.taskFor(value(await ava.invoke('session.get', {})).user!.id)).toBeNull();
    // The revoked task cannot be taken any more.
    expect((await ava.invoke('outreach.accept', { taskId: open.taskId })).ok).toBe(false);

    // The agent answers the inbound call as usual.
    value(await ava.invoke('call.accept', { callId: String(posted.body.callId) }));
    expect(value(await ava.invoke('call.current', {})).current?.pop.match.method).not.toBe('outreach');
  });

  it('lists the ranked outreach list with the rules the server applied', async () => {
    const list = value(await ava.invoke('outreach.list', { limit: 5 }));
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < list.items.length; i++) expect(list.items[i - 1]!.score).toBeGreaterThanOrEqual(list.items[i]!.score);
    expect(list.items[0]!.whyThisCustomer.length).toBeGreaterThan(0);
    // The customer just called (outbound, then the wrap-up) is inside the cool-off and left out.
    expect(list.items.map((i) => i.customerId)).not.toContain(outbound?.customerId);
    expect(list.skipped.cool_off ?? 0).toBeGreaterThan(0);
  });

  it("a supervisor edits an agent's languages; the change is visible through GET /api/agents, and an agent is refused", async () => {
    const before = value(await rachel.invoke('agents.list', {})).agents.find((a) => a.username === 'ben')!;
    expect(before.languages).toEqual([{ code: 'en', proficiency: 5 }]);
    expect(before.capacity).toBeGreaterThanOrEqual(1);

    const languages = [{ code: 'en' as const, proficiency: 5 }, { code: 'ru' as const, proficiency: 3 }];
    const updated = value(await rachel.invoke('agents.update', { agentId: before.id, changes: { languages } }));
    expect(updated.languages).toEqual(languages);

    const login = await api(server, 'POST', '/api/auth/login', { username: 'rachel', password: 'demo' }, '');
    const listed = agentsResponseSchema.parse((await api(server, 'GET', '/api/agents', undefined, String(login.body.token))).body);
    expect(listed.agents.find((a) => a.id === before.id)?.languages).toEqual(languages);
    expect(value(await rachel.invoke('agents.list', {})).agents.find((a) => a.id === before.id)?.languages).toEqual(languages);

    // The server's rules come back as data, naming the field.
    const tooMany = await rachel.invoke('agents.update', { agentId: before.id, changes: { capacity: 99 } });
    expect(tooMany.ok).toBe(false);
    if (!tooMany.ok) {
      expect(tooMany.error.code).toBe('invalid_request');
      expect(tooMany.error.field).toBe('capacity');
    }
    const twice = await rachel.invoke('agents.update', { agentId: before.id, changes: { languages: [{ code: 'en', proficiency: 5 }, { code: 'en', proficiency: 2 }] } });
    expect(!twice.ok && twice.error.field).toBe('languages');
    const badLevel = await rachel.invoke('agents.update', { agentId: before.id, changes: { languages: [{ code: 'en', proficiency: 9 }] } });
    expect(!badLevel.ok && badLevel.error.field).toMatch(/^languages\.0\.proficiency/);
    const unknown = await rachel.invoke('agents.update', { agentId: 'A999', changes: { capacity: 2 } });
    expect(!unknown.ok && unknown.error.code).toBe('unknown_agent');

    // An agent is refused by the server (403), and nothing changes.
    const asAgent = await ava.invoke('agents.update', { agentId: before.id, changes: { languages: [{ code: 'en', proficiency: 1 }] } });
    expect(!asAgent.ok && asAgent.error.code).toBe('forbidden');
    const agentList = await ava.invoke('agents.list', {});
    expect(!agentList.ok && agentList.error.code).toBe('forbidden');
    const after = agentsResponseSchema.parse((await api(server, 'GET', '/api/agents', undefined, String(login.body.token))).body);
    expect(after.agents.find((a) => a.id === before.id)?.languages).toEqual(languages);
  });

  it("the supervisor's breakdown counts the outbound call's outcome by agent, offer and segment, and the state carries the uplift", async () => {
    expect(outbound).not.toBeNull();
    await until(async () => value(await rachel.invoke('supervisor.breakdown', {})).outcomes > 0, 10_000, 'outcomes on the supervisor desk');
    const breakdown = value(await rachel.invoke('supervisor.breakdown', {}));
    const scores = (await server.store.customerBundle(outbound!.customerId))!.scores!;
    const byAgent = breakdown.byAgent.find((g) => g.label === 'Ava Thompson');
    expect(byAgent).toMatchObject({ calls: 1, saves: 1, rate: 1 });
    expect(byAgent?.valueSaved).toBeCloseTo(Math.max(0, scores.clv), 6);
    expect(breakdown.bySegment.find((g) => g.key === `${scores.valueTier}-${scores.churnBand}`)?.saves).toBe(1);
    expect(breakdown.byOffer.find((g) => g.key === 'none')?.calls).toBe(1);
    const state = value(await rachel.invoke('supervisor.state', {}));
    expect(state?.uplift?.method).toBe('newcombe-wilson');
  });

  it('said nothing outside the contract: every output and event of both desks matched its schema', () => {
    expect(ava.contractViolations).toEqual([]);
    expect(rachel.contractViolations).toEqual([]);
  });
});
