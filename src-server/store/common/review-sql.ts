import type { ReviewCounts, ReviewDimension, ReviewFilter } from '@shared/contract/review';
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
  const at = (column: string): string => String(row[FACT_COLUMNS.indexOf(column as (typeof FACT_COLUMNS)[number])]);
  return [{ dim: ALL_DIMENSION, key: '' }, ...REVIEW_DIMENSIONS.map((dim) => ({ dim, key: at(DIMENSION_COLUMNS[dim]) }))];
}

/** The measures of one fact row, in rollup column order (calls, saves, offers made, accepted, value, cost). */
export function rollupMeasures(row: readonly unknown[]): number[] {
  const at = (column: (typeof FACT_COLUMNS)[number]): number => Number(row[FACT_COLUMNS.indexOf(column)]);
  return [1, at('saved'), at('offer_made'), at('offer_accepted'), at('value_saved'), at('offer_cost')];
}

/** Recounts every rollup row from the retention facts (run after the table was emptied). */
export function rebuildRollupsSql(): string {
  const measures = 'COUNT(*), SUM(saved), SUM(offer_made), SUM(offer_accepted), SUM(value_saved), SUM(offer_cost)';
  const parts = [
    `SELECT day, '${ALL_DIMENSION}', '', ${measures} FROM review_facts WHERE retention = 1 GROUP BY day`,
    ...REVIEW_DIMENSIONS.map((dim) => `SELECT day, '${dim}', ${DIMENSION_COLUMNS[dim]}, ${measures} FROM review_facts WHERE retention = 1 GROUP BY day, ${DIMENSION_COLUMNS[dim]}`),
  ];
  return `INSERT INTO review_daily (day, dim, key, calls, saves, offers_made, offers_accepted, value_saved, offer_cost)\n${parts.join('\nUNION ALL ')}`;
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
export const FACT_MEASURES = 'COUNT(*) AS calls, SUM(saved) AS saves, SUM(offer_made) AS offers_made, SUM(offer_accepted) AS offers_accepted, SUM(value_saved) AS value_saved, SUM(offer_cost) AS offer_cost';
export const ROLLUP_MEASURES = 'SUM(calls) AS calls, SUM(saves) AS saves, SUM(offers_made) AS offers_made, SUM(offers_accepted) AS offers_accepted, SUM(value_saved) AS value_saved, SUM(offer_cost) AS offer_cost';

export interface CountsRow { calls: number | string; saves: number | string | null; offers_made: number | string | null; offers_accepted: number | string | null; value_saved: number | string | null; offer_cost: number | string | null }

/** Sums as numbers (PostgreSQL returns bigint and numeric sums as text). */
export function countsOf(row: CountsRow | undefined): ReviewCounts {
  if (!row) return { calls: 0, saves: 0, offersMade: 0, offersAccepted: 0, valueSaved: 0, offerCost: 0 };
  return {
    calls: Number(row.calls), saves: Number(row.saves ?? 0), offersMade: Number(row.offers_made ?? 0), offersAccepted: Number(row.offers_accepted ?? 0),
    valueSaved: Number(row.value_saved ?? 0), offerCost: Number(row.offer_cost ?? 0),
  };
}

/** Rows of the drill-down and the export, with the outcome record beside its facts. */
export const REVIEW_ROW_SELECT = `SELECT f.outcome_id, f.received_at, o.data, f.team, f.tier, f.rfm, f.lifecycle, f.script, f.channel, f.direction, f.arm, f.offer_cost, f.brief
  FROM review_facts f JOIN outcomes o ON o.id = f.outcome_id`;

export interface ReviewRowSql { outcome_id: string; received_at: string; data: string; team: string; tier: string; rfm: string; lifecycle: string; script: string; channel: string; direction: string; arm: string; offer_cost: number | string; brief: string }

export const reviewRowOf = (r: ReviewRowSql) => ({
  outcomeId: r.outcome_id, receivedAt: r.received_at, data: r.data, team: r.team, tier: r.tier, rfm: r.rfm, lifecycle: r.lifecycle,
  script: r.script, channel: r.channel, direction: r.direction, arm: r.arm, offerCost: Number(r.offer_cost), brief: r.brief,
});

/** Whether a filter can be answered from the rollups: no cut filtered. */
export const usesRollups = (filter: ReviewFilter): boolean => filteredDimensions(filter).length === 0;
