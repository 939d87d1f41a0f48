import type { AccountEvent } from '@shared/domain/account-event';
import type { OutcomeRecord } from '@shared/domain/wrap-up';

export interface AccountEventsApplied {
  /** Ids of the events stored now (a repeat of a stored id is not among them). */
  applied: string[];
  /** Customers whose status changed: their profile was rewritten, a change in the feed. */
  changedCustomers: string[];
}

/**
 * Billing's account events (cancelled, renewed, ...) and what they change:
 * each customer's status on their profile (so it reaches desktops through
 * the feed) and their churn label (what training learns from).
 */
export interface AccountEventStore {
  /**
   * Stores events, each id once, in one transaction. For each customer with
   * a new event, the status is recomputed from all their events; when it
   * changed the profile is rewritten (a feed change) and the churn label set:
   * left is churned, active again after a renewal or resumption is not.
   * Events about customers the store does not have are skipped (not stored).
   */
  applyAccountEvents(events: readonly AccountEvent[]): Promise<AccountEventsApplied>;
  /** Every stored event of these customers, in time order. */
  accountEventsFor(customerIds: readonly string[]): Promise<AccountEvent[]>;
  /** Outcomes of retention calls (kept or lost, by the wrap-up) received at or after a time, oldest first. */
  retentionOutcomesSince(sinceIso: string): Promise<OutcomeRecord[]>;
}
