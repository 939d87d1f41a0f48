import type { ReviewFilter } from '@shared/contract/review';
import { weekOf } from '@shared/supervisor/review-figures';
import type { OutcomeRecord } from '@shared/domain/wrap-up';
import {
  ALL_DIMENSION, countsOf, DIMENSION_COLUMNS, FACT_COLUMNS, FACT_MEASURES, factRow, filterClause, rebuildRollupsSql,
  REVIEW_ROW_SELECT, reviewRowOf, rollupKeys, rollupMeasures, ROLLUP_MEASURES, usesRollups, VERDICT_FACT_COLUMNS, verdictShifts,
  type CountsRow, type ReviewRowSql, type VerdictFact,
} from '../common/review-sql';
import { addTrendRow } from '../common/review-trend';
import type { ReviewFact, ReviewStore } from '../roles/review-store';
import type { SqliteContext } from './database';

const at = (): string => '?';

/**
 * The index a filtered range reads, named rather than left to the planner: to skip a sort for
 * GROUP BY agent_id it would walk the whole agent index with a row lookup per entry (seconds on a
 * million outcomes). An agent filter reads that agent's entries; anything else the covering scan index.
 */
const factsFor = (filter: ReviewFilter): string => `review_facts INDEXED BY ${filter.agent !== undefined ? 'review_facts_agent' : 'review_facts_scan'}`;

/** Writes an outcome's review fact and adds it to the daily rollups; call inside the outcome's transaction. */
export function sqliteReviewWriter({ db }: SqliteContext): (outcome: OutcomeRecord, fact: ReviewFact) => void {
  const insertFact = db.prepare(`INSERT INTO review_facts (${FACT_COLUMNS.join(', ')}) VALUES (${FACT_COLUMNS.map(() => '?').join(', ')})`);
  const bump = db.prepare(`INSERT INTO review_daily (day, dim, key, calls, saves, offers_made, offers_accepted, value_saved, offer_cost)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dim, day, key) DO UPDATE SET calls = calls + excluded.calls, saves = saves + excluded.saves,
    offers_made = offers_made + excluded.offers_made, offers_accepted = offers_accepted + excluded.offers_accepted,
    value_saved = value_saved + excluded.value_saved, offer_cost = offer_cost + excluded.offer_cost`);
  return (outcome, fact) => {
    const row = factRow(outcome, fact);
    insertFact.run(...row);
    if (outcome.disposition === 'not_retention') return;
    const measures = rollupMeasures(row);
    for (const { dim, key } of rollupKeys(row)) bump.run(row[0], dim, key, ...measures);
  };
}

