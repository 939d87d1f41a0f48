import { expect, it } from 'vitest';
import { REVIEW_DIMENSIONS, type ReviewCounts, type ReviewDimension, type ReviewFilter, type StoredVerdict } from '@shared/contract/review';
import type { OutcomeRecord } from '@shared/domain/wrap-up';
import { previousPeriod, weekOf } from '@shared/supervisor/review-figures';
import { DIMENSION_COLUMNS, factRow, FACT_COLUMNS } from '../../../src-server/store/common/review-sql';
import type { OutcomeWrite, ReviewFact } from '../../../src-server/store/server-store';
import { describeStoreContract } from './contract-harness';
import * as fx from './fixtures';

/**
 * Outcomes over six weeks with every cut varied, and a plain reference that
 * counts them in JavaScript: each review query must agree with it, from the
 * rollups (no cut filtered) and from the facts (a cut filtered).
 */
const DISPOSITIONS = ['retained', 'churned', 'retained', 'undecided', 'not_retention', 'callback', 'retained'] as const;
const AGENTS = ['A-0001', 'A-0002', 'A-0003'];

function written(n: number): { outcome: OutcomeRecord; review: ReviewFact } {
  const day = new Date(Date.UTC(2026, 9, 1) + (n % 42) * 86_400_000 + (n % 17) * 60_000);
  const disposition = DISPOSITIONS[n % DISPOSITIONS.length]!;
  const offered = n % 3 !== 0;
  const outcome = fx.outcome(n, {
    agentId: AGENTS[n % 3]!, agentName: `Agent ${(n % 3) + 1}`, disposition, receivedAt: day.toISOString(), createdAt: day.toISOString(),
    offerId: offered ? (n % 2 === 0 ? 'OFF-1' : 'OFF-2') : null, offerOutcome: offered ? (n % 4 === 1 ? 'declined' : 'accepted') : 'no_offer',
    clv: 1000 + n, valueTier: (['high', 'mid', 'low'] as const)[n % 3]!,
  });
  const review: ReviewFact = {
    team: n % 2 === 0 ? 'Harbour' : 'Summit', tier: outcome.valueTier!, rfm: ['Champions', 'At risk', 'Lost', 'Loyal'][n % 4]!,
    lifecycle: ['new', 'mature', 'declining'][n % 3]!, script: ['price', 'service'][n % 2]!, channel: 'call',
    direction: n % 5 === 0 ? 'outreach' : 'inbound', arm: n % 5 === 0 ? 'none' : n % 7 === 0 ? 'baseline' : 'policy',
    offerCost: offered ? 60 + (n % 2) * 15 : 0, brief: { churnProbability: 0.5, reasons: [`Reason ${n}`], clv: 1000 + n },
  };
  return { outcome, review };
}

const ALL = Array.from({ length: 400 }, (_, i) => written(i + 1));
const write = ({ outcome, review }: { outcome: OutcomeRecord; review: ReviewFact }): OutcomeWrite => ({ outcome, review, interaction: null, offerStat: null });

function valueOf(w: { outcome: OutcomeRecord; review: ReviewFact }, dimension: ReviewDimension): string {
  return String(factRow(w.outcome, w.review)[FACT_COLUMNS.indexOf(DIMENSION_COLUMNS[dimension] as (typeof FACT_COLUMNS)[number])]);
}

function matches(w: { outcome: OutcomeRecord; review: ReviewFact }, filter: ReviewFilter, from = filter.from, to = filter.to): boolean {
  const day = w.outcome.receivedAt.slice(0, 10);
  if (day < from || day > to || w.outcome.disposition === 'not_retention') return false;
  return REVIEW_DIMENSIONS.every((d) => filter[d] === undefined || valueOf(w, d) === filter[d]);
}

