import type { ReviewCounts, ReviewDimension, ReviewFilter, StoredVerdict } from '@shared/contract/review';
import { REVIEW_DIMENSIONS } from '@shared/contract/review';
import type { OutcomeRecord } from '@shared/domain/wrap-up';
import type { ReviewFact } from '../roles/review-store';
import { SAVED_DISPOSITION } from './constants';

/**
 * The review's SQL both stores share: the column of each cut, the rollup
 * rebuild and the filter clause. Only placeholders and casts differ, and
 * those are passed in.
 */

/** The facts column behind each cut. */
export const DIMENSION_COLUMNS: Record<ReviewDimension, string> = {
  agent: 'agent_id', team: 'team', tier: 'tier', rfm: 'rfm', lifecycle: 'lifecycle',
  offer: 'offer_id', script: 'script', channel: 'channel', direction: 'direction', arm: 'arm',
};

/** The rollup's pseudo-dimension holding the whole day. */
export const ALL_DIMENSION = 'all';

/** A value every unknown cut is stored as, so a group is never NULL. */
export const UNKNOWN = 'unknown';

/** A fact for an outcome applied without one (insertOutcome, old callers): what the outcome itself says. */
export function factFromOutcome(outcome: OutcomeRecord): ReviewFact {
  return {
    team: 'none', tier: outcome.valueTier ?? UNKNOWN, rfm: UNKNOWN, lifecycle: UNKNOWN, script: UNKNOWN,
    channel: 'call', direction: UNKNOWN, arm: UNKNOWN, offerCost: 0,
    brief: { churnProbability: null, reasons: [], clv: outcome.clv },
  };
}

/** The facts row of an outcome, in FACT_COLUMNS order. */
export function factRow(outcome: OutcomeRecord, fact: ReviewFact): unknown[] {
  const retention = outcome.disposition !== 'not_retention';
  const saved = outcome.disposition === SAVED_DISPOSITION;
  const offered = outcome.offerId !== null && outcome.offerOutcome !== 'no_offer';
  const accepted = offered && outcome.offerOutcome === 'accepted';
  return [
    outcome.receivedAt.slice(0, 10), outcome.id, outcome.receivedAt, outcome.customerId, outcome.agentId,
    fact.team, fact.tier, fact.rfm, fact.lifecycle, outcome.offerId ?? 'none', fact.script, fact.channel, fact.direction, fact.arm,
    retention ? 1 : 0, saved ? 1 : 0, offered ? 1 : 0, accepted ? 1 : 0,
    saved ? (outcome.clv ?? 0) : 0, accepted ? fact.offerCost : 0, JSON.stringify(fact.brief),
  ];
}

export const FACT_COLUMNS = [
  'day', 'outcome_id', 'received_at', 'customer_id', 'agent_id',
  'team', 'tier', 'rfm', 'lifecycle', 'offer_id', 'script', 'channel', 'direction', 'arm',
  'retention', 'saved', 'offer_made', 'offer_accepted', 'value_saved', 'offer_cost', 'brief',
] as const;

/** The rollup rows one new retention fact adds to: the whole day, then one per cut. */
export function rollupKeys(row: readonly unknown[]): { dim: string; key: string }[] {
  return rollupKeysOf((column) => row[FACT_COLUMNS.indexOf(column as (typeof FACT_COLUMNS)[number])]);
}

function rollupKeysOf(valueOf: (column: string) => unknown): { dim: string; key: string }[] {
  return [{ dim: ALL_DIMENSION, key: '' }, ...REVIEW_DIMENSIONS.map((dim) => ({ dim, key: String(valueOf(DIMENSION_COLUMNS[dim])) }))];
}

