import { hashString } from '@shared/util/random';

/** 64-bit FNV-1a style id from text, as 16 hex digits: two differently seeded 32-bit passes. */
export function stableHash(text: string): string {
  const first = hashString(text);
  let second = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    second ^= text.charCodeAt(i);
    second = Math.imul(second, 0x5bd1e995) >>> 0;
    second ^= second >>> 15;
  }
  return first.toString(16).padStart(8, '0') + (second >>> 0).toString(16).padStart(8, '0');
}

/** A customer id that depends only on which records the cluster holds first (its smallest record key). */
export function customerIdFor(memberKeys: readonly string[]): string {
  let smallest: string | undefined;
  for (const key of memberKeys) if (smallest === undefined || key < smallest) smallest = key;
  return `cust_${stableHash(smallest ?? '')}`;
}

/**
 * Keeps customer ids stable across re-runs: each new cluster takes the
 * previous id most of its members had, unless a larger cluster already took
 * it (then it gets a fresh id from its members).
 */
export function assignCustomerIds(clusters: ReadonlyArray<readonly string[]>, previous?: ReadonlyMap<string, string>): string[] {
  const ids = clusters.map((members) => customerIdFor(members));
  if (previous === undefined || previous.size === 0) return dedupe(ids, clusters);
  const order = clusters.map((_members, index) => index).sort((a, b) => (clusters[b] as readonly string[]).length - (clusters[a] as readonly string[]).length);
  const taken = new Set<string>();
  for (const index of order) {
    const votes = new Map<string, number>();
    for (const key of clusters[index] as readonly string[]) {
      const id = previous.get(key);
      if (id !== undefined) votes.set(id, (votes.get(id) ?? 0) + 1);
    }
    let best: string | undefined;
    let bestVotes = 0;
    for (const [id, count] of votes) {
      if (!taken.has(id) && (count > bestVotes || (count === bestVotes && best !== undefined && id < best))) {
        best = id;
        bestVotes = count;
      }
    }
    if (best !== undefined) {
      ids[index] = best;
      taken.add(best);
    }
  }
  return dedupe(ids, clusters);
}

function dedupe(ids: string[], clusters: ReadonlyArray<readonly string[]>): string[] {
  const seen = new Set<string>();
  return ids.map((id, index) => {
    let unique = id;
    for (let attempt = 1; seen.has(unique); attempt++) unique = `cust_${stableHash(`${id}|${attempt}|${(clusters[index] ?? []).join(',')}`)}`;
    seen.add(unique);
    return unique;
  });
}
