import type { ValueTier } from '../domain/customer';

/**
 * Skeleton value estimate: twelve months of margin, discounted by the chance
 * of leaving. The BG/NBD + Gamma-Gamma model (shared/value) replaces it.
 */
export const HEURISTIC_VALUE_VERSION = 'heuristic-value-1';
const MARGIN = 0.35;

export function heuristicClv(monthlyCharge: number, churnProbability: number): number {
  return Math.round(monthlyCharge * 12 * MARGIN * (1 - churnProbability / 2) * 100) / 100;
}

/** Top `highShare` of values are high, the next `midShare` mid, the rest low. */
export function tierCutoffs(values: readonly number[], highShare = 0.2, midShare = 0.3): { high: number; mid: number } {
  if (values.length === 0) return { high: Infinity, mid: Infinity };
  const sorted = [...values].sort((a, b) => b - a);
  const at = (share: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))] as number;
  return { high: at(highShare), mid: at(highShare + midShare) };
}

export function tierFor(value: number, cutoffs: { high: number; mid: number }): ValueTier {
  if (value >= cutoffs.high) return 'high';
  if (value >= cutoffs.mid) return 'mid';
  return 'low';
}