/** A fact as a verdict change reads it: what it is, its verdict now, and the columns of its rollup rows. */
export const VERDICT_FACT_COLUMNS = ['outcome_id', 'day', 'saved', 'retention', 'verdict', ...REVIEW_DIMENSIONS.map((dim) => DIMENSION_COLUMNS[dim])];
export type VerdictFact = { outcome_id: string; day: string; saved: number | string; retention: number | string; verdict: StoredVerdict } & Record<string, unknown>;

/** A change to the verified counts of one rollup row. */
export interface VerdictShift { dim: string; day: string; key: string; resolved: number; stayed: number }

const resolvedOf = (verdict: StoredVerdict): number => (verdict === 'pending' ? 0 : 1);
const stayedOf = (verdict: StoredVerdict): number => (verdict === 'stayed' ? 1 : 0);

/**
 * What moving facts to new verdicts adds to the rollups' verified counts,
 * summed per rollup row (only retention calls claimed saved count), in a
 * fixed order so concurrent writers take row locks in the same order.
 */
export function verdictShifts(changes: readonly { fact: VerdictFact; to: StoredVerdict }[]): VerdictShift[] {
  const shifts = new Map<string, VerdictShift>();
  for (const { fact, to } of changes) {
    if (Number(fact.saved) !== 1 || Number(fact.retention) !== 1) continue;
    const resolved = resolvedOf(to) - resolvedOf(fact.verdict);
    const stayed = stayedOf(to) - stayedOf(fact.verdict);
    if (resolved === 0 && stayed === 0) continue;
    for (const { dim, key } of rollupKeysOf((column) => fact[column])) {
      const id = `${dim}\u0000${fact.day}\u0000${key}`;
      const shift = shifts.get(id) ?? { dim, day: fact.day, key, resolved: 0, stayed: 0 };
      shift.resolved += resolved;
      shift.stayed += stayed;
      shifts.set(id, shift);
    }
  }
  return [...shifts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, shift]) => shift).filter((s) => s.resolved !== 0 || s.stayed !== 0);
}

/** The measures of one fact row, in rollup column order (calls, saves, offers made, accepted, value, cost). */
export function rollupMeasures(row: readonly unknown[]): number[] {
  const at = (column: (typeof FACT_COLUMNS)[number]): number => Number(row[FACT_COLUMNS.indexOf(column)]);
  return [1, at('saved'), at('offer_made'), at('offer_accepted'), at('value_saved'), at('offer_cost')];
}

/** Claimed saves resolved at the learning horizon, and those verified: verdicts count for saves only. */
const RESOLVED_SUM = "SUM(CASE WHEN saved = 1 AND verdict <> 'pending' THEN 1 ELSE 0 END)";
const STAYED_SUM = "SUM(CASE WHEN saved = 1 AND verdict = 'stayed' THEN 1 ELSE 0 END)";

/**
 * Recounts every rollup row from the retention facts (run after the table was emptied).
 * `verdicts: false` is the schema before verdicts were kept (the migration that made the rollups).
 */
export function rebuildRollupsSql({ verdicts }: { verdicts: boolean } = { verdicts: true }): string {
  const verdictMeasures = verdicts ? `, ${RESOLVED_SUM}, ${STAYED_SUM}` : '';
  const measures = `COUNT(*), SUM(saved), SUM(offer_made), SUM(offer_accepted), SUM(value_saved), SUM(offer_cost)${verdictMeasures}`;
  const parts = [
    `SELECT day, '${ALL_DIMENSION}', '', ${measures} FROM review_facts WHERE retention = 1 GROUP BY day`,
    ...REVIEW_DIMENSIONS.map((dim) => `SELECT day, '${dim}', ${DIMENSION_COLUMNS[dim]}, ${measures} FROM review_facts WHERE retention = 1 GROUP BY day, ${DIMENSION_COLUMNS[dim]}`),
  ];
  const verdictColumns = verdicts ? ', verified_resolved, verified_stayed' : '';
  return `INSERT INTO review_daily (day, dim, key, calls, saves, offers_made, offers_accepted, value_saved, offer_cost${verdictColumns})\n${parts.join('\nUNION ALL ')}`;
}

