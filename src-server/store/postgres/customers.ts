import type { CustomerProfile } from '@shared/domain/customer';
import type { Transaction } from '@shared/domain/interaction';
import { applyProfileEdit } from '@shared/sync/profile-edits';
import { json, parseCustomer, parseInteraction, parseScores } from '../common/rows';
import type { CustomerStore, CustomerWrite } from '../roles/customer-store';
import { chunks, lockFeed, reserveSeqs, writeInteraction, writeScores, type PgContext, type ScoresRow } from './database';

export function postgresCustomers({ pool, transaction }: PgContext): CustomerStore {
  return {
    async upsertCustomers(bundles) {
      if (bundles.length === 0) return;
      await transaction('READ WRITE', async (client) => {
        const seqCount = bundles.reduce((n, b) => n + 1 + (b.scores ? 1 : 0) + b.interactions.length, 0);
        const rows = customerBatchRows(bundles, await reserveSeqs(client, seqCount));

        for (const chunk of chunks(rows.customers)) {
          await client.query(
            `INSERT INTO customers (id, account_id, data, churn_label, seq)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::bigint[])
             ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id,
               -- The account status comes from billing's events (account-events.ts), not from the writer: kept across a rewrite.
               data = CASE WHEN NOT (excluded.data::jsonb ? 'accountStatus') AND (customers.data::jsonb ? 'accountStatus')
                 THEN jsonb_set(excluded.data::jsonb, '{accountStatus}', customers.data::jsonb -> 'accountStatus')::text ELSE excluded.data END,
               churn_label = COALESCE(excluded.churn_label, customers.churn_label), seq = excluded.seq`,
            [chunk.map((r) => r.id), chunk.map((r) => r.accountId), chunk.map((r) => r.data), chunk.map((r) => r.churnLabel), chunk.map((r) => r.seq)],
          );
          // A customer's phones are replaced wholesale, as in SQLite.
          await client.query('DELETE FROM customer_phones WHERE customer_id = ANY($1::text[])', [chunk.map((r) => r.id)]);
          const phones = chunk.flatMap((r) => r.phones.map((phone) => [phone, r.id] as const));
          for (const phoneChunk of chunks(phones)) {
            await client.query(
              'INSERT INTO customer_phones (phone, customer_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING',
              [phoneChunk.map(([phone]) => phone), phoneChunk.map(([, id]) => id)],
            );
          }
        }
        await writeScores(client, rows.scores);
        for (const chunk of chunks(rows.interactions)) {
          await client.query(
            `INSERT INTO interactions (id, customer_id, occurred_at, data, seq)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, seq = excluded.seq`,
            [chunk.map((r) => r.id), chunk.map((r) => r.customerId), chunk.map((r) => r.occurredAt), chunk.map((r) => r.data), chunk.map((r) => r.seq)],
          );
        }
        for (const chunk of chunks(rows.transactions)) {
          await client.query(
            `INSERT INTO transactions (id, customer_id, occurred_at, amount, kind)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::text[]) ON CONFLICT DO NOTHING`,
            [chunk.map((t) => t.id), chunk.map((t) => t.customerId), chunk.map((t) => t.occurredAt), chunk.map((t) => t.amount), chunk.map((t) => t.kind)],
          );
        }
      });
    },

    async customerCount() {
      const { rows } = await pool.query<{ n: number }>('SELECT COUNT(*)::integer AS n FROM customers');
      return rows[0]?.n ?? 0;
    },

    async customerBundle(customerId) {
      // One statement, so one snapshot: the profile, scores and history belong together. One round trip, not a
      // transaction of five: routing reads a caller's bundle on every call's way to its offer.
      const { rows } = await pool.query<{ customer: string; scores: string | null; interactions: string[] }>(
        `SELECT c.data AS customer, s.data AS scores,
           ARRAY(SELECT i.data FROM interactions i WHERE i.customer_id = $1 ORDER BY i.occurred_at, i.id) AS interactions
         FROM customers c LEFT JOIN scores s ON s.customer_id = c.id WHERE c.id = $1`,
        [customerId],
      );
      const row = rows[0];
      if (!row) return null;
      return {
        customer: parseCustomer(row.customer),
        scores: row.scores !== null ? parseScores(row.scores) : null,
        interactions: row.interactions.map((data) => parseInteraction(data)),
      };
    },

    async customerIdsByPhone(e164) {
      const { rows } = await pool.query<{ customer_id: string }>('SELECT customer_id FROM customer_phones WHERE phone = $1 ORDER BY customer_id', [e164]);
      return rows.map((row) => row.customer_id);
    },

    async customerIdsByAccount(accountId) {
      const { rows } = await pool.query<{ id: string }>('SELECT id FROM customers WHERE account_id = $1 ORDER BY id', [accountId]);
      return rows.map((row) => row.id);
    },

    async customersByIds(ids) {
      if (ids.length === 0) return [];
      const found: CustomerProfile[] = [];
      for (const chunk of chunks([...new Set(ids)])) {
        const { rows } = await pool.query<{ data: string }>('SELECT data FROM customers WHERE id = ANY($1::text[])', [chunk]);
        for (const row of rows) found.push(parseCustomer(row.data));
      }
      return found;
    },

    async appendInteraction(interaction) {
      await transaction('READ WRITE', async (client) => writeInteraction(client, interaction, await reserveSeqs(client, 1)));
    },

    async applyProfileEdit(edit) {
      return transaction('READ WRITE', async (client) => {
        // The feed lock first, as every feed writer takes it, so edits and batch writes cannot deadlock;
        // it also makes the read-modify-write below safe against a concurrent edit of the same customer.
        await lockFeed(client);
        const row = (await client.query<{ data: string }>('SELECT data FROM customers WHERE id = $1', [edit.customerId])).rows[0];
        if (!row) return { applied: false, customer: null };
        const result = applyProfileEdit(parseCustomer(row.data), edit);
        if (result.applied) {
          const seq = await reserveSeqs(client, 1);
          await client.query('UPDATE customers SET data = $1, seq = $2 WHERE id = $3', [json(result.profile), seq, edit.customerId]);
        }
        return { applied: result.applied, customer: result.profile };
      });
    },

    async sampleCallers(count, languages) {
      const { rows } = languages === undefined
        ? await pool.query<{ data: string }>('SELECT data FROM customers ORDER BY random() LIMIT $1', [count])
        : await pool.query<{ data: string }>("SELECT data FROM customers WHERE data::json->>'language' = ANY($2::text[]) ORDER BY random() LIMIT $1", [count, [...languages]]);
      return rows.map((row) => parseCustomer(row.data)).flatMap((c) => {
        const phone = c.phones[0];
        return phone === undefined ? [] : [{ phone, accountId: c.accountId, language: c.language }];
      });
    },

    async customersByValueAtRisk(limit) {
      const { rows } = await pool.query<{ customer: string; scores: string }>(
        `SELECT c.data AS customer, s.data AS scores FROM scores s JOIN customers c ON c.id = s.customer_id
         ORDER BY (s.data::json->>'valueAtRisk')::double precision DESC, c.id LIMIT $1`,
        [limit],
      );
      return rows.map((r) => ({ customer: parseCustomer(r.customer), scores: parseScores(r.scores) }));
    },
  };
}

