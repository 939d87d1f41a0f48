import { describe, expect, it } from 'vitest';
import { createRouter, type CreateRouterOptions, type Router } from '@shared/routing';
import { decayOccupancy, occupancyFactor } from '@shared/routing/policies';
import { accept, arrive, connect, end, login, wrapDone } from './helpers';

function teach(router: Router, agentId: string, segment: string, saves: number, calls: number): void {
  for (let i = 0; i < calls; i++) router.recordOutcome({ agentId, segment, saved: i < saves });
}

/** Three agents with a history in "gold": a so-so, b strong, c weak; plus filler agents for the prior. */
function routerWithHistory(options: CreateRouterOptions = {}): Router {
  const router = createRouter(options);
  teach(router, 'a', 'gold', 40, 100);
  teach(router, 'b', 'gold', 70, 100);
  teach(router, 'c', 'gold', 20, 100);
  for (let i = 0; i < 5; i++) teach(router, `filler-${i}`, 'gold', 35 + i * 5, 100);
  for (const id of ['a', 'b', 'c']) router.apply(login(id), 0);
  return router;
}

describe('longestIdle policy (baseline)', () => {
  it('gives the call to the eligible agent idle longest, whatever their record', () => {
    const router = routerWithHistory({ defaultQueue: { policy: 'longestIdle' } });
    expect(router.apply(arrive('c1', { segment: 'gold' }), 1000).decisions[0]?.agentId).toBe('a');
    expect(router.apply(arrive('c2', { segment: 'gold' }), 1001).decisions[0]?.agentId).toBe('b');
  });
});

describe('predictive policy', () => {
  it('gives the call to the agent with the best shrunk record for the segment', () => {
    const router = routerWithHistory();
    const decision = router.apply(arrive('c1', { segment: 'gold' }), 1000).decisions[0];
    expect(decision).toMatchObject({ agentId: 'b', policy: 'predictive' });
    expect(router.apply(arrive('c2', { segment: 'gold' }), 1001).decisions[0]?.agentId).toBe('a');
  });

  it('does not trust a newcomer with 3 lucky calls over a proven agent', () => {
    const router = routerWithHistory();
    teach(router, 'lucky', 'gold', 3, 3);
    router.apply({ type: 'agentLogout', agentId: 'a' }, 1);
    router.apply({ type: 'agentLogout', agentId: 'c' }, 1);
    router.apply(login('lucky'), 2);
    expect(router.estimate('lucky', 'gold').mean).toBeLessThan(router.estimate('b', 'gold').mean);
    expect(router.apply(arrive('c1', { segment: 'gold' }), 1000).decisions[0]?.agentId).toBe('b');
  });

  it('falls back to longest idle for a segment nobody has history in', () => {
    const router = routerWithHistory();
    expect(router.apply(arrive('c1', { segment: 'new-segment' }), 1000).decisions[0]?.agentId).toBe('a');
  });

  it('a freed agent prefers the waiting call it has the comparative advantage on', () => {
    const router = createRouter({ defaultQueue: { match: { matchWeight: 20 } } });
    teach(router, 'b', 'gold', 80, 100);
    teach(router, 'b', 'iron', 30, 100);
    for (let i = 0; i < 4; i++) {
      teach(router, `f${i}`, 'gold', 40, 100);
      teach(router, `f${i}`, 'iron', 30, 100);
    }
    router.apply(arrive('iron-first', { segment: 'iron', arrivedAt: 0 }), 0);
    router.apply(arrive('gold-second', { segment: 'gold', arrivedAt: 1000 }), 1000);
    expect(router.apply(login('b'), 2000).decisions.map((d) => d.callId)).toEqual(['gold-second']);
  });
});

