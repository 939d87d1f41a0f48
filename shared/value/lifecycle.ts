/**
 * Lifecycle stage of a customer, decided by these rules in order:
 *   1. lapsed    P(alive) < lapsedBelow, or no purchase for lapsedAfterWeeks
 *                (the second rule matters because the BG/NBD treats one-time
 *                buyers as certainly alive);
 *   2. new       tenure < newTenureWeeks;
 *   3. declining P(alive) < decliningBelow, or activity trend <= -trendThreshold;
 *   4. growing   activity trend >= +trendThreshold;
 *   5. mature    everything else.
 * The activity trend is the relative change of the purchase rate in the most
 * recent window against the rate before it (see `activityTrend`); null when
 * unknown, in which case only P(alive), tenure and recency decide.
 */
import { z } from 'zod';

export const LIFECYCLE_STAGES = ['new', 'growing', 'mature', 'declining', 'lapsed'] as const;
export const lifecycleStageSchema = z.enum(LIFECYCLE_STAGES);
export type LifecycleStage = z.infer<typeof lifecycleStageSchema>;

export const lifecycleConfigSchema = z.object({
  newTenureWeeks: z.number().nonnegative().default(13),
  lapsedBelow: z.number().min(0).max(1).default(0.3),
  decliningBelow: z.number().min(0).max(1).default(0.6),
  lapsedAfterWeeks: z.number().positive().default(26),
  trendThreshold: z.number().positive().default(0.3),
});
export type LifecycleConfig = z.input<typeof lifecycleConfigSchema>;

export const lifecycleInputSchema = z.object({
  tenureWeeks: z.number().nonnegative(),
  pAlive: z.number().min(0).max(1),
  /** Weeks since the last purchase; null when unknown. */
  weeksSinceLastPurchase: z.number().nonnegative().nullable().default(null),
  /** Relative change of the purchase rate, recent vs earlier; null when unknown. */
  trend: z.number().nullable().default(null),
});
export type LifecycleInput = z.input<typeof lifecycleInputSchema>;

export function lifecycleStage(input: LifecycleInput, config: LifecycleConfig = {}): LifecycleStage {
  const { tenureWeeks, pAlive, weeksSinceLastPurchase, trend } = lifecycleInputSchema.parse(input);
  const c = lifecycleConfigSchema.parse(config);
  if (pAlive < c.lapsedBelow || (weeksSinceLastPurchase !== null && weeksSinceLastPurchase >= c.lapsedAfterWeeks)) {
    return 'lapsed';
  }
  if (tenureWeeks < c.newTenureWeeks) return 'new';
  if (pAlive < c.decliningBelow || (trend !== null && trend <= -c.trendThreshold)) return 'declining';
  if (trend !== null && trend >= c.trendThreshold) return 'growing';
  return 'mature';
}

/**
 * Relative change of the purchase rate in the last `windowWeeks` before the
 * end of observation against the rate before that window, counting every
 * purchase (the first included). Half a purchase is added to each count so
 * that one or two purchases do not swing the trend to -100 % or +infinity.
 * Returns null when the history is too short to have an "earlier" period.
 *
 * @param purchaseWeeks purchase times in weeks since the first purchase
 * @param tenureWeeks   weeks from the first purchase to the end of observation
 */
export function activityTrend(purchaseWeeks: readonly number[], tenureWeeks: number, windowWeeks = 13): number | null {
  const window = Math.min(windowWeeks, tenureWeeks / 2);
  if (!(window > 0)) return null;
  const boundary = tenureWeeks - window;
  let recent = 0;
  let earlier = 0;
  for (const w of purchaseWeeks) {
    if (w > tenureWeeks) continue;
    if (w > boundary) recent++;
    else earlier++;
  }
  const recentRate = (recent + 0.5) / window;
  const earlierRate = (earlier + 0.5) / boundary;
  return recentRate / earlierRate - 1;
}
