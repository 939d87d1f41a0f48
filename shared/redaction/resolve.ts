import type { Candidate } from './candidate';

/**
 * Picks non-overlapping candidates: the longest span wins, then the higher
 * score (a profile match beats a shape match), then the earlier start.
 * Returned in text order.
 */
export function resolveOverlaps(candidates: readonly Candidate[]): Candidate[] {
  const ordered = [...candidates].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || b.score - a.score || a.start - b.start,
  );
  // Accepted spans kept sorted by start: overlap needs only the two neighbours.
  const accepted: Candidate[] = [];
  for (const c of ordered) {
    if (c.end <= c.start) continue;
    let lo = 0;
    let hi = accepted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((accepted[mid] as Candidate).start < c.start) lo = mid + 1;
      else hi = mid;
    }
    const before = accepted[lo - 1];
    const after = accepted[lo];
    if ((before && before.end > c.start) || (after && after.start < c.end)) continue;
    accepted.splice(lo, 0, c);
  }
  return accepted;
}
