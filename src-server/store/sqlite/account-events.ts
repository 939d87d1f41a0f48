import { accountEventSchema, type AccountEvent } from '@shared/domain/account-event';
import { outcomeRecordSchema } from '@shared/domain/wrap-up';
import { profileAfterEvents, RETENTION_DISPOSITIONS_SQL } from '../common/account-events';
import { json, parseCustomer } from '../common/rows';
import type { AccountEventStore } from '../roles/account-event-store';
import type { SqliteContext } from './database';

export function sqliteAccountEvents({ db, nextSeq }: SqliteContext): AccountEventStore {
  const insert = db.prepare(`INSERT INTO account_events (id, customer_id, kind, occurred_at, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`);
  const customerRow = db.prepare<[string], { data: string }>('SELECT data FROM customers WHERE id = ?');
  const eventsOf = db.prepare<[string], { data: string }>('SELECT data FROM account_events WHERE customer_id = ? ORDER BY occurred_at, id');
  const rewrite = db.prepare('UPDATE customers SET data = ?, churn_label = ?, seq = ? WHERE id = ?');
  const readEvents = (customerId: string): AccountEvent[] => eventsOf.all(customerId).map((r) => accountEventSchema.parse(JSON.parse(r.data)));

  return {
    async applyAccountEvents(events) {
      return db.transaction(() => {
        const applied: string[] = [];
        const touched = new Set<string>();
        for (const event of events) {
          if (!customerRow.get(event.customerId)) continue;
          if (insert.run(event.id, event.customerId, event.kind, event.occurredAt, json(event)).changes === 1) {
            applied.push(event.id);
            touched.add(event.customerId);
          }
        }
        const changedCustomers: string[] = [];
        for (const customerId of touched) {
          const row = customerRow.get(customerId);
          if (!row) continue;
          const next = profileAfterEvents(parseCustomer(row.data), readEvents(customerId));
          if (!next) continue;
          rewrite.run(json(next.profile), next.churnLabel ? 1 : 0, nextSeq(), customerId);
          changedCustomers.push(customerId);
        }
        return { applied, changedCustomers };
      })();
    },
    async accountEventsFor(customerIds) {
      return [...new Set(customerIds)].flatMap(readEvents).sort((a, b) => (a.occurredAt === b.occurredAt ? a.id.localeCompare(b.id) : a.occurredAt < b.occurredAt ? -1 : 1));
    },
    async retentionOutcomesSince(sinceIso) {
      return db.prepare<[string], { data: string }>(`SELECT data FROM outcomes WHERE received_at >= ? AND disposition IN ${RETENTION_DISPOSITIONS_SQL} ORDER BY received_at, rowid`)
        .all(sinceIso).map((r) => outcomeRecordSchema.parse(JSON.parse(r.data)));
    },
  };
}
