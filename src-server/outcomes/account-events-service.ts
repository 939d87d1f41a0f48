import { accountEventInputSchema, type AccountEvent } from '@shared/domain/account-event';
import type { AccountEventError, AccountEventsResponse } from '@shared/contract/server-http';
import type { AccountEventStore } from '../store/roles/account-event-store';
import type { CustomerStore } from '../store/roles/customer-store';


/**
 * applied: events stored now (an account's event once per customer on it);
 * duplicates: ids stored before (nothing changed); changedCustomers: whose
 * status changed; errors: each event not stored, by line, field and reason.
 */
export type AccountEventsResult = AccountEventsResponse;

export const MAX_EVENTS_PER_BATCH = 5000;

/**
 * Billing's account events in: checks each one (a bad event is named by its
 * place and reason; the rest still go in), finds its customers (by our id,
 * or every customer on the billing account), stores each id once and tells
 * routing (outreach list, verification) what changed. The same path for
 * `POST /api/customers/events` and `npm run import -- --kind events`.
 */
export class AccountEventsService {
  constructor(
    private readonly store: AccountEventStore & CustomerStore,
    private readonly applied: (changedCustomers: readonly string[]) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  async ingest(batch: readonly unknown[]): Promise<AccountEventsResult> {
    const errors: AccountEventError[] = [];
    const events: AccountEvent[] = [];
    const receivedAt = new Date(this.now()).toISOString();
    const seen = new Set<string>();
    let repeats = 0;
    for (const [i, raw] of batch.entries()) {
      const index = i + 1;
      const parsed = accountEventInputSchema.safeParse(raw);
      const rawId = typeof (raw as { id?: unknown } | null)?.id === 'string' ? ((raw as { id: string }).id) : null;
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.map(String).join('.') || null;
        errors.push({ line: index, eventId: rawId, field, reason: field ? `${field} ${issue?.message ?? 'is invalid'}` : issue?.message ?? 'invalid event' });
        continue;
      }
      const input = parsed.data;
      const customers = input.customerId !== undefined ? await this.knownCustomer(input.customerId) : await this.store.customerIdsByAccount(input.accountId as string);
      if (customers.length === 0) {
        const field = input.customerId !== undefined ? 'customerId' : 'accountId';
        errors.push({ line: index, eventId: input.id, field, reason: `no customer with ${field} ${input.customerId ?? input.accountId}` });
        continue;
      }
      // One stored event per customer: an account's event reaches everyone on it, still once per id.
      for (const customerId of customers) {
        const id = customers.length === 1 ? input.id : `${input.id}#${customerId}`;
        if (seen.has(id)) {
          repeats++;
          continue;
        }
        seen.add(id);
        events.push({ id, customerId, kind: input.kind, occurredAt: input.occurredAt, receivedAt });
      }
    }
    const stored = await this.store.applyAccountEvents(events);
    if (stored.applied.length > 0) await this.applied(stored.changedCustomers);
    const fresh = new Set(stored.applied);
    return { applied: stored.applied.length, duplicates: repeats + events.filter((e) => !fresh.has(e.id)).length, changedCustomers: stored.changedCustomers, errors };
  }

  private async knownCustomer(customerId: string): Promise<string[]> {
    return (await this.store.customersByIds([customerId])).map((c) => c.id);
  }
}
