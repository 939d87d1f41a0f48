/** What the clusterer needs to know about any pair of records, including pairs blocking never proposed. */
export interface PairScorer {
  (i: number, j: number): { probability: number; conflict: boolean };
}

export interface ClusterOptions {
  /** Mean match probability over all cross pairs two clusters need to merge (average linkage). */
  mergeThreshold: number;
  /** No cluster grows past this many records; larger merges are refused and counted. */
  maxClusterSize: number;
}

export const DEFAULT_CLUSTER_OPTIONS: ClusterOptions = { mergeThreshold: 0.5, maxClusterSize: 200 };

export interface ClusterEdges {
  a: Int32Array;
  b: Int32Array;
  probability: Float64Array;
}

export interface ClusterConstraints {
  /** Pairs of record indexes that must never share a cluster (remembered splits). */
  neverLink: ReadonlyArray<readonly [number, number]>;
  /** Pairs of record indexes an agent confirmed as one person; merged first, unless a never-link forbids it. */
  mustLink: ReadonlyArray<readonly [number, number]>;
}

export interface ClusterResult {
  /** Cluster number of each record, 0..clusterCount-1, numbered by first member. */
  clusterOf: Int32Array;
  clusterCount: number;
  refused: { conflict: number; neverLink: number; weak: number; tooLarge: number };
}

/**
 * Greedy average-linkage clustering over candidate links, strongest first.
 * Two clusters merge only if (1) no cross pair is a never-link, (2) no cross
 * pair has a hard-identifier conflict, and (3) the mean match probability of
 * ALL cross pairs (scored on demand, not only the proposed links) clears the
 * threshold. So A~B and B~C cannot drag A and C together when A and C
 * disagree: single-link chaining is refused.
 */
export function clusterRecords(
  size: number,
  edges: ClusterEdges,
  score: PairScorer,
  constraints: ClusterConstraints,
  options: ClusterOptions = DEFAULT_CLUSTER_OPTIONS,
): ClusterResult {
  const parent = new Int32Array(size);
  const next = new Int32Array(size).fill(-1);
  const tail = new Int32Array(size);
  const count = new Int32Array(size).fill(1);
  for (let i = 0; i < size; i++) {
    parent[i] = i;
    tail[i] = i;
  }
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root] as number;
    let node = x;
    while (parent[node] !== root) {
      const up = parent[node] as number;
      parent[node] = root;
      node = up;
    }
    return root;
  };
  const union = (ra: number, rb: number): void => {
    // The larger cluster keeps its root; its member chain gets the other appended.
    const [keep, absorb] = (count[ra] as number) >= (count[rb] as number) ? [ra, rb] : [rb, ra];
    parent[absorb] = keep;
    next[tail[keep] as number] = absorb;
    tail[keep] = tail[absorb] as number;
    count[keep] = (count[keep] as number) + (count[absorb] as number);
  };

  const forbidden = new Map<number, Set<number>>();
  for (const [x, y] of constraints.neverLink) {
    if (x === y) continue;
    (forbidden.get(x) ?? forbidden.set(x, new Set()).get(x)!).add(y);
    (forbidden.get(y) ?? forbidden.set(y, new Set()).get(y)!).add(x);
  }
  const refused = { conflict: 0, neverLink: 0, weak: 0, tooLarge: 0 };

  const forbiddenBetween = (ra: number, rb: number): boolean => {
    if (forbidden.size === 0) return false;
    for (let x = ra; x >= 0; x = next[x] as number) {
      const blocked = forbidden.get(x);
      if (blocked === undefined) continue;
      for (let y = rb; y >= 0; y = next[y] as number) if (blocked.has(y)) return true;
    }
    return false;
  };

  for (const [x, y] of constraints.mustLink) {
    const rx = find(x);
    const ry = find(y);
    if (rx === ry) continue;
    if (forbiddenBetween(rx, ry)) {
      refused.neverLink++;
      continue;
    }
    union(rx, ry);
  }

  // Strongest links first: sort (1 - probability) quantised to 1e-7 with the edge index in the
  // low bits, as plain numbers, which a typed-array sort orders without a comparator.
  const edgeCount = edges.a.length;
  const keys = new Float64Array(edgeCount);
  const INDEX_SPAN = 2 ** 25;
  if (edgeCount >= INDEX_SPAN) throw new Error(`too many links to cluster (${edgeCount})`);
  for (let e = 0; e < edgeCount; e++) keys[e] = Math.round((1 - (edges.probability[e] as number)) * 1e7) * INDEX_SPAN + e;
  keys.sort();
  const order = new Int32Array(edgeCount);
  for (let o = 0; o < edgeCount; o++) order[o] = (keys[o] as number) % INDEX_SPAN;

  for (let o = 0; o < order.length; o++) {
    const e = order[o] as number;
    const ra = find(edges.a[e] as number);
    const rb = find(edges.b[e] as number);
    if (ra === rb) continue;
    if ((count[ra] as number) + (count[rb] as number) > options.maxClusterSize) {
      refused.tooLarge++;
      continue;
    }
    if (forbiddenBetween(ra, rb)) {
      refused.neverLink++;
      continue;
    }
    if ((count[ra] as number) === 1 && (count[rb] as number) === 1) {
      // A lone pair: the edge itself is the whole cross set, but conflicts still veto.
      const pair = score(ra, rb);
      if (pair.conflict) {
        refused.conflict++;
        continue;
      }
      union(ra, rb);
      continue;
    }
    let sum = 0;
    let pairs = 0;
    let conflict = false;
    for (let x = ra; x >= 0 && !conflict; x = next[x] as number) {
      for (let y = rb; y >= 0; y = next[y] as number) {
        const pair = score(x, y);
        if (pair.conflict) {
          conflict = true;
          break;
        }
        sum += pair.probability;
        pairs++;
      }
    }
    if (conflict) {
      refused.conflict++;
      continue;
    }
    if (sum / pairs < options.mergeThreshold) {
      refused.weak++;
      continue;
    }
    union(ra, rb);
  }

  const clusterOf = new Int32Array(size).fill(-1);
  let clusterCount = 0;
  for (let i = 0; i < size; i++) {
    const root = find(i);
    if (clusterOf[root] === -1) clusterOf[root] = clusterCount++;
    clusterOf[i] = clusterOf[root] as number;
  }
  return { clusterOf, clusterCount, refused };
}

/** Members of each cluster as index lists, from a clusterOf array. */
export function membersOf(clusterOf: Int32Array, clusterCount: number): Int32Array[] {
  const sizes = new Int32Array(clusterCount);
  for (let i = 0; i < clusterOf.length; i++) sizes[clusterOf[i] as number]!++;
  const members = Array.from(sizes, (n) => new Int32Array(n));
  const fill = new Int32Array(clusterCount);
  for (let i = 0; i < clusterOf.length; i++) {
    const c = clusterOf[i] as number;
    (members[c] as Int32Array)[fill[c]!++] = i;
  }
  return members;
}
