/**
 * RFM quintile scores (1..5, 5 best) and the usual named segments.
 * Scores are percentile ranks within the scored population, with ties sharing
 * a score (mid-rank), so identical customers never get different scores.
 * The segment map uses R and FM = round((F + M) / 2) on a 5x5 grid:
 *
 *          FM: 1               2                 3                 4                5
 *   R=5        New             Potential loyalist Potential loyalist Champions      Champions
 *   R=4        Promising       Potential loyalist Potential loyalist Loyal          Loyal
 *   R=3        About to sleep  About to sleep     Need attention     Loyal          Loyal
 *   R=2        Hibernating     Hibernating        At risk            At risk        Can't lose them
 *   R=1        Lost            Lost               At risk            At risk        Can't lose them
 */
import { z } from 'zod';

export const RFM_SEGMENTS = [
  'Champions',
  'Loyal',
  'Potential loyalist',
  'New',
  'Promising',
  'Need attention',
  'About to sleep',
  'At risk',
  "Can't lose them",
  'Hibernating',
  'Lost',
] as const;
export const rfmSegmentSchema = z.enum(RFM_SEGMENTS);
export type RfmSegment = z.infer<typeof rfmSegmentSchema>;

export const rfmInputSchema = z.object({
  /** Days (or any unit) since the last purchase: smaller is better. */
  recency: z.number().nonnegative(),
  /** Number of purchases. */
  frequency: z.number().nonnegative(),
  /** Spend measure, e.g. mean transaction value. */
  monetary: z.number(),
});
export type RfmInput = z.infer<typeof rfmInputSchema>;

export type Score = 1 | 2 | 3 | 4 | 5;
export interface RfmScore {
  recency: Score;
  frequency: Score;
  monetary: Score;
  /** e.g. "545". */
  code: string;
  segment: RfmSegment;
}

/** Quintile score by mid-rank percentile: (count below + half the ties) / n. */
export function quintileScores(values: readonly number[]): Score[] {
  const n = values.length;
  const sorted = [...values].sort((a, b) => a - b);
  const lowerBound = (v: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const upperBound = (v: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as number) <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return values.map((v) => {
    const below = lowerBound(v);
    const ties = upperBound(v) - below;
    const percentile = (below + ties / 2) / n;
    return Math.min(5, 1 + Math.floor(percentile * 5)) as Score;
  });
}

const SEGMENT_GRID: readonly (readonly RfmSegment[])[] = [
  // R = 1
  ['Lost', 'Lost', 'At risk', 'At risk', "Can't lose them"],
  // R = 2
  ['Hibernating', 'Hibernating', 'At risk', 'At risk', "Can't lose them"],
  // R = 3
  ['About to sleep', 'About to sleep', 'Need attention', 'Loyal', 'Loyal'],
  // R = 4
  ['Promising', 'Potential loyalist', 'Potential loyalist', 'Loyal', 'Loyal'],
  // R = 5
  ['New', 'Potential loyalist', 'Potential loyalist', 'Champions', 'Champions'],
];

export function rfmSegment(recency: Score, frequency: Score, monetary: Score): RfmSegment {
  const fm = Math.min(5, Math.max(1, Math.round((frequency + monetary) / 2)));
  return (SEGMENT_GRID[recency - 1] as readonly RfmSegment[])[fm - 1] as RfmSegment;
}

/** Scores a population: each customer's scores are relative to the others. */
export function rfmScores(customers: readonly RfmInput[]): RfmScore[] {
  const parsed = z.array(rfmInputSchema).parse(customers);
  // Recency is "smaller is better": rank its negation.
  const r = quintileScores(parsed.map((c) => -c.recency));
  const f = quintileScores(parsed.map((c) => c.frequency));
  const m = quintileScores(parsed.map((c) => c.monetary));
  return parsed.map((_, i) => {
    const recency = r[i] as Score;
    const frequency = f[i] as Score;
    const monetary = m[i] as Score;
    return { recency, frequency, monetary, code: `${recency}${frequency}${monetary}`, segment: rfmSegment(recency, frequency, monetary) };
  });
}
