import type { AccountEvent, AccountStatus } from '../domain/account-event';

/**
 * A customer's status from their account events: a cancellation makes them
 * left until a later renewal or resumption; a downgrade or a failed payment
 * changes nothing (a warning, not a departure). Null when no event ever set
 * a state. Events are taken in time order, ties by id, so the same events
 * give the same status whatever order they arrived in.
 */
export function accountStatusOf(events: readonly Pick<AccountEvent, 'id' | 'kind' | 'occurredAt'>[], until?: string): AccountStatus | null {
  const ordered = [...events].sort((a, b) => (a.occurredAt === b.occurredAt ? a.id.localeCompare(b.id) : a.occurredAt < b.occurredAt ? -1 : 1));
  let status: AccountStatus | null = null;
  for (const event of ordered) {
    if (until !== undefined && event.occurredAt > until) break;
    if (event.kind === 'cancelled' && status?.state !== 'left') status = { state: 'left', since: event.occurredAt, eventId: event.id };
    else if ((event.kind === 'renewed' || event.kind === 'resumed') && status?.state !== 'active') status = { state: 'active', since: event.occurredAt, eventId: event.id };
  }
  return status;
}

export const isLeft = (status: AccountStatus | null | undefined): boolean => status?.state === 'left';
