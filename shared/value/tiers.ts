/**
 * Value tiers from CLV percentiles: by default the top 20 % of customers are
 * "high", the next 30 % "mid", the rest "low". Customers with equal CLV always
 * share a tier, and the cut-off values are returned so that a customer scored
 * later can be placed without re-ranking everyone.
 */
import { z } from 'zod';
import type { ValueTier } from '@shared/domain/customer';

export const tierConfigSchema = z
  .object({
    highShare: z.number().min(0).max(1).default(0.2),
    midShare: z.number().min(0).max(1).default(0.3),
  })
  .refine((c) => c.highShare + c.midShare <= 1, { message: 'highShare + midShare must not exceed 1' });
export type TierConfig = z.input<typeof tierConfigSchema>;

export interface TierThresholds {
  /** Smallest CLV that is "high" (Infinity when no customer is). */
  highMin: number;
  /** Smallest CLV that is at least "mid" (Infinity when no customer is). */
  midMin: number;
}

export interface TierAssignment {
  tiers: ValueTier[];
  thresholds: TierThresholds;
}

/**
 * A customer is in the top share s when fewer than s*n customers have a
 * strictly larger CLV; ties therefore land together in the better tier.
 */
function cutoff(sortedDescending: readonly number[], share: number): number {
  const n = sortedDescending.length;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const value = sortedDescending[i] as number;
    if (i > 0 && sortedDescending[i - 1] === value) continue; // same group as the previous value
    // i customers have a strictly larger CLV than this group.
    if (i < share * n - 1e-9) min = value;
    else break;
  }
  return min;
}

export function valueTierThresholds(clvs: readonly number[], config: TierConfig = {}): TierThresholds {
  const { highShare, midShare } = tierConfigSchema.parse(config);
  if (clvs.some((v) => !Number.isFinite(v))) throw new Error('CLV values must be finite numbers');
  const sorted = [...clvs].sort((a, b) => b - a);
  return { highMin: cutoff(sorted, highShare), midMin: cutoff(sorted, highShare + midShare) };
}

export function tierForClv(clv: number, thresholds: TierThresholds): ValueTier {
  if (clv >= thresholds.highMin) return 'high';
  if (clv >= thresholds.midMin) return 'mid';
  return 'low';
}

export function assignValueTiers(clvs: readonly number[], config: TierConfig = {}): TierAssignment {
  const thresholds = valueTierThresholds(clvs, config);
  return { tiers: clvs.map((v) => tierForClv(v, thresholds)), thresholds };
}