describe('occupancy and fairness guard', () => {
  it('decays occupancy towards busy or idle with the window time constant', () => {
    expect(decayOccupancy(0, true, 30 * 60_000, 30 * 60_000)).toBeCloseTo(1 - Math.exp(-1), 10);
    expect(decayOccupancy(1, false, 30 * 60_000, 30 * 60_000)).toBeCloseTo(Math.exp(-1), 10);
    const guard = { occupancyTarget: 0.8, occupancyPenalty: 0.5, highRiskThreshold: 0.7, maxConsecutiveHighRisk: 3, highRiskPenalty: 3 };
    expect(occupancyFactor(0.7, guard)).toBe(1);
    expect(occupancyFactor(0.9, guard)).toBeCloseTo(0.75, 10);
    expect(occupancyFactor(1, guard)).toBeCloseTo(0.5, 10);
  });

  /** b (the star) is kept on one call for two hours, so their recent occupancy is near 100%. */
  function burnOut(options: CreateRouterOptions): Router {
    const router = routerWithHistory(options);
    router.apply({ type: 'agentPresence', agentId: 'a', presence: 'away' }, 0);
    router.apply({ type: 'agentPresence', agentId: 'c', presence: 'away' }, 0);
    router.apply(arrive('long', { segment: 'gold' }), 0);
    router.apply(accept('long', 'b'), 0);
    router.apply(connect('long', 'b'), 0);
    router.apply({ type: 'agentPresence', agentId: 'a', presence: 'available' }, 7_100_000);
    router.apply(end('long'), 7_200_000);
    router.apply(wrapDone('b'), 7_200_000);
    return router;
  }

  it('sends the call past a burnt-out star to the next best agent', () => {
    const guarded = burnOut({});
    expect(guarded.agent('b')?.occupancy).toBeGreaterThan(0.9);
    expect(guarded.apply(arrive('next', { segment: 'gold', arrivedAt: 7_200_001 }), 7_200_001).decisions[0]?.agentId).toBe('a');
    const unguarded = burnOut({ defaultQueue: { guard: { occupancyPenalty: 0 } } });
    expect(unguarded.apply(arrive('next', { segment: 'gold', arrivedAt: 7_200_001 }), 7_200_001).decisions[0]?.agentId).toBe('b');
  });

  it('caps consecutive high-risk calls unless nobody else is free', () => {
    const router = routerWithHistory({ defaultQueue: { guard: { maxConsecutiveHighRisk: 2, highRiskThreshold: 0.7 } } });
    router.apply({ type: 'agentPresence', agentId: 'a', presence: 'away' }, 0);
    router.apply({ type: 'agentPresence', agentId: 'c', presence: 'away' }, 0);
    let t = 10;
    for (const id of ['h1', 'h2']) {
      router.apply(arrive(id, { segment: 'gold', churnRisk: 0.9, arrivedAt: t }), t);
      router.apply(accept(id, 'b'), t);
      router.apply(connect(id, 'b'), t);
      router.apply(end(id), t + 1);
      router.apply(wrapDone('b'), t + 2);
      t += 10;
    }
    expect(router.agent('b')?.consecutiveHighRisk).toBe(2);
    router.apply({ type: 'agentPresence', agentId: 'a', presence: 'available' }, t);
    expect(router.apply(arrive('h3', { segment: 'gold', churnRisk: 0.9, arrivedAt: t }), t).decisions[0]?.agentId).toBe('a');
    expect(router.apply(arrive('low', { segment: 'gold', churnRisk: 0.1, arrivedAt: t }), t).decisions[0]?.agentId).toBe('b');
    // Last resort: only b free, a high-risk call still goes to b rather than waiting.
    const solo = routerWithHistory({ defaultQueue: { guard: { maxConsecutiveHighRisk: 1 } } });
    solo.apply({ type: 'agentPresence', agentId: 'a', presence: 'away' }, 0);
    solo.apply({ type: 'agentPresence', agentId: 'c', presence: 'away' }, 0);
    solo.apply(arrive('x1', { segment: 'gold', churnRisk: 0.9 }), 1);
    solo.apply(accept('x1', 'b'), 1);
    solo.apply(connect('x1', 'b'), 1);
    solo.apply(end('x1'), 2);
    solo.apply(wrapDone('b'), 3);
    expect(solo.apply(arrive('x2', { segment: 'gold', churnRisk: 0.9, arrivedAt: 4 }), 4).decisions[0]?.agentId).toBe('b');
  });
});

describe('predictive matching beyond the longest-idle scan', () => {
  it('finds the segment\'s best agent even when far more agents are free than the scan limit', () => {
    const router = createRouter({ agentScanLimit: 32, defaultQueue: { policy: 'predictive' } });
    const ids = Array.from({ length: 120 }, (_, i) => `a${String(i).padStart(3, '0')}`);
    ids.forEach((id, i) => router.apply(login(id), i)); // a000 is the longest idle
    const star = 'a100'; // the 101st longest idle: beyond the 32 scanned
    for (const id of ids) for (let k = 0; k < 30; k++) router.recordOutcome({ agentId: id, segment: 'gold', saved: k < (id === star ? 27 : 12) });
    const { decisions } = router.apply(arrive('c1', { segment: 'gold', valueAtRisk: 3000, arrivedAt: 500 }), 500);
    expect(decisions.map((d) => d.agentId)).toEqual([star]);
    // The baseline arm still goes to the longest idle.
    const baseline = createRouter({ agentScanLimit: 32, defaultQueue: { policy: 'longestIdle' } });
    ids.forEach((id, i) => baseline.apply(login(id), i));
    expect(baseline.apply(arrive('c1', { segment: 'gold' }), 500).decisions.map((d) => d.agentId)).toEqual(['a000']);
  });
});
