import type { ReviewFilter, StoredVerdict } from '@shared/contract/review';
import type { OutcomeRecord } from '@shared/domain/wrap-up';
import { weekOf } from '@shared/supervisor/review-figures';
import {
  ALL_DIMENSION, countsOf, DIMENSION_COLUMNS, FACT_COLUMNS, FACT_MEASURES, factRow, filterClause, rebuildRollupsSql,
  REVIEW_ROW_SELECT, reviewRowOf, rollupKeys, rollupMeasures, ROLLUP_MEASURES, usesRollups, VERDICT_FACT_COLUMNS, verdictShifts,
  type CountsRow, type ReviewRowSql, type VerdictFact,
} from '../common/review-sql';
import { addTrendRow } from '../common/review-trend';
import type { ReviewFact, ReviewStore } from '../roles/review-store';
import type { PgContext, Queryable } from './database';

const at = (i: number): string => `$${i}`;

/** Writes an outcome's review fact and adds it to the daily rollups; call inside the outcome's transaction. */
export async function writeReviewFact(db: Queryable, outcome: OutcomeRecord, fact: ReviewFact): Promise<void> {
  const row = factRow(outcome, fact);
  await db.query(`INSERT INTO review_facts (${FACT_COLUMNS.join(', ')}) VALUES (${FACT_COLUMNS.map((_, i) => at(i + 1)).join(', ')})`, row);
  if (outcome.disposition === 'not_retention') return;
  const measures = rollupMeasures(row);
  const params: unknown[] = [];
  // One statement for every rollup row, always in the same order, so concurrent writers cannot deadlock on them.
  const values = rollupKeys(row).map(({ dim, key }) => {
    const start = params.push(row[0], dim, key, ...measures) - 9;
    return `(${Array.from({ length: 9 }, (_, i) => at(start + i + 1)).join(', ')})`;
  });
  await db.query(`INSERT INTO review_daily (day, dim, key, calls, saves, offers_made, offers_accepted, value_saved, offer_cost)
    VALUES ${values.join(', ')} ON CONFLICT (dim, day, key) DO UPDATE SET calls = review_daily.calls + excluded.calls,
    saves = review_daily.saves + excluded.saves, offers_made = review_daily.offers_made + excluded.offers_made,
    offers_accepted = review_daily.offers_accepted + excluded.offers_accepted, value_saved = review_daily.value_saved + excluded.value_saved,
    offer_cost = review_daily.offer_cost + excluded.offer_cost`, params);
}

