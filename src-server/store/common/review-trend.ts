import type { ReviewCounts } from '@shared/contract/review';
import { addCounts } from '@shared/supervisor/review-figures';

/** Adds one day's counts into its period (the day itself, or its week). */
export function addTrendRow(points: Map<string, ReviewCounts>, period: string, counts: ReviewCounts): void {
  const sum = points.get(period);
  points.set(period, sum ? addCounts(sum, counts) : counts);
}
