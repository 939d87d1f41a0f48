import type { IdentityAssignment } from '@shared/identity/agent-actions';
import type { IdentityDecision } from '../store/roles/identity-store';

type Pair = [string, string];

function pairKey([a, b]: readonly [string, string]): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

export interface IdentityConstraints {
  neverLink: Pair[];
  mustLink: Pair[];
  /** Records an agent has ruled on: their cluster's confidence is the agent's, 1. */
  decidedKeys: Set<string>;
}

/** Replays the decisions in order into the never-link / must-link sets every resolution honours. */
export function constraintsFrom(decisions: readonly IdentityDecision[]): IdentityConstraints {
  const never = new Map<string, Pair>();
  const must = new Map<string, Pair>();
  const decidedKeys = new Set<string>();
  for (const decision of decisions) {
    for (const pair of decision.removeNeverLink) never.delete(pairKey(pair));
    for (const pair of decision.removeMustLink) must.delete(pairKey(pair));
    for (const pair of decision.addNeverLink) never.set(pairKey(pair), pair);
    for (const pair of decision.addMustLink) must.set(pairKey(pair), pair);
    for (const key of decision.recordKeys) decidedKeys.add(key);
  }
  return { neverLink: [...never.values()], mustLink: [...must.values()], decidedKeys };
}

/** What an agent action changed in the constraint sets, as a decision to store. */
export function decisionBetween(
  before: IdentityAssignment,
  after: IdentityAssignment,
  meta: Pick<IdentityDecision, 'id' | 'kind' | 'actor' | 'at' | 'customerIds' | 'recordKeys'>,
): IdentityDecision {
  const diff = (from: readonly Pair[], to: readonly Pair[]): { added: Pair[]; removed: Pair[] } => {
    const fromKeys = new Set(from.map(pairKey));
    const toKeys = new Set(to.map(pairKey));
    return { added: to.filter((pair) => !fromKeys.has(pairKey(pair))), removed: from.filter((pair) => !toKeys.has(pairKey(pair))) };
  };
  const never = diff(before.neverLink, after.neverLink);
  const must = diff(before.mustLink, after.mustLink);
  return { ...meta, addNeverLink: never.added, removeNeverLink: never.removed, addMustLink: must.added, removeMustLink: must.removed };
}
