import type { AccountEvent } from '@shared/domain/account-event';
import type { CustomerProfile } from '@shared/domain/customer';
import { accountStatusOf } from '@shared/outcomes/account-status';

/** The dispositions that make a call a retention outcome (kept or lost) for verification. */
export const RETENTION_DISPOSITIONS_SQL = "('retained', 'churned')";

/**
 * A customer's profile after their account events, or null when the events
 * leave the status as it was: both stores rewrite (and feed) only then.
 */
export function profileAfterEvents(profile: CustomerProfile, events: readonly AccountEvent[]): { profile: CustomerProfile; churnLabel: boolean | null } | null {
  const status = accountStatusOf(events);
  const before = profile.accountStatus;
  if (status === null || (before && before.state === status.state && before.since === status.since && before.eventId === status.eventId)) return null;
  return { profile: { ...profile, accountStatus: status }, churnLabel: status.state === 'left' };
}