/** Counts as the store should give them; `verdicts` holds the verdicts recorded so far (the rest are pending). */
function count(rows: typeof ALL, verdicts: ReadonlyMap<string, StoredVerdict> = new Map()): ReviewCounts {
  const c = { calls: 0, saves: 0, offersMade: 0, offersAccepted: 0, valueSaved: 0, offerCost: 0, verifiedResolved: 0, verifiedStayed: 0 };
  for (const { outcome, review } of rows) {
    const verdict = verdicts.get(outcome.id) ?? 'pending';
    const saved = outcome.disposition === 'retained';
    const offered = outcome.offerId !== null && outcome.offerOutcome !== 'no_offer';
    const accepted = offered && outcome.offerOutcome === 'accepted';
    c.calls++;
    c.saves += saved ? 1 : 0;
    c.offersMade += offered ? 1 : 0;
    c.offersAccepted += accepted ? 1 : 0;
    c.valueSaved += saved ? outcome.clv ?? 0 : 0;
    c.offerCost += accepted ? review.offerCost : 0;
    c.verifiedResolved += saved && verdict !== 'pending' ? 1 : 0;
    c.verifiedStayed += saved && verdict === 'stayed' ? 1 : 0;
  }
  return c;
}

const FILTERS: ReviewFilter[] = [
  { from: '2026-10-22', to: '2026-11-11' },
  { from: '2026-10-22', to: '2026-11-11', agent: 'A-0002' },
  { from: '2026-10-08', to: '2026-11-11', tier: 'high', direction: 'inbound' },
  { from: '2026-10-15', to: '2026-10-15', rfm: 'At risk' },
];