interface CustomerRow { id: string; accountId: string; data: string; churnLabel: boolean | null; seq: number; phones: readonly string[] }
interface InteractionRow { id: string; customerId: string; occurredAt: string; data: string; seq: number }

/**
 * Turns a batch into one row per key, numbered in the order SQLite numbers
 * them (customer, scores, then each interaction, bundle by bundle). A
 * multi-row upsert may not touch one key twice, so repeats in a batch are
 * folded the way SQLite's row-by-row upserts would leave them: the later
 * write wins, a null churn label keeps the earlier one, and an interaction
 * keeps the customer and time it was first stored with.
 */
function customerBatchRows(bundles: readonly CustomerWrite[], firstSeq: number) {
  const customers = new Map<string, CustomerRow>();
  const scores = new Map<string, ScoresRow>();
  const interactions = new Map<string, InteractionRow>();
  const transactions = new Map<string, Transaction>();
  let seq = firstSeq;
  for (const bundle of bundles) {
    const { customer } = bundle;
    const label = bundle.churnLabel ?? customers.get(customer.id)?.churnLabel ?? null;
    customers.delete(customer.id);
    customers.set(customer.id, { id: customer.id, accountId: customer.accountId, data: json(customer), churnLabel: label, seq: seq++, phones: customer.phones });
    if (bundle.scores) scores.set(customer.id, { customerId: customer.id, data: json(bundle.scores), seq: seq++ });
    for (const interaction of bundle.interactions) {
      const earlier = interactions.get(interaction.id);
      interactions.set(interaction.id, {
        id: interaction.id,
        customerId: earlier?.customerId ?? interaction.customerId,
        occurredAt: earlier?.occurredAt ?? interaction.occurredAt,
        data: json(interaction),
        seq: seq++,
      });
    }
    for (const transaction of bundle.transactions ?? []) {
      if (!transactions.has(transaction.id)) transactions.set(transaction.id, transaction);
    }
  }
  return { customers: [...customers.values()], scores: [...scores.values()], interactions: [...interactions.values()], transactions: [...transactions.values()] };
}
