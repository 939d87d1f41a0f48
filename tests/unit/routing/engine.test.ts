import { describe, expect, it } from 'vitest';
import { createRouter, RoutingError, type Router } from '@shared/routing';
import { abandon, accept, arrive, connect, end, expire, login, reject, wrapDone } from './helpers';

function expectRefused(router: Router, event: unknown, now: number, code: string, message?: RegExp): void {
  const before = JSON.stringify(router.snapshot());
  let caught: unknown;
  try {
    router.apply(event, now);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(RoutingError);
  expect((caught as RoutingError).code).toBe(code);
  if (message) expect((caught as RoutingError).message).toMatch(message);
  expect(JSON.stringify(router.snapshot())).toBe(before);
}

describe('routing engine: call lifecycle', () => {
  it('offers an arriving call to a free agent with a deadline, and walks it through to wrap-up', () => {
    const router = createRouter({ defaultQueue: { reservationTimeoutMs: 10_000 } });
    router.apply(login('a1'), 0);
    const { decisions } = router.apply(arrive('c1', { arrivedAt: 1000 }), 1000);
    expect(decisions).toEqual([expect.objectContaining({ callId: 'c1', agentId: 'a1', deadline: 11_000, arm: 'policy' })]);
    expect(router.agent('a1')?.presence).toBe('reserved');
    expect(router.reservations()).toEqual([expect.objectContaining({ callId: 'c1', agentId: 'a1', deadline: 11_000 })]);

    router.apply(accept('c1', 'a1'), 2000);
    router.apply(connect('c1', 'a1'), 2500);
    expect(router.agent('a1')?.presence).toBe('on_call');
    expect(router.call('c1')?.phase).toBe('connected');
    router.apply(end('c1', 'a1'), 60_000);
    expect(router.agent('a1')?.presence).toBe('wrap_up');
    expect(router.call('c1')?.phase).toBe('ended');
    router.apply(wrapDone('a1'), 70_000);
    expect(router.agent('a1')).toMatchObject({ presence: 'available', presenceSince: 70_000 });
    expect(router.checkInvariants({ workConservation: true })).toEqual([]);
  });

  it('queues calls when nobody is free and hands the next one out when an agent finishes wrap-up', () => {
    const router = createRouter();
    router.apply(login('a1'), 0);
    router.apply(arrive('c1'), 0);
    expect(router.apply(arrive('c2', { arrivedAt: 10 }), 10).decisions).toEqual([]);
    expect(router.waitingCalls().map((c) => c.id)).toEqual(['c2']);
    router.apply(accept('c1', 'a1'), 20);
    router.apply(connect('c1', 'a1'), 20);
    router.apply(end('c1'), 100);
    const { decisions } = router.apply(wrapDone('a1', 'c1'), 200);
    expect(decisions.map((d) => [d.callId, d.agentId])).toEqual([['c2', 'a1']]);
  });

  it('re-offers a rejected call to the next agent and never back to the one who rejected it', () => {
    const router = createRouter();
    router.apply(login('a1'), 0);
    router.apply(login('a2'), 1);
    const first = router.apply(arrive('c1'), 2).decisions[0];
    expect(first?.agentId).toBe('a1'); // longest idle among equals
    const second = router.apply(reject('c1', 'a1'), 3).decisions;
    expect(second.map((d) => d.agentId)).toEqual(['a2']);
    // a2 rejects too: nobody left who has not rejected it, so it waits (a1 stays available).
    expect(router.apply(reject('c1', 'a2'), 4).decisions).toEqual([]);
    expect(router.call('c1')).toMatchObject({ phase: 'waiting', excluded: ['a1', 'a2'], offers: 2 });
    expect(router.agent('a1')?.presence).toBe('available');
    // A new agent takes it.
    expect(router.apply(login('a3'), 5).decisions.map((d) => [d.callId, d.agentId])).toEqual([['c1', 'a3']]);
  });

  it('an expired reservation sets the agent away and re-offers the call', () => {
    const router = createRouter();
    router.apply(login('a1'), 0);
    router.apply(login('a2'), 1);
    const deadline = router.apply(arrive('c1'), 2).decisions[0]?.deadline ?? 0;
    expect(deadline).toBe(2 + 15_000);
    const { decisions } = router.apply(expire('c1', 'a1'), deadline);
    expect(decisions.map((d) => d.agentId)).toEqual(['a2']);
    expect(router.agent('a1')?.presence).toBe('away');
  });

  it('abandoning a reserved call frees the agent for the next waiting call', () => {
    const router = createRouter();
    router.apply(login('a1'), 0);
    router.apply(arrive('c1'), 0);
    router.apply(arrive('c2'), 1);
    const { decisions } = router.apply(abandon('c1'), 5);
    expect(decisions.map((d) => [d.callId, d.agentId])).toEqual([['c2', 'a1']]);
    expect(router.call('c1')?.phase).toBe('abandoned');
  });

  it('transfers a call back to the queue with a new skill, excluding the previous agent', () => {
    const router = createRouter();
    router.apply(login('a1', { skills: ['billing'] }), 0);
    router.apply(arrive('c1'), 0);
    router.apply(accept('c1', 'a1'), 1);
    router.apply(connect('c1', 'a1'), 1);
    expect(router.apply({ type: 'callTransferred', callId: 'c1', agentId: 'a1', targetSkill: 'billing' }, 50).decisions).toEqual([]);
    expect(router.agent('a1')?.presence).toBe('wrap_up');
    router.apply(wrapDone('a1'), 60);
    expect(router.call('c1')?.phase).toBe('waiting'); // a1 has billing but is excluded
    router.apply(login('a2'), 70); // no billing skill
    expect(router.call('c1')?.phase).toBe('waiting');
    const { decisions } = router.apply(login('a3', { skills: ['billing'] }), 80);
    expect(decisions.map((d) => [d.callId, d.agentId])).toEqual([['c1', 'a3']]);
  });

  it('respects language proficiency and capacity', () => {
    const router = createRouter({ defaultQueue: { minProficiency: 4 } });
    router.apply(login('weak', { languages: { he: 3 } }), 0);
    router.apply(login('chat', { languages: { he: 5 }, capacity: 2 }), 1);
    const d1 = router.apply(arrive('c1', { language: 'he' }), 2).decisions;
    const d2 = router.apply(arrive('c2', { language: 'he' }), 3).decisions;
    // One offer at a time: capacity is about calls on the line, so c2 waits until c1 is answered.
    expect(d1.map((d) => d.agentId)).toEqual(['chat']);
    expect(d2).toEqual([]);
    expect(router.apply(accept('c1', 'chat'), 4).decisions.map((d) => [d.callId, d.agentId])).toEqual([['c2', 'chat']]);
    router.apply(connect('c1', 'chat'), 4);
    expect(router.apply(arrive('c3', { language: 'he' }), 5).decisions).toEqual([]);
    expect(router.agent('chat')?.calls).toHaveLength(2);
  });

  it('never gives an agent a second reservation, whatever its capacity (joint batches and restores too)', () => {
    const router = createRouter();
    router.apply(login('a1', { capacity: 3 }), 0);
    router.apply(login('a2', { capacity: 3 }), 0);
    const { decisions } = router.applyBatch([arrive('c1'), arrive('c2'), arrive('c3'), arrive('c4')], 1);
    expect(decisions.map((d) => d.agentId).sort()).toEqual(['a1', 'a2']);
    expect(router.waitingCalls()).toHaveLength(2);
    expect(router.rebalance(2).decisions).toEqual([]);
    for (const id of ['a1', 'a2']) expect(router.agent(id)?.calls.filter((c) => c.phase === 'reserved')).toHaveLength(1);
    // A snapshot in which an agent holds two offers is refused as inconsistent.
    const snapshot = router.snapshot();
    const waiting = snapshot.calls.find((c) => c.phase === 'waiting');
    const a1 = snapshot.agents.find((a) => a.id === 'a1');
    if (!waiting || !a1) throw new Error('fixture');
    Object.assign(waiting, { phase: 'reserved', agentId: 'a1', deadline: 99 });
    a1.slots.push({ callId: waiting.id, phase: 'reserved', since: 2 });
    expect(() => createRouter().restore(snapshot)).toThrow(/holds 2 reservations/);
  });

  it('logout releases reservations back to the queue and is refused while on a call', () => {
    const router = createRouter();
    router.apply(login('a1'), 0);
    router.apply(arrive('c1'), 0);
    router.apply(logoutEvent('a1'), 1);
    expect(router.call('c1')?.phase).toBe('waiting');
    router.apply(login('a1'), 2);
    router.apply(accept('c1', 'a1'), 3);
    router.apply(connect('c1', 'a1'), 3);
    expectRefused(router, logoutEvent('a1'), 4, 'agent_busy', /on call "c1"/);
  });
});

function logoutEvent(agentId: string): unknown {
  return { type: 'agentLogout', agentId };
}

describe('routing engine: refusals leave state unchanged', () => {
  const setup = (): Router => {
    const router = createRouter();
    router.apply(login('a1'), 0);
    router.apply(login('a2'), 0);
    router.apply(arrive('c1'), 0);
    return router;
  };

  it('rejects malformed events naming the field', () => {
    const router = setup();
    expectRefused(router, { type: 'callArrived', callId: 'x' }, 1, 'invalid_event', /language/);
    expectRefused(router, { type: 'teleport' }, 1, 'invalid_event');
    expectRefused(router, null, 1, 'invalid_event');
    expectRefused(router, { ...(arrive('c9') as object), churnRisk: 2 }, 1, 'invalid_event', /churnRisk/);
    expectRefused(router, login('a3'), Number.NaN, 'invalid_event', /now/);
  });

  it('rejects unknown agents and calls, duplicates and out-of-order events', () => {
    const router = setup();
    expectRefused(router, accept('c1', 'ghost'), 1, 'unknown_agent', /ghost/);
    expectRefused(router, accept('nope', 'a1'), 1, 'unknown_call', /nope/);
    expectRefused(router, arrive('c1'), 1, 'duplicate_call', /c1/);
    expectRefused(router, login('a1'), 1, 'duplicate_agent');
    expectRefused(router, accept('c1', 'a2'), 1, 'out_of_order', /not reserved to agent "a2".*reserved with agent "a1"/);
    expectRefused(router, connect('c1', 'a1'), 1, 'out_of_order', /not accepted by/);
    expectRefused(router, end('c1'), 1, 'out_of_order');
    expectRefused(router, wrapDone('a1'), 1, 'out_of_order', /no wrap-up/);
    router.apply(abandon('c1'), 2);
    expectRefused(router, abandon('c1'), 3, 'out_of_order', /already abandoned/);
    expectRefused(router, arrive('c1'), 3, 'duplicate_call');
  });

  it('tryApply returns the error instead of throwing', () => {
    const router = setup();
    const result = router.tryApply(accept('c1', 'a2'), 1);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('out_of_order');
  });

  it('refuses configs with unknown policies', () => {
    expect(() => createRouter({ defaultQueue: { policy: 'magic' } })).toThrow(/unknown policy "magic"/);
  });
});

/**
 * An iron and a gold call waiting, where "allRounder" is best at gold and good
 * at iron, "goldOnly" nearly as good at gold but poor at iron: routing one
 * agent at a time pairs them badly, jointly well.
 */
function goldAndIronWaiting(): Router {
  const router = createRouter({ defaultQueue: { match: { matchWeight: 50, idleWeightPerMinute: 0 }, priority: { agingMs: null, valueWeight: 0 } } });
  teach(router, 'allRounder', 'gold', 95, 100);
  teach(router, 'allRounder', 'iron', 70, 100);
  teach(router, 'goldOnly', 'gold', 90, 100);
  teach(router, 'goldOnly', 'iron', 10, 100);
  teach(router, 'other', 'gold', 50, 100);
  teach(router, 'other', 'iron', 90, 100);
  router.apply(arrive('iron-call', { segment: 'iron' }), 0);
  router.apply(arrive('gold-call', { segment: 'gold' }), 0);
  return router;
}

describe('routing engine: joint assignment and arms', () => {
  it('applyBatch assigns jointly to maximise expected saves where one-at-a-time routing would not', () => {
    const make = goldAndIronWaiting;
    const joint = make();
    const { decisions, errors } = joint.applyBatch([login('allRounder'), login('goldOnly')], 10);
    expect(errors).toEqual([]);
    expect(Object.fromEntries(decisions.map((d) => [d.callId, d.agentId]))).toEqual({ 'gold-call': 'goldOnly', 'iron-call': 'allRounder' });
    // One at a time, the first agent takes its own best call and leaves the other a poor match.
    const greedy = make();
    const first = greedy.apply(login('allRounder'), 10).decisions;
    const second = greedy.apply(login('goldOnly'), 10).decisions;
    expect(Object.fromEntries([...first, ...second].map((d) => [d.callId, d.agentId]))).toEqual({ 'gold-call': 'allRounder', 'iron-call': 'goldOnly' });
  });

  it('stage() holds routing until flush(), which assigns everything staged jointly; a refused stage changes nothing', () => {
    const router = goldAndIronWaiting();
    router.stage(login('allRounder'), 10);
    expect(router.hasStaged()).toBe(true);
    expect(router.reservations()).toEqual([]);
    const before = JSON.stringify(router.snapshot());
    expect(() => router.stage(accept('gold-call', 'nobody'), 10)).toThrow(RoutingError);
    expect(JSON.stringify(router.snapshot())).toBe(before);
    router.stage(login('goldOnly'), 10);
    const { decisions } = router.flush(10);
    expect(Object.fromEntries(decisions.map((d) => [d.callId, d.agentId]))).toEqual({ 'gold-call': 'goldOnly', 'iron-call': 'allRounder' });
    expect(router.hasStaged()).toBe(false);
    expect(router.flush(11).decisions).toEqual([]);
    expect(router.checkInvariants({ workConservation: true })).toEqual([]);
  });

  it('routes about the configured share of calls by longest-idle, chosen by a stable hash', () => {
    const make = (): Router => createRouter({ defaultQueue: { baselineShare: 0.2 } });
    const router = make();
    let baseline = 0;
    for (let i = 0; i < 2000; i++) {
      router.apply(arrive(`call-${i}`), i);
      if (router.call(`call-${i}`)?.arm === 'baseline') baseline++;
    }
    expect(baseline / 2000).toBeGreaterThan(0.17);
    expect(baseline / 2000).toBeLessThan(0.23);
    const again = make();
    again.apply(arrive('call-7'), 0);
    expect(again.call('call-7')?.arm).toBe(router.call('call-7')?.arm);
  });

  it('uses the queue named by the call, or the one matching its intent', () => {
    const router = createRouter({ queues: { vip: { minProficiency: 5 }, sales: { minProficiency: 1 } } });
    router.apply(login('a1', { languages: { en: 4 } }), 0);
    expect(router.apply(arrive('c1', { queue: 'vip' }), 1).decisions).toEqual([]);
    expect(router.apply(arrive('c2', { intent: 'sales' }), 2).decisions.map((d) => d.queue)).toEqual(['sales']);
  });
});

describe('routing engine: snapshot and restore', () => {
  it('restores into a router that makes the same decisions as the original', () => {
    const original = createRouter({ defaultQueue: { baselineShare: 0.3 } });
    for (const id of ['a1', 'a2', 'a3']) original.apply(login(id, { languages: { en: 5, he: 4 } }), 0);
    teach(original, 'a2', 'gold', 8, 10);
    for (let i = 0; i < 6; i++) original.apply(arrive(`c${i}`, { segment: i % 2 ? 'gold' : 'iron', arrivedAt: i * 10 }), i * 10);
    const copy = createRouter({ defaultQueue: { baselineShare: 0.3 } });
    copy.restore(JSON.parse(JSON.stringify(original.snapshot())));
    expect(copy.snapshot()).toEqual(original.snapshot());
    const next = [accept('c0', 'a1'), connect('c0', 'a1'), end('c0'), wrapDone('a1'), arrive('c9', { segment: 'gold', arrivedAt: 500 })];
    // Accept whatever is reserved to a1 in both, then compare all further decisions.
    const reservedToA1 = original.reservations().find((r) => r.agentId === 'a1')?.callId ?? 'c0';
    const events = next.map((e) => ('callId' in e && e.callId === 'c0' ? { ...e, callId: reservedToA1 } : e));
    events.forEach((event, i) => {
      expect(copy.apply(event, 600 + i).decisions).toEqual(original.apply(event, 600 + i).decisions);
    });
    expect(copy.snapshot()).toEqual(original.snapshot());
  });

  it('refuses a broken snapshot and keeps its state', () => {
    const router = createRouter();
    router.apply(login('a1'), 0);
    const good = router.snapshot();
    expect(() => router.restore({ ...good, agents: 'nope' })).toThrow(/snapshot/);
    const inconsistent = { ...good, calls: [{ ...callLike('c1'), phase: 'reserved', agentId: 'a1', deadline: 5 }] };
    expect(() => router.restore(inconsistent)).toThrow(RoutingError);
    expect(router.snapshot()).toEqual(good);
  });
});

function callLike(id: string): Record<string, unknown> {
  return {
    id,
    language: 'en',
    intent: 'x',
    requiredSkills: [],
    customerId: 'k',
    segment: 's',
    churnRisk: 0.1,
    clv: 1,
    valueAtRisk: 1,
    arrivedAt: 0,
    queue: 'default',
    arm: 'policy',
    phaseSince: 0,
    excluded: [],
    enqueueSeq: 1,
    offers: 0,
    transfers: 0,
  };
}

function teach(router: Router, agentId: string, segment: string, saves: number, calls: number): void {
  for (let i = 0; i < calls; i++) router.recordOutcome({ agentId, segment, saved: i < saves });
}
