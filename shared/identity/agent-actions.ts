import { customerIdFor } from './ids';

/** Who is who, as the agent sees and corrects it; persisted by the caller. */
export interface IdentityCluster {
  customerId: string;
  memberKeys: string[];
  confidence: number;
  /** An agent confirmed these records are one person. */
  confirmed: boolean;
}

export interface IdentityAssignment {
  clusters: IdentityCluster[];
  /** Remembered splits: these record pairs are never linked again, on any re-run. */
  neverLink: Array<[string, string]>;
  /** Remembered confirmations and merges: these record pairs stay linked. */
  mustLink: Array<[string, string]>;
}

/** What a resolution result provides to start an assignment. */
export interface AssignmentSource {
  records: ReadonlyArray<{ key: string }>;
  clusterOf: ArrayLike<number>;
  customerIds: readonly string[];
  clusterConfidence: ArrayLike<number>;
}

export function assignmentFromResult(
  result: AssignmentSource,
  constraints: Pick<IdentityAssignment, 'neverLink' | 'mustLink'> = { neverLink: [], mustLink: [] },
): IdentityAssignment {
  const clusters: IdentityCluster[] = result.customerIds.map((customerId, c) => ({
    customerId,
    memberKeys: [],
    confidence: result.clusterConfidence[c] as number,
    confirmed: false,
  }));
  for (let i = 0; i < result.records.length; i++) clusters[result.clusterOf[i] as number]?.memberKeys.push((result.records[i] as { key: string }).key);
  return { clusters, neverLink: [...constraints.neverLink], mustLink: [...constraints.mustLink] };
}

/** Record key -> customer id, to keep ids stable on the next run (ResolveOptions.previousIds). */
export function previousIdsOf(assignment: IdentityAssignment): Map<string, string> {
  const ids = new Map<string, string>();
  for (const cluster of assignment.clusters) for (const key of cluster.memberKeys) ids.set(key, cluster.customerId);
  return ids;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

function findCluster(assignment: IdentityAssignment, customerId: string): IdentityCluster {
  const cluster = assignment.clusters.find((c) => c.customerId === customerId);
  if (cluster === undefined) throw new Error(`no customer ${customerId}`);
  return cluster;
}

function spanningPairs(keys: readonly string[]): Array<[string, string]> {
  const first = keys[0];
  return first === undefined ? [] : keys.slice(1).map((key) => [first, key] as [string, string]);
}

/** The agent confirms a profile: its records stay together on every re-run, confidence 1. */
export function confirmCluster(assignment: IdentityAssignment, customerId: string): IdentityAssignment {
  const target = findCluster(assignment, customerId);
  const known = new Set(assignment.mustLink.map(([a, b]) => pairKey(a, b)));
  const added = spanningPairs(target.memberKeys).filter(([a, b]) => !known.has(pairKey(a, b)));
  return {
    clusters: assignment.clusters.map((c) => (c.customerId === customerId ? { ...c, confidence: 1, confirmed: true } : c)),
    neverLink: assignment.neverLink,
    mustLink: [...assignment.mustLink, ...added],
  };
}

/**
 * The agent says two profiles are one person: the first keeps its id, earlier
 * splits between their records are forgotten, and the link is remembered.
 */
export function mergeClusters(assignment: IdentityAssignment, keepId: string, absorbId: string): IdentityAssignment {
  if (keepId === absorbId) return assignment;
  const keep = findCluster(assignment, keepId);
  const absorb = findCluster(assignment, absorbId);
  const keepKeys = new Set(keep.memberKeys);
  const absorbKeys = new Set(absorb.memberKeys);
  const crosses = ([a, b]: [string, string]): boolean => (keepKeys.has(a) && absorbKeys.has(b)) || (keepKeys.has(b) && absorbKeys.has(a));
  const members = [...keep.memberKeys, ...absorb.memberKeys];
  return {
    clusters: assignment.clusters
      .filter((c) => c.customerId !== absorbId)
      .map((c) => (c.customerId === keepId ? { customerId: keepId, memberKeys: members, confidence: 1, confirmed: true } : c)),
    neverLink: assignment.neverLink.filter((pair) => !crosses(pair)),
    mustLink: [...assignment.mustLink, ...spanningPairs(members)],
  };
}

/**
 * The agent says some records of a profile are someone else: they become a
 * new profile, and every moved/remaining pair is remembered as never-link.
 */
export function splitCluster(assignment: IdentityAssignment, customerId: string, moveKeys: readonly string[]): IdentityAssignment {
  const source = findCluster(assignment, customerId);
  const moving = new Set(moveKeys.filter((key) => source.memberKeys.includes(key)));
  if (moving.size === 0 || moving.size === source.memberKeys.length) return assignment;
  const remaining = source.memberKeys.filter((key) => !moving.has(key));
  const moved = source.memberKeys.filter((key) => moving.has(key));
  const newId = customerIdFor(moved);
  const neverLink: Array<[string, string]> = [...assignment.neverLink];
  const known = new Set(neverLink.map(([a, b]) => pairKey(a, b)));
  for (const a of moved) {
    for (const b of remaining) {
      if (!known.has(pairKey(a, b))) neverLink.push([a, b]);
    }
  }
  const crosses = ([a, b]: [string, string]): boolean => (moving.has(a) && !moving.has(b)) || (moving.has(b) && !moving.has(a));
  return {
    clusters: [
      ...assignment.clusters.map((c) => (c.customerId === customerId ? { ...c, memberKeys: remaining, confidence: 1, confirmed: true } : c)),
      { customerId: newId, memberKeys: moved, confidence: 1, confirmed: true },
    ],
    neverLink,
    mustLink: assignment.mustLink.filter((pair) => !crosses(pair)),
  };
}
