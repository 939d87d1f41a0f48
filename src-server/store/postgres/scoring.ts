import { assertPositiveLimit } from '../common/constants';
import { assembleScoringInputs, json, latestScores, type TransactionRow } from '../common/rows';
import type { ScoringStore } from '../roles/scoring-store';
import { lockFeed, reserveSeqs, writeScores, type PgContext } from './database';

type CustomerRow = { id: string; data: string; churn_label: boolean | null };
const labelled = (r: CustomerRow) => ({ id: r.id, data: r.data, churnLabel: r.churn_label });

export function postgresScoring({ pool, transaction }: PgContext): ScoringStore {
  return {
    async churnLabelCounts() {
      const { rows } = await pool.query<{ labelled: number; churned: number }>(
        'SELECT COUNT(churn_label)::integer AS labelled, COUNT(*) FILTER (WHERE churn_label)::integer AS churned FROM customers',
      );
      return { labelled: rows[0]?.labelled ?? 0, churned: rows[0]?.churned ?? 0 };
    },

    async scoringInputs(cursor, limit, options = {}) {
      assertPositiveLimit(limit);
      const kinds = options.transactionKinds ? [...options.transactionKinds] : null;
      return transaction('SNAPSHOT', async (client) => {
        const customerRows = (await client.query<CustomerRow>('SELECT id, data, churn_label FROM customers WHERE id > $1 ORDER BY id LIMIT $2', [cursor ?? '', limit])).rows;
        const first = customerRows[0]?.id;
        const last = customerRows[customerRows.length - 1]?.id;
        if (first === undefined || last === undefined) return { rows: [], nextCursor: null };
        const texts = async (sql: string): Promise<string[]> => (await client.query<{ data: string }>(sql, [first, last])).rows.map((r) => r.data);
        const rows = assembleScoringInputs(
          customerRows.map(labelled),
          await texts('SELECT data FROM scores WHERE customer_id BETWEEN $1 AND $2'),
          await texts('SELECT data FROM interactions WHERE customer_id BETWEEN $1 AND $2 ORDER BY customer_id, occurred_at, id'),
          (await client.query<TransactionRow>(
            `SELECT id, customer_id, occurred_at, amount, kind FROM transactions WHERE customer_id BETWEEN $1 AND $2
               AND ($3::text[] IS NULL OR kind = ANY($3::text[])) ORDER BY customer_id, occurred_at, id`,
            [first, last, kinds],
          )).rows,
        );
        return { rows, nextCursor: customerRows.length === limit ? last : null };
      });
    },

    async scoringInputsFor(ids, options = {}) {
      const wanted = [...new Set(ids)];
      if (wanted.length === 0) return [];
      const kinds = options.transactionKinds ? [...options.transactionKinds] : null;
      return transaction('SNAPSHOT', async (client) => {
        const customerRows = (await client.query<CustomerRow>('SELECT id, data, churn_label FROM customers WHERE id = ANY($1::text[]) ORDER BY id', [wanted])).rows;
        if (customerRows.length === 0) return [];
        const found = customerRows.map((r) => r.id);
        const texts = async (sql: string): Promise<string[]> => (await client.query<{ data: string }>(sql, [found])).rows.map((r) => r.data);
        return assembleScoringInputs(
          customerRows.map(labelled),
          await texts('SELECT data FROM scores WHERE customer_id = ANY($1::text[])'),
          await texts('SELECT data FROM interactions WHERE customer_id = ANY($1::text[]) ORDER BY customer_id, occurred_at, id'),
          (await client.query<TransactionRow>(
            `SELECT id, customer_id, occurred_at, amount, kind FROM transactions WHERE customer_id = ANY($1::text[])
               AND ($2::text[] IS NULL OR kind = ANY($2::text[])) ORDER BY customer_id, occurred_at, id`,
            [found, kinds],
          )).rows,
        );
      });
    },

    async putScores(scores) {
      // A multi-row upsert may not touch one key twice: repeats fold to the last, as SQLite's row-by-row upserts leave them.
      const latest = latestScores(scores);
      if (latest.size === 0) return 0;
      return transaction('READ WRITE', async (client) => {
        await lockFeed(client);
        const known = new Set((await client.query<{ id: string }>('SELECT id FROM customers WHERE id = ANY($1::text[])', [[...latest.keys()]])).rows.map((r) => r.id));
        const rows = [...latest.values()].filter((s) => known.has(s.customerId));
        if (rows.length === 0) return 0;
        const firstSeq = await reserveSeqs(client, rows.length);
        await writeScores(client, rows.map((s, k) => ({ customerId: s.customerId, data: json(s), seq: firstSeq + k })));
        return rows.length;
      });
    },
  };
}