export function postgresReview({ pool, transaction }: PgContext): ReviewStore {
  const split = async (filter: ReviewFilter, before: { from: string }, groupBy: string | null, dim: string | null) => {
    const params: unknown[] = [filter.from, before.from, filter.to];
    const key = groupBy ? `${groupBy} AS key, ` : '';
    if (usesRollups(filter)) {
      params.push(dim ?? ALL_DIMENSION);
      return (await pool.query(`SELECT ${key}CASE WHEN day >= $1 THEN 1 ELSE 0 END AS cur, ${ROLLUP_MEASURES} FROM review_daily
        WHERE day BETWEEN $2 AND $3 AND dim = $4 GROUP BY ${groupBy ? 'key, ' : ''}cur`, params)).rows as (CountsRow & { key?: string; cur: number })[];
    }
    const where = filterClause(filter, params, at);
    return (await pool.query(`SELECT ${key}CASE WHEN day >= $1 THEN 1 ELSE 0 END AS cur, ${FACT_MEASURES} FROM review_facts
      WHERE day BETWEEN $2 AND $3 AND retention = 1${where} GROUP BY ${groupBy ? `${groupBy}, ` : ''}cur`, params)).rows as (CountsRow & { key?: string; cur: number })[];
  };

  const cohort = async (sql: string, params: unknown[], limit: number) => {
    const { rows } = await pool.query<{ customer_id: string; contact_at: string; last_active: string | null }>(`
      SELECT m.customer_id, m.contact_at, (SELECT MAX(t.occurred_at) FROM transactions t
        WHERE t.customer_id = m.customer_id AND t.kind IN ('payment', 'purchase')) AS last_active
      FROM (${sql} LIMIT $${params.length + 1}) m ORDER BY m.customer_id`, [...params, limit]);
    return rows.map((r) => ({ customerId: r.customer_id, contactAt: r.contact_at, lastActiveAt: r.last_active }));
  };

  return {
    async reviewTotals(filter, before) {
      const rows = await split(filter, before, null, null);
      return { current: countsOf(rows.find((r) => Number(r.cur) === 1)), before: countsOf(rows.find((r) => Number(r.cur) === 0)) };
    },
    async reviewTrend(filter, grain) {
      const params: unknown[] = [filter.from, filter.to];
      const { rows } = usesRollups(filter)
        ? await pool.query(`SELECT day, ${ROLLUP_MEASURES} FROM review_daily WHERE day BETWEEN $1 AND $2 AND dim = '${ALL_DIMENSION}' GROUP BY day ORDER BY day`, params)
        : await pool.query(`SELECT day, ${FACT_MEASURES} FROM review_facts WHERE day BETWEEN $1 AND $2 AND retention = 1${filterClause(filter, params, at)} GROUP BY day ORDER BY day`, params);
      const points = new Map<string, ReturnType<typeof countsOf>>();
      for (const row of rows as (CountsRow & { day: string })[]) addTrendRow(points, grain === 'day' ? row.day : weekOf(row.day), countsOf(row));
      return [...points].map(([period, counts]) => ({ period, counts }));
    },
    async reviewCut(filter, dimension, before) {
      const rows = await split(filter, before, usesRollups(filter) ? 'key' : DIMENSION_COLUMNS[dimension], dimension);
      const groups = new Map<string, { key: string; current: ReturnType<typeof countsOf>; before: ReturnType<typeof countsOf> }>();
      for (const row of rows) {
        const key = String(row.key);
        const group = groups.get(key) ?? { key, current: countsOf(undefined), before: countsOf(undefined) };
        group[Number(row.cur) === 1 ? 'current' : 'before'] = countsOf(row);
        groups.set(key, group);
      }
      // Byte order for ties, as SQLite's BINARY collation sorts.
      return [...groups.values()].filter((g) => g.current.calls > 0).sort((a, b) => b.current.calls - a.current.calls || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    async reviewCalls(filter, page) {
      const params: unknown[] = [filter.from, filter.to];
      let where = filterClause(filter, params, at).replaceAll(' AND ', ' AND f.');
      if (page.savesOnly) where += ' AND f.saved = 1';
      if (page.before) {
        params.push(page.before.receivedAt, page.before.outcomeId);
        where += ` AND (f.received_at, f.outcome_id) < ($${params.length - 1}, $${params.length})`;
      }
      params.push(page.limit);
      const { rows } = await pool.query<ReviewRowSql>(`${REVIEW_ROW_SELECT} WHERE f.day BETWEEN $1 AND $2 AND f.retention = 1${where}
        ORDER BY f.received_at DESC, f.outcome_id DESC LIMIT $${params.length}`, params);
      return rows.map(reviewRowOf);
    },
    async recordVerdicts(verdicts) {
      if (verdicts.length === 0) return 0;
      return transaction('READ WRITE', async (client) => {
        // Locked in outcome order, so two recorders cannot deadlock on the same facts.
        const { rows } = await client.query<VerdictFact & { to: StoredVerdict }>(`SELECT ${VERDICT_FACT_COLUMNS.map((c) => `f.${c}`).join(', ')}, v.verdict AS to
          FROM review_facts f JOIN unnest($1::text[], $2::text[]) AS v (outcome_id, verdict) ON v.outcome_id = f.outcome_id
          WHERE f.verdict <> v.verdict ORDER BY f.outcome_id FOR UPDATE OF f`, [verdicts.map((v) => v.outcomeId), verdicts.map((v) => v.verdict)]);
        if (rows.length === 0) return 0;
        await client.query(`UPDATE review_facts f SET verdict = v.verdict FROM unnest($1::text[], $2::text[]) AS v (outcome_id, verdict)
          WHERE f.outcome_id = v.outcome_id`, [rows.map((r) => r.outcome_id), rows.map((r) => r.to)]);
        const shifts = verdictShifts(rows.map((fact) => ({ fact, to: fact.to })));
        if (shifts.length > 0) {
          await client.query(`UPDATE review_daily d SET verified_resolved = d.verified_resolved + s.resolved, verified_stayed = d.verified_stayed + s.stayed
            FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::integer[]) AS s (dim, day, key, resolved, stayed)
            WHERE d.dim = s.dim AND d.day = s.day AND d.key = s.key`,
          [shifts.map((x) => x.dim), shifts.map((x) => x.day), shifts.map((x) => x.key), shifts.map((x) => x.resolved), shifts.map((x) => x.stayed)]);
        }
        return rows.length;
      });
    },
    async cohortSaved(filter, limit) {
      const params: unknown[] = [filter.from, filter.to];
      const where = filterClause(filter, params, at);
      params.push(limit + 1);
      const sample = `SELECT customer_id, received_at FROM review_facts WHERE day BETWEEN $1 AND $2 AND saved = 1${where} ORDER BY day LIMIT $${params.length}`;
      const { rows } = await pool.query<{ n: number }>(`SELECT COUNT(*)::integer AS n FROM (${sample}) x`, params);
      const members = await cohort(`SELECT customer_id, MIN(received_at) AS contact_at FROM (${sample}) x GROUP BY customer_id ORDER BY customer_id`, params, limit);
      return { members, sampled: (rows[0]?.n ?? 0) > limit };
    },
    async cohortUntouched(filter, limit) {
      const contactAt = `${filter.from}T00:00:00.000Z`;
      // "T99" sorts after any time of the last day.
      const members = await cohort(`SELECT s.customer_id, '${contactAt}' AS contact_at FROM scores s WHERE s.churn_band = 'high'
        AND NOT EXISTS (SELECT 1 FROM review_facts f WHERE f.customer_id = s.customer_id AND f.day BETWEEN $1 AND $2)
        AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.customer_id = s.customer_id AND i.occurred_at >= $3 AND i.occurred_at < $4)
        ORDER BY s.customer_id`, [filter.from, filter.to, contactAt, `${filter.to}T99`], limit + 1);
      return { members: members.slice(0, limit), sampled: members.length > limit };
    },
    async rebuildReviewRollups() {
      await transaction('READ WRITE', async (client) => {
        await client.query('LOCK TABLE review_daily IN EXCLUSIVE MODE');
        await client.query('DELETE FROM review_daily');
        await client.query(rebuildRollupsSql());
      });
    },
  };
}
