import { assertPositiveLimit } from '../common/constants';
import { assembleScoringInputs, json, latestScores, type TransactionRow } from '../common/rows';
import type { ScoringStore } from '../roles/scoring-store';
import type { SqliteContext } from './database';

type CustomerRow = { id: string; data: string; churn_label: number | null };
const labelled = (r: CustomerRow) => ({ id: r.id, data: r.data, churnLabel: r.churn_label === null ? null : r.churn_label === 1 });

export function sqliteScoring({ db, writeScores }: SqliteContext): ScoringStore {
  const texts = (sql: string, ...params: string[]): string[] => db.prepare<string[], { data: string }>(sql).all(...params).map((r) => r.data);
  return {
    async churnLabelCounts() {
      const row = db.prepare<[], { labelled: number; churned: number | null }>('SELECT COUNT(churn_label) AS labelled, SUM(churn_label) AS churned FROM customers').get();
      return { labelled: Number(row?.labelled ?? 0), churned: Number(row?.churned ?? 0) };
    },
    async scoringInputs(cursor, limit, options = {}) {
      assertPositiveLimit(limit);
      const kinds = options.transactionKinds ? json(options.transactionKinds) : null;
      return db.transaction(() => {
        const customerRows = db.prepare<[string, number], CustomerRow>('SELECT id, data, churn_label FROM customers WHERE id > ? ORDER BY id LIMIT ?').all(cursor ?? '', limit);
        const first = customerRows[0]?.id;
        const last = customerRows[customerRows.length - 1]?.id;
        if (first === undefined || last === undefined) return { rows: [], nextCursor: null };
        const rows = assembleScoringInputs(
          customerRows.map(labelled),
          texts('SELECT data FROM scores WHERE customer_id BETWEEN ? AND ?', first, last),
          texts('SELECT data FROM interactions WHERE customer_id BETWEEN ? AND ? ORDER BY customer_id, occurred_at, id', first, last),
          db.prepare<[{ first: string; last: string; kinds: string | null }], TransactionRow>(
            `SELECT id, customer_id, occurred_at, amount, kind FROM transactions WHERE customer_id BETWEEN @first AND @last
               AND (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds))) ORDER BY customer_id, occurred_at, id`).all({ first, last, kinds }),
        );
        return { rows, nextCursor: customerRows.length === limit ? last : null };
      })();
    },
    async scoringInputsFor(ids, options = {}) {
      const kinds = options.transactionKinds ? json(options.transactionKinds) : null;
      const wanted = json([...new Set(ids)]);
      return db.transaction(() => {
        const customerRows = db.prepare<[string], CustomerRow>('SELECT id, data, churn_label FROM customers WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(wanted);
        if (customerRows.length === 0) return [];
        const found = json(customerRows.map((r) => r.id));
        return assembleScoringInputs(
          customerRows.map(labelled),
          texts('SELECT data FROM scores WHERE customer_id IN (SELECT value FROM json_each(?))', found),
          texts('SELECT data FROM interactions WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id, occurred_at, id', found),
          db.prepare<[{ ids: string; kinds: string | null }], TransactionRow>(
            `SELECT id, customer_id, occurred_at, amount, kind FROM transactions WHERE customer_id IN (SELECT value FROM json_each(@ids))
               AND (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds))) ORDER BY customer_id, occurred_at, id`).all({ ids: found, kinds }),
        );
      })();
    },
    async putScores(scores) {
      const latest = latestScores(scores);
      const known = db.prepare<[string], { id: string }>('SELECT id FROM customers WHERE id = ?');
      return db.transaction(() => {
        let written = 0;
        for (const s of latest.values()) {
          if (!known.get(s.customerId)) continue;
          writeScores(s.customerId, s);
          written++;
        }
        return written;
      })();
    },
  };
}
