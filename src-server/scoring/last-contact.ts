import type { CustomerProfile, CustomerScores } from '@shared/domain/customer';
import type { Interaction, Transaction } from '@shared/domain/interaction';
import { deriveSignals } from '@shared/scoring/signals';

/**
 * The trend since the last contact: what the customer's churn probability was
 * when we last spoke to them. Taken, in order, from
 * 1. the stored score, when it was made at or before the contact (that is the
 *    score the agent saw);
 * 2. the snapshot the stored score already carried for this same contact;
 * 3. otherwise a replay: the current model scores the history as it stood
 *    just before the contact, so both ends of the trend come from one model.
 * A replay re-derives the interaction and payment signals from the stored
 * history before the contact; usage and the plan are only stored as they are
 * now, so the replay keeps today's usage trend and plan (tenure shortened by
 * the months since). It is marked `replayed`.
 */

type Snapshot = NonNullable<CustomerScores['churnAtLastContact']>;

export type LastContactAnchor =
  | { kind: 'none' }
  | { kind: 'stored'; snapshot: Snapshot }
  | { kind: 'replay'; contactAt: string };

const DAY_MS = 86_400_000;
const MONTH_MS = (365.25 / 12) * DAY_MS;

/** Time of the latest interaction at or before `asOfMs`; null when there is none. */
export function lastContactAt(interactions: readonly Interaction[], asOfMs: number): string | null {
  let latest: string | null = null;
  let latestMs = -Infinity;
  for (const i of interactions) {
    const at = Date.parse(i.occurredAt);
    if (at <= asOfMs && at > latestMs) {
      latestMs = at;
      latest = i.occurredAt;
    }
  }
  return latest;
}

export function lastContactAnchor(previous: CustomerScores | null, contactAt: string | null): LastContactAnchor {
  if (contactAt === null) return { kind: 'none' };
  const contactMs = Date.parse(contactAt);
  if (previous && Date.parse(previous.scoredAt) <= contactMs) {
    return { kind: 'stored', snapshot: { probability: previous.churnProbability, at: contactAt, churnModel: previous.churnModel, replayed: false } };
  }
  const carried = previous?.churnAtLastContact;
  if (carried && !carried.replayed && Date.parse(carried.at) === contactMs) return { kind: 'stored', snapshot: carried };
  return { kind: 'replay', contactAt };
}

/** The profile as it stood just before `contactAt`, for a replay (see above for what can and cannot be rebuilt). */
export function profileBeforeContact(
  profile: CustomerProfile,
  interactions: readonly Interaction[],
  transactions: readonly Transaction[],
  contactAt: string,
  asOfMs: number,
): CustomerProfile {
  const contactMs = Date.parse(contactAt);
  const before = <T extends { occurredAt: string }>(items: readonly T[]): T[] => items.filter((item) => Date.parse(item.occurredAt) < contactMs);
  const signals = deriveSignals(before(interactions), before(transactions), null, contactAt);
  const monthsSince = Math.max(0, Math.floor((asOfMs - contactMs) / MONTH_MS));
  return {
    ...profile,
    plan: { ...profile.plan, tenureMonths: Math.max(0, profile.plan.tenureMonths - monthsSince) },
    signals: { ...signals, usageChange90d: profile.signals.usageChange90d },
  };
}
