import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VerifiedOutcomes } from '../../../src-server/outcomes/verified-outcomes';
import { openServerStore } from '../../../src-server/store/open-store';
import type { ServerStore } from '../../../src-server/store/server-store';
import { makeTempDir } from '../../support/temp-dir';
import * as fx from '../store/fixtures';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const daysAgo = (d: number): string => new Date(NOW - d * DAY).toISOString();
const config = { horizonsDays: [30, 60, 90], learnHorizonDays: 30, windowDays: 365 };

describe('verified outcomes on a real SQLite store', () => {
  const dir = makeTempDir('verified');
  let store: ServerStore;
  afterEach(async () => {
    await store?.close();
  });

  it('verifies claims, gives claimed against verified figures, and moves routing counts once (a restart does not apply them again)', async () => {
    store = await openServerStore({ kind: 'sqlite', file: join(dir.path, 'verified.db') });
    await store.upsertCustomers([1, 2, 3, 4].map((n) => fx.bundle(n, 0)));
    const claim = (n: number, agentId: string, disposition: 'retained' | 'churned', ageDays: number) =>
      fx.outcome(n, { customerId: fx.customerId(n), agentId, disposition, createdAt: daysAgo(ageDays), receivedAt: daysAgo(ageDays), routingSegment: 'mid-high', learntSave: disposition === 'retained' ? 1 : 0 });
    await store.insertOutcome(claim(1, 'A-1', 'retained', 100)); // stays: verified at every horizon
    await store.insertOutcome(claim(2, 'A-1', 'retained', 100)); // cancels on day 45: stayed at 30, left at 60 and 90
    await store.insertOutcome(claim(3, 'A-2', 'retained', 10)); // cancels on day 5: left already
    await store.insertOutcome(claim(4, 'A-2', 'retained', 10)); // too early
    await store.applyAccountEvents([fx.accountEvent('E-2', 2, 'cancelled', 1), fx.accountEvent('E-3', 3, 'cancelled', 1)].map((e, i) => ({ ...e, occurredAt: daysAgo(i === 0 ? 55 : 5) })));

    const revisions: Array<[string, string, number]> = [];
    const verified = new VerifiedOutcomes(store, config, { revise: (a, s, d) => revisions.push([a, s, d]) }, () => NOW);
    await verified.refresh();
    const figures = verified.figures();
    expect(figures.overall).toEqual({
      attempts: 4, claimedSaves: 4,
      horizons: [{ days: 30, stayed: 2, left: 1, tooEarly: 1 }, { days: 60, stayed: 1, left: 2, tooEarly: 1 }, { days: 90, stayed: 1, left: 2, tooEarly: 1 }],
    });
    expect(figures.byAgent['A-2']?.horizons[0]).toEqual({ days: 30, stayed: 0, left: 1, tooEarly: 1 });
    expect(figures.verificationRate).toEqual({ resolved: 3, verified: 2 });
    // Customer 3 left: their save goes from 1 to 0. Customer 4's claim is discounted to the measured rate.
    const rate = verified.claimWeight('mid-high', true);
    expect(rate).toBeLessThan(1);
    expect(revisions).toContainEqual(['A-2', 'mid-high', -1]);
    expect(revisions.find(([a, , d]) => a === 'A-2' && d !== -1)?.[2]).toBeCloseTo(rate - 1, 6);
    expect(revisions.filter(([a]) => a === 'A-1')).toEqual([]);

    // The review counts the same verdicts at the learning horizon, and each call shows its own.
    const range = { from: daysAgo(120).slice(0, 10), to: daysAgo(0).slice(0, 10) };
    const totals = await store.reviewTotals(range, { from: daysAgo(240).slice(0, 10), to: daysAgo(121).slice(0, 10) });
    expect(totals.current).toMatchObject({ saves: 4, verifiedResolved: 3, verifiedStayed: 2 });
    const rows = await store.reviewCalls(range, { savesOnly: true, before: null, limit: 10 });
    expect(Object.fromEntries(rows.map((r) => [JSON.parse(r.data).customerId as string, r.verdict]))).toEqual({
      [fx.customerId(1)]: 'stayed', [fx.customerId(2)]: 'stayed', [fx.customerId(3)]: 'left', [fx.customerId(4)]: 'pending',
    });

    const again = new VerifiedOutcomes(store, config, { revise: (a, s, d) => revisions.push([a, s, d]) }, () => NOW);
    const before = revisions.length;
    await again.refresh();
    expect(revisions.length).toBe(before);

    // Customer 4 cancels now, before their horizon: left.
    await store.applyAccountEvents([{ ...fx.accountEvent('E-4', 4, 'cancelled', 1), occurredAt: daysAgo(1) }]);
    await again.refresh();
    const moved = await store.reviewTotals(range, { from: daysAgo(240).slice(0, 10), to: daysAgo(121).slice(0, 10) });
    expect(moved.current).toMatchObject({ verifiedResolved: 4, verifiedStayed: 2 });
  });
});