/** The filtered cuts of a filter, with their values. */
export function filteredDimensions(filter: ReviewFilter): { dimension: ReviewDimension; value: string }[] {
  return REVIEW_DIMENSIONS.flatMap((dimension) => (filter[dimension] !== undefined ? [{ dimension, value: filter[dimension] }] : []));
}

/** `AND col = ?` for each filtered cut; `param` makes the placeholder of the next parameter. */
export function filterClause(filter: ReviewFilter, params: unknown[], param: (index: number) => string): string {
  return filteredDimensions(filter).map(({ dimension, value }) => {
    params.push(value);
    return ` AND ${DIMENSION_COLUMNS[dimension]} = ${param(params.length)}`;
  }).join('');
}

/** The sums the facts table and the rollup table give, with their own column names. */
export const FACT_MEASURES = `COUNT(*) AS calls, SUM(saved) AS saves, SUM(offer_made) AS offers_made, SUM(offer_accepted) AS offers_accepted, SUM(value_saved) AS value_saved, SUM(offer_cost) AS offer_cost, ${RESOLVED_SUM} AS verified_resolved, ${STAYED_SUM} AS verified_stayed`;
export const ROLLUP_MEASURES = 'SUM(calls) AS calls, SUM(saves) AS saves, SUM(offers_made) AS offers_made, SUM(offers_accepted) AS offers_accepted, SUM(value_saved) AS value_saved, SUM(offer_cost) AS offer_cost, SUM(verified_resolved) AS verified_resolved, SUM(verified_stayed) AS verified_stayed';

type Sum = number | string | null;
export interface CountsRow { calls: number | string; saves: Sum; offers_made: Sum; offers_accepted: Sum; value_saved: Sum; offer_cost: Sum; verified_resolved: Sum; verified_stayed: Sum }

/** Sums as numbers (PostgreSQL returns bigint and numeric sums as text). */
export function countsOf(row: CountsRow | undefined): ReviewCounts {
  if (!row) return { calls: 0, saves: 0, offersMade: 0, offersAccepted: 0, valueSaved: 0, offerCost: 0, verifiedResolved: 0, verifiedStayed: 0 };
  return {
    calls: Number(row.calls), saves: Number(row.saves ?? 0), offersMade: Number(row.offers_made ?? 0), offersAccepted: Number(row.offers_accepted ?? 0),
    valueSaved: Number(row.value_saved ?? 0), offerCost: Number(row.offer_cost ?? 0),
    verifiedResolved: Number(row.verified_resolved ?? 0), verifiedStayed: Number(row.verified_stayed ?? 0),
  };
}

/** Rows of the drill-down and the export, with the outcome record beside its facts. */
export const REVIEW_ROW_SELECT = `SELECT f.outcome_id, f.received_at, o.data, f.team, f.tier, f.rfm, f.lifecycle, f.script, f.channel, f.direction, f.arm, f.offer_cost, f.brief, f.verdict
  FROM review_facts f JOIN outcomes o ON o.id = f.outcome_id`;

export interface ReviewRowSql { outcome_id: string; received_at: string; data: string; team: string; tier: string; rfm: string; lifecycle: string; script: string; channel: string; direction: string; arm: string; offer_cost: number | string; brief: string; verdict: StoredVerdict }

export const reviewRowOf = (r: ReviewRowSql) => ({
  outcomeId: r.outcome_id, receivedAt: r.received_at, data: r.data, team: r.team, tier: r.tier, rfm: r.rfm, lifecycle: r.lifecycle,
  script: r.script, channel: r.channel, direction: r.direction, arm: r.arm, offerCost: Number(r.offer_cost), brief: r.brief, verdict: r.verdict,
});

/** Whether a filter can be answered from the rollups: no cut filtered. */
export const usesRollups = (filter: ReviewFilter): boolean => filteredDimensions(filter).length === 0;