export function sqliteReview({ db }: SqliteContext): ReviewStore {
  /** The range's sums, split into the current range (cur = 1) and the one before (cur = 0), grouped further by `groupBy`. */
  const split = (filter: ReviewFilter, before: { from: string }, groupBy: string | null, dim: string | null) => {
    const params: unknown[] = [filter.from, before.from, filter.to];
    const key = groupBy ? `${groupBy} AS key, ` : '';
    if (usesRollups(filter)) {
      params.push(dim ?? ALL_DIMENSION);
      return db.prepare(`SELECT ${key}CASE WHEN day >= ? THEN 1 ELSE 0 END AS cur, ${ROLLUP_MEASURES} FROM review_daily
        WHERE day BETWEEN ? AND ? AND dim = ? GROUP BY ${groupBy ? 'key, ' : ''}cur`).all(...params) as (CountsRow & { key?: string; cur: number })[];
    }
    const where = filterClause(filter, params, at);
    return db.prepare(`SELECT ${key}CASE WHEN day >= ? THEN 1 ELSE 0 END AS cur, ${FACT_MEASURES} FROM ${factsFor(filter)}
      WHERE day BETWEEN ? AND ? AND retention = 1${where} GROUP BY ${groupBy ? `${groupBy}, ` : ''}cur`).all(...params) as (CountsRow & { key?: string; cur: number })[];
  };

  const cohort = (sql: string, params: unknown[], limit: number) => {
    const rows = db.prepare(`${sql} LIMIT ?`).all(...params, limit) as { customer_id: string; contact_at: string }[];
    const lastActive = db.prepare<[string], { at: string | null }>(`SELECT MAX(occurred_at) AS at FROM transactions
      WHERE customer_id = ? AND kind IN ('payment', 'purchase')`);
    return rows.map((r) => ({ customerId: r.customer_id, contactAt: r.contact_at, lastActiveAt: lastActive.get(r.customer_id)?.at ?? null }));
  };

  return {
    async reviewTotals(filter, before) {
      const rows = split(filter, before, null, null);
      return { current: countsOf(rows.find((r) => r.cur === 1)), before: countsOf(rows.find((r) => r.cur === 0)) };
    },
    async reviewTrend(filter, grain) {
      const params: unknown[] = [filter.from, filter.to];
      const rows = usesRollups(filter)
        ? db.prepare(`SELECT day, ${ROLLUP_MEASURES} FROM review_daily WHERE day BETWEEN ? AND ? AND dim = '${ALL_DIMENSION}' GROUP BY day ORDER BY day`).all(...params)
        : db.prepare(`SELECT day, ${FACT_MEASURES} FROM ${factsFor(filter)} WHERE day BETWEEN ? AND ? AND retention = 1${filterClause(filter, params, at)} GROUP BY day ORDER BY day`).all(...params);
      const points = new Map<string, ReturnType<typeof countsOf>>();
      for (const row of rows as (CountsRow & { day: string })[]) addTrendRow(points, grain === 'day' ? row.day : weekOf(row.day), countsOf(row));
      return [...points].map(([period, counts]) => ({ period, counts }));
    },
    async reviewCut(filter, dimension, before) {
      const rows = split(filter, before, usesRollups(filter) ? 'key' : DIMENSION_COLUMNS[dimension], dimension);
      const groups = new Map<string, { key: string; current: ReturnType<typeof countsOf>; before: ReturnType<typeof countsOf> }>();
      for (const row of rows) {
        const key = String(row.key);
        const group = groups.get(key) ?? { key, current: countsOf(undefined), before: countsOf(undefined) };
        group[row.cur === 1 ? 'current' : 'before'] = countsOf(row);
        groups.set(key, group);
      }
      return [...groups.values()].filter((g) => g.current.calls > 0).sort((a, b) => b.current.calls - a.current.calls || a.key.localeCompare(b.key));
    },
    async reviewCalls(filter, page) {
      const params: unknown[] = [filter.from, filter.to];
      let where = filterClause(filter, params, at).replaceAll(' AND ', ' AND f.');
      if (page.savesOnly) where += ' AND f.saved = 1';
      if (page.before) {
        params.push(page.before.receivedAt, page.before.outcomeId);
        where += ' AND (f.received_at, f.outcome_id) < (?, ?)';
      }
      params.push(page.limit);
      const rows = db.prepare(`${REVIEW_ROW_SELECT} WHERE f.day BETWEEN ? AND ? AND f.retention = 1${where}
        ORDER BY f.received_at DESC, f.outcome_id DESC LIMIT ?`).all(...params) as ReviewRowSql[];
      return rows.map(reviewRowOf);
    },
    async recordVerdicts(verdicts) {
      const read = db.prepare<[string], VerdictFact>(`SELECT ${VERDICT_FACT_COLUMNS.join(', ')} FROM review_facts WHERE outcome_id = ?`);
      const write = db.prepare('UPDATE review_facts SET verdict = ? WHERE day = ? AND outcome_id = ?');
      const shift = db.prepare('UPDATE review_daily SET verified_resolved = verified_resolved + ?, verified_stayed = verified_stayed + ? WHERE dim = ? AND day = ? AND key = ?');
      return db.transaction(() => {
        const changes = verdicts.flatMap(({ outcomeId, verdict }) => {
          const fact = read.get(outcomeId);
          return fact && fact.verdict !== verdict ? [{ fact, to: verdict }] : [];
        });
        for (const { fact, to } of changes) write.run(to, fact.day, fact.outcome_id);
        for (const s of verdictShifts(changes)) shift.run(s.resolved, s.stayed, s.dim, s.day, s.key);
        return changes.length;
      })();
    },
    async cohortSaved(filter, limit) {
      const params: unknown[] = [filter.from, filter.to];
      const where = filterClause(filter, params, at);
      const sample = `SELECT customer_id, received_at FROM ${filter.agent !== undefined ? factsFor(filter) : 'review_facts'} WHERE day BETWEEN ? AND ? AND saved = 1${where} ORDER BY day LIMIT ?`;
      const members = cohort(`SELECT customer_id, MIN(received_at) AS contact_at FROM (${sample}) GROUP BY customer_id ORDER BY customer_id`, [...params, limit + 1], limit);
      const saves = (db.prepare(`SELECT COUNT(*) AS n FROM (${sample})`).get(...params, limit + 1) as { n: number }).n;
      return { members, sampled: saves > limit };
    },
    async cohortUntouched(filter, limit) {
      const contactAt = `${filter.from}T00:00:00.000Z`;
      // "T99" sorts after any time of the last day.
      const members = cohort(`SELECT s.customer_id, '${contactAt}' AS contact_at FROM scores s WHERE s.churn_band = 'high'
        AND NOT EXISTS (SELECT 1 FROM review_facts f WHERE f.customer_id = s.customer_id AND f.day BETWEEN ? AND ?)
        AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.customer_id = s.customer_id AND i.occurred_at >= ? AND i.occurred_at < ?)
        ORDER BY s.customer_id`, [filter.from, filter.to, contactAt, `${filter.to}T99`], limit + 1);
      return { members: members.slice(0, limit), sampled: members.length > limit };
    },
    async rebuildReviewRollups() {
      db.transaction(() => {
        db.prepare('DELETE FROM review_daily').run();
        db.prepare(rebuildRollupsSql()).run();
      })();
    },
  };
}
