import type { CustomerProfile } from '@shared/domain/customer';
import { applyProfileEdit } from '@shared/sync/profile-edits';
import { json, parseCustomer, parseInteraction, parseScores } from '../common/rows';
import type { CustomerBundle, CustomerStore, CustomerWrite } from '../roles/customer-store';
import type { SqliteContext } from './database';

export function sqliteCustomers({ db, nextSeq, writeInteraction, writeScores }: SqliteContext): CustomerStore {
  const upsertCustomer = db.prepare(`INSERT INTO customers (id, account_id, data, churn_label, seq) VALUES (@id, @accountId, @data, @label, @seq)
    ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id,
      -- The account status comes from billing's events (account-events.ts), not from the writer: kept across a rewrite.
      data = CASE WHEN json_extract(excluded.data, '$.accountStatus') IS NULL AND json_extract(customers.data, '$.accountStatus') IS NOT NULL
        THEN json_set(excluded.data, '$.accountStatus', json(json_extract(customers.data, '$.accountStatus'))) ELSE excluded.data END,
      churn_label = COALESCE(excluded.churn_label, customers.churn_label), seq = excluded.seq`);
  const deletePhones = db.prepare('DELETE FROM customer_phones WHERE customer_id = ?');
  const insertPhone = db.prepare('INSERT OR IGNORE INTO customer_phones (phone, customer_id) VALUES (?, ?)');
  const insertTransaction = db.prepare('INSERT OR IGNORE INTO transactions (id, customer_id, occurred_at, amount, kind) VALUES (@id, @customerId, @occurredAt, @amount, @kind)');

  const writeCustomers = db.transaction((bundles: readonly CustomerWrite[]) => {
    for (const bundle of bundles) {
      const { customer } = bundle;
      upsertCustomer.run({
        id: customer.id, accountId: customer.accountId, data: json(customer),
        label: bundle.churnLabel === undefined || bundle.churnLabel === null ? null : bundle.churnLabel ? 1 : 0, seq: nextSeq(),
      });
      deletePhones.run(customer.id);
      for (const phone of customer.phones) insertPhone.run(phone, customer.id);
      if (bundle.scores) writeScores(customer.id, bundle.scores);
      for (const interaction of bundle.interactions) writeInteraction(interaction);
      for (const transaction of bundle.transactions ?? []) insertTransaction.run(transaction);
    }
  });

  return {
    async upsertCustomers(bundles) {
      writeCustomers(bundles);
    },
    async customerCount() {
      return Number(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM customers').get()?.n ?? 0);
    },
    async customerBundle(customerId): Promise<CustomerBundle | null> {
      const row = db.prepare<[string], { data: string }>('SELECT data FROM customers WHERE id = ?').get(customerId);
      if (!row) return null;
      const scoresRow = db.prepare<[string], { data: string }>('SELECT data FROM scores WHERE customer_id = ?').get(customerId);
      const interactions = db.prepare<[string], { data: string }>('SELECT data FROM interactions WHERE customer_id = ? ORDER BY occurred_at').all(customerId)
        .map((r) => parseInteraction(r.data));
      return { customer: parseCustomer(row.data), scores: scoresRow ? parseScores(scoresRow.data) : null, interactions };
    },
    async customerIdsByPhone(e164) {
      return db.prepare<[string], { customer_id: string }>('SELECT customer_id FROM customer_phones WHERE phone = ?').all(e164).map((r) => r.customer_id);
    },
    async customerIdsByAccount(accountId) {
      return db.prepare<[string], { id: string }>('SELECT id FROM customers WHERE account_id = ?').all(accountId).map((r) => r.id);
    },
    async customersByIds(ids) {
      const read = db.prepare<[string], { data: string }>('SELECT data FROM customers WHERE id = ?');
      const found: CustomerProfile[] = [];
      for (const id of new Set(ids)) {
        const row = read.get(id);
        if (row) found.push(parseCustomer(row.data));
      }
      return found;
    },
    async appendInteraction(interaction) {
      db.transaction(() => writeInteraction(interaction))();
    },
    async applyProfileEdit(edit) {
      return db.transaction(() => {
        const row = db.prepare<[string], { data: string }>('SELECT data FROM customers WHERE id = ?').get(edit.customerId);
        if (!row) return { applied: false, customer: null };
        const result = applyProfileEdit(parseCustomer(row.data), edit);
        if (result.applied) {
          db.prepare('UPDATE customers SET data = ?, seq = ? WHERE id = ?').run(json(result.profile), nextSeq(), edit.customerId);
        }
        return { applied: result.applied, customer: result.profile };
      })();
    },
    async sampleCallers(count, languages) {
      const rows = languages === undefined
        ? db.prepare<[number], { data: string }>('SELECT data FROM customers ORDER BY random() LIMIT ?').all(count)
        : db.prepare<[string, number], { data: string }>("SELECT data FROM customers WHERE json_extract(data, '$.language') IN (SELECT value FROM json_each(?)) ORDER BY random() LIMIT ?")
          .all(JSON.stringify(languages), count);
      return rows
        .map((row) => parseCustomer(row.data))
        .filter((c) => c.phones.length > 0)
        .map((c) => ({ phone: c.phones[0]!, accountId: c.accountId, language: c.language }));
    },
    async customersByValueAtRisk(limit) {
      return db.prepare<[number], { customer: string; scores: string }>(`SELECT c.data AS customer, s.data AS scores FROM scores s JOIN customers c ON c.id = s.customer_id
        ORDER BY json_extract(s.data, '$.valueAtRisk') DESC, c.id LIMIT ?`).all(limit)
        .map((r) => ({ customer: parseCustomer(r.customer), scores: parseScores(r.scores) }));
    },
  };
}
