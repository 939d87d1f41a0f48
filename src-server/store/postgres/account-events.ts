import { accountEventSchema, type AccountEvent } from '@shared/domain/account-event';
import { outcomeRecordSchema } from '@shared/domain/wrap-up';
import { profileAfterEvents, RETENTION_DISPOSITIONS_SQL } from '../common/account-events';
import { json, parseCustomer } from '../common/rows';
import type { AccountEventStore } from '../roles/account-event-store';
import { lockFeed, reserveSeqs, type PgContext, type Queryable } from './database';

async function readEvents(db: Queryable, customerIds: readonly string[]): Promise<AccountEvent[]> {
  const { rows } = await db.query<{ data: string }>('SELECT data FROM account_events WHERE customer_id = ANY($1::text[]) ORDER BY occurred_at, id', [customerIds]);
  return rows.map((r) => accountEventSchema.parse(JSON.parse(r.data)));
}

export function postgresAccountEvents({ pool, transaction }: PgContext): AccountEventStore {
  return {
    async applyAccountEvents(events) {
      if (events.length === 0) return { applied: [], changedCustomers: [] };
      return transaction('READ WRITE', async (client) => {
        // Feed lock first, as every feed writer takes it.
        await lockFeed(client);
        const applied: string[] = [];
        const touched = new Set<string>();
        for (const event of events) {
          const result = await client.query(
            `INSERT INTO account_events (id, customer_id, kind, occurred_at, data)
             SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM customers WHERE id = $2) ON CONFLICT (id) DO NOTHING`,
            [event.id, event.customerId, event.kind, event.occurredAt, json(event)],
          );
          if (result.rowCount === 1) {
            applied.push(event.id);
            touched.add(event.customerId);
          }
        }
        const changedCustomers: string[] = [];
        for (const customerId of touched) {
          const { rows } = await client.query<{ data: string }>('SELECT data FROM customers WHERE id = $1 FOR UPDATE', [customerId]);
          const row = rows[0];
          if (!row) continue;
          const next = profileAfterEvents(parseCustomer(row.data), await readEvents(client, [customerId]));
          if (!next) continue;
          await client.query('UPDATE customers SET data = $1, churn_label = $2, seq = $3 WHERE id = $4', [json(next.profile), next.churnLabel, await reserveSeqs(client, 1), customerId]);
          changedCustomers.push(customerId);
        }
        return { applied, changedCustomers };
      });
    },
    async accountEventsFor(customerIds) {
      return readEvents(pool, [...new Set(customerIds)]);
    },
    async retentionOutcomesSince(sinceIso) {
      const { rows } = await pool.query<{ data: string }>(
        `SELECT data FROM outcomes WHERE received_at >= $1 AND disposition IN ${RETENTION_DISPOSITIONS_SQL} ORDER BY received_at, arrival`, [sinceIso]);
      return rows.map((r) => outcomeRecordSchema.parse(JSON.parse(r.data)));
    },
  };
}