describeStoreContract('ReviewStore', (h) => {
  it('sums a range and the one before it as the outcomes say, from rollups and from facts alike', async () => {
    await h.store.applyOutcomes(ALL.map(write));
    for (const filter of FILTERS) {
      const before = previousPeriod(filter);
      const totals = await h.store.reviewTotals(filter, before);
      expect(totals.current).toEqual(count(ALL.filter((w) => matches(w, filter))));
      expect(totals.before).toEqual(count(ALL.filter((w) => matches(w, filter, before.from, before.to))));
    }
  });

  it('counts each outcome once: a repeated wrap-up adds nothing', async () => {
    await h.store.applyOutcomes(ALL.slice(0, 50).map(write));
    await h.store.applyOutcomes(ALL.slice(0, 60).map(write));
    expect(await h.store.insertOutcome(ALL[0]!.outcome)).toBe(false);
    const filter = FILTERS[0]!;
    const rows = ALL.slice(0, 60);
    expect((await h.store.reviewTotals(filter, previousPeriod(filter))).current).toEqual(count(rows.filter((w) => matches(w, filter))));
  });

  it('gives the trend per day and per ISO week', async () => {
    await h.store.applyOutcomes(ALL.map(write));
    for (const filter of FILTERS) {
      for (const grain of ['day', 'week'] as const) {
        const expected = new Map<string, typeof ALL>();
        for (const w of ALL.filter((x) => matches(x, filter))) {
          const day = w.outcome.receivedAt.slice(0, 10);
          const period = grain === 'day' ? day : weekOf(day);
          expected.set(period, [...(expected.get(period) ?? []), w]);
        }
        const trend = await h.store.reviewTrend(filter, grain);
        expect(Object.fromEntries(trend.map((p) => [p.period, p.counts]))).toEqual(Object.fromEntries([...expected].map(([p, rows]) => [p, count(rows)])));
      }
    }
  });

  it('cuts by every dimension, the previous period beside each group', async () => {
    await h.store.applyOutcomes(ALL.map(write));
    for (const filter of FILTERS.slice(0, 3)) {
      const before = previousPeriod(filter);
      for (const dimension of REVIEW_DIMENSIONS) {
        const cut = await h.store.reviewCut(filter, dimension, before);
        const keys = [...new Set(ALL.filter((w) => matches(w, filter)).map((w) => valueOf(w, dimension)))];
        expect(cut.map((g) => g.key).sort()).toEqual(keys.sort());
        for (const group of cut) {
          const inGroup = (w: (typeof ALL)[number]) => valueOf(w, dimension) === group.key;
          expect(group.current).toEqual(count(ALL.filter((w) => matches(w, filter) && inGroup(w))));
          expect(group.before).toEqual(count(ALL.filter((w) => matches(w, filter, before.from, before.to) && inGroup(w))));
        }
        const sizes = cut.map((g) => g.current.calls);
        expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
      }
    }
  });

  it('pages through the calls behind a number, newest first, each once', async () => {
    await h.store.applyOutcomes(ALL.map(write));
    for (const filter of FILTERS.slice(0, 3)) {
      for (const savesOnly of [false, true]) {
        const seen: string[] = [];
        let before: { receivedAt: string; outcomeId: string } | null = null;
        for (;;) {
          const page = await h.store.reviewCalls(filter, { savesOnly, before, limit: 7 });
          seen.push(...page.map((r) => r.outcomeId));
          const last = page[page.length - 1];
          if (page.length < 7 || !last) break;
          before = { receivedAt: last.receivedAt, outcomeId: last.outcomeId };
        }
        const expected = ALL.filter((w) => matches(w, filter) && (!savesOnly || w.outcome.disposition === 'retained'))
          .sort((a, b) => (a.outcome.receivedAt === b.outcome.receivedAt ? (a.outcome.id < b.outcome.id ? 1 : -1) : a.outcome.receivedAt < b.outcome.receivedAt ? 1 : -1))
          .map((w) => w.outcome.id);
        expect(seen).toEqual(expected);
      }
    }
    const [row] = await h.store.reviewCalls({ from: '2026-10-01', to: '2026-12-31', agent: 'A-0002' }, { savesOnly: false, before: null, limit: 1 });
    const source = ALL.find((w) => w.outcome.id === row!.outcomeId)!;
    expect(JSON.parse(row!.data)).toEqual(source.outcome);
    expect(JSON.parse(row!.brief)).toEqual(source.review.brief);
    expect({ tier: row!.tier, rfm: row!.rfm, lifecycle: row!.lifecycle, team: row!.team, arm: row!.arm }).toEqual({
      tier: source.review.tier, rfm: source.review.rfm, lifecycle: source.review.lifecycle, team: source.review.team, arm: source.review.arm,
    });
  });

  it('rebuilds the rollups to the same figures, and keeps them across a restart', async () => {
    await h.store.applyOutcomes(ALL.map(write));
    const filter = FILTERS[0]!;
    const cutBefore = await h.store.reviewCut(filter, 'offer', previousPeriod(filter));
    await h.store.rebuildReviewRollups();
    expect(await h.store.reviewCut(filter, 'offer', previousPeriod(filter))).toEqual(cutBefore);
    await h.reopen();
    expect(await h.store.reviewCut(filter, 'offer', previousPeriod(filter))).toEqual(cutBefore);
  });

  it('records verdicts and counts the verified saves in every query, rollups and facts alike', async () => {
    await h.store.applyOutcomes(ALL.map(write));
    const verdicts = new Map<string, StoredVerdict>();
    // Every third outcome stayed, every fifth left (non-saves and not-retention calls included), the rest pending.
    const first = ALL.flatMap(({ outcome }, i): { outcomeId: string; verdict: StoredVerdict }[] => (i % 3 === 0 ? [{ outcomeId: outcome.id, verdict: 'stayed' }] : i % 5 === 0 ? [{ outcomeId: outcome.id, verdict: 'left' }] : []));
    expect(await h.store.recordVerdicts([...first, { outcomeId: 'O-unknown', verdict: 'stayed' }])).toBe(first.length);
    for (const { outcomeId, verdict } of first) verdicts.set(outcomeId, verdict);
    // The same verdicts again change nothing.
    expect(await h.store.recordVerdicts(first)).toBe(0);
    // Verdicts move: stayed -> left, left -> pending (a reactivation before the horizon).
    const moved = [{ outcomeId: ALL[0]!.outcome.id, verdict: 'left' as const }, { outcomeId: ALL[5]!.outcome.id, verdict: 'pending' as const }];
    expect(await h.store.recordVerdicts(moved)).toBe(2);
    for (const { outcomeId, verdict } of moved) verdicts.set(outcomeId, verdict);

    const check = async () => {
      for (const filter of FILTERS) {
        const before = previousPeriod(filter);
        const totals = await h.store.reviewTotals(filter, before);
        expect(totals.current).toEqual(count(ALL.filter((w) => matches(w, filter)), verdicts));
        expect(totals.before).toEqual(count(ALL.filter((w) => matches(w, filter, before.from, before.to)), verdicts));
        const trend = await h.store.reviewTrend(filter, 'week');
        expect(trend.reduce((sum, p) => sum + p.counts.verifiedStayed, 0)).toBe(totals.current.verifiedStayed);
      }
      const cut = await h.store.reviewCut(FILTERS[0]!, 'agent', previousPeriod(FILTERS[0]!));
      for (const group of cut) {
        expect(group.current).toEqual(count(ALL.filter((w) => matches(w, FILTERS[0]!) && w.outcome.agentId === group.key), verdicts));
      }
    };
    await check();
    const total = count(ALL.filter((w) => matches(w, FILTERS[0]!)), verdicts);
    expect(total.verifiedResolved).toBeGreaterThan(5);
    expect(total.verifiedStayed).toBeGreaterThan(0);
    expect(total.verifiedStayed).toBeLessThan(total.verifiedResolved);
    // A rebuild counts the same verdicts from the facts.
    await h.store.rebuildReviewRollups();
    await check();
    const rows = await h.store.reviewCalls({ from: '2026-09-01', to: '2026-12-31' }, { savesOnly: false, before: null, limit: 500 });
    for (const row of rows) expect(row.verdict).toBe(verdicts.get(row.outcomeId) ?? 'pending');
  });

  it('finds the saved cohort and the untouched high-risk customers, with their last activity', async () => {
    // Customers 1-6: 1-3 saved in the range; 4-6 high risk, 6 contacted in the range (so not untouched).
    const payment = (n: number, at: string) => ({ id: `T-${n}-${at}`, customerId: fx.customerId(n), occurredAt: at, amount: 20, kind: 'payment' as const });
    await h.store.upsertCustomers([1, 2, 3, 4, 5, 6].map((n) => ({
      ...fx.bundle(n, 0),
      scores: fx.scores(n, { churnBand: n >= 4 ? 'high' : 'medium' }),
      interactions: n === 6 ? [fx.interaction(6, 1, { occurredAt: '2026-10-20T10:00:00.000Z' })] : [],
      transactions: [payment(n, '2026-09-01T00:00:00.000Z'), ...(n % 2 === 0 ? [payment(n, '2026-12-01T00:00:00.000Z')] : []), { ...payment(n, '2026-12-20T00:00:00.000Z'), id: `inv-${n}`, kind: 'invoice' as const }],
    })));
    const saveOf = (n: number, day: string, disposition: OutcomeRecord['disposition'] = 'retained') => write({
      outcome: fx.outcome(100 + n, { customerId: fx.customerId(n), disposition, receivedAt: `${day}T10:00:00.000Z` }), review: written(n).review,
    });
    await h.store.applyOutcomes([saveOf(1, '2026-10-15'), saveOf(2, '2026-10-16'), saveOf(3, '2026-10-17'), saveOf(5, '2026-09-01', 'churned')]);
    const filter = { from: '2026-10-10', to: '2026-10-31' };
    const saved = await h.store.cohortSaved(filter, 10);
    expect(saved.sampled).toBe(false);
    expect(saved.members).toEqual([
      { customerId: fx.customerId(1), contactAt: '2026-10-15T10:00:00.000Z', lastActiveAt: '2026-09-01T00:00:00.000Z' },
      { customerId: fx.customerId(2), contactAt: '2026-10-16T10:00:00.000Z', lastActiveAt: '2026-12-01T00:00:00.000Z' },
      { customerId: fx.customerId(3), contactAt: '2026-10-17T10:00:00.000Z', lastActiveAt: '2026-09-01T00:00:00.000Z' },
    ]);
    const untouched = await h.store.cohortUntouched(filter, 10);
    expect(untouched.sampled).toBe(false);
    expect(untouched.members.map((m) => [m.customerId, m.contactAt, m.lastActiveAt])).toEqual([
      [fx.customerId(4), '2026-10-10T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
      [fx.customerId(5), '2026-10-10T00:00:00.000Z', '2026-09-01T00:00:00.000Z'],
    ]);
    expect(await h.store.cohortUntouched(filter, 1)).toEqual({ members: [untouched.members[0]], sampled: true });
    // A sample of the oldest saves: the first two of the range.
    const sample = await h.store.cohortSaved(filter, 2);
    expect(sample.sampled).toBe(true);
    expect(sample.members.map((m) => m.customerId)).toEqual([fx.customerId(1), fx.customerId(2)]);
  });
});
