import { z } from 'zod';

/**
 * Save rate per arm and the difference (policy - baseline) with a 95%
 * confidence interval, so uplift is measured rather than claimed.
 *
 * Per arm: Wilson score interval. Difference: Newcombe's hybrid score
 * interval (Newcombe 1998, Stat Med 17:873, method 10), which combines the
 * two Wilson intervals, stays inside [-1, 1] and behaves at small counts and
 * rates near 0 or 1, where the Wald interval does not.
 */
export const armOutcomeSchema = z.object({
  arm: z.enum(['policy', 'baseline']),
  saved: z.boolean(),
});
export type ArmOutcome = z.infer<typeof armOutcomeSchema>;

export interface ArmSummary {
  calls: number;
  saves: number;
  rate: number;
  ci95: [number, number];
}

export interface UpliftReport {
  policy: ArmSummary;
  baseline: ArmSummary;
  /** policy rate - baseline rate */
  difference: number;
  differenceCi95: [number, number];
  method: 'newcombe-wilson';
  /** True when the whole interval lies above zero. */
  policyBetter: boolean;
  /** True when the whole interval lies below zero. */
  baselineBetter: boolean;
}

const Z95 = 1.959963984540054;

export function wilsonInterval(successes: number, trials: number, z = Z95): [number, number] {
  if (trials <= 0) return [0, 1];
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Newcombe's method 10 for p1 - p2. */
export function newcombeInterval(s1: number, n1: number, s2: number, n2: number, z = Z95): [number, number] {
  const p1 = n1 > 0 ? s1 / n1 : 0;
  const p2 = n2 > 0 ? s2 / n2 : 0;
  const [l1, u1] = wilsonInterval(s1, n1, z);
  const [l2, u2] = wilsonInterval(s2, n2, z);
  const d = p1 - p2;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}

export function upliftReport(outcomes: readonly ArmOutcome[]): UpliftReport {
  const parsed = z.array(armOutcomeSchema).safeParse(outcomes);
  if (!parsed.success) throw new Error(`upliftReport: outcomes must be {arm: "policy"|"baseline", saved: boolean}[]: ${parsed.error.issues[0]?.message ?? ''}`);
  const count = { policy: { calls: 0, saves: 0 }, baseline: { calls: 0, saves: 0 } };
  for (const outcome of parsed.data) {
    count[outcome.arm].calls++;
    if (outcome.saved) count[outcome.arm].saves++;
  }
  const summary = (c: { calls: number; saves: number }): ArmSummary => ({
    calls: c.calls,
    saves: c.saves,
    rate: c.calls > 0 ? c.saves / c.calls : 0,
    ci95: wilsonInterval(c.saves, c.calls),
  });
  const policy = summary(count.policy);
  const baseline = summary(count.baseline);
  const ci = newcombeInterval(count.policy.saves, count.policy.calls, count.baseline.saves, count.baseline.calls);
  return {
    policy,
    baseline,
    difference: policy.rate - baseline.rate,
    differenceCi95: ci,
    method: 'newcombe-wilson',
    policyBetter: count.policy.calls > 0 && count.baseline.calls > 0 && ci[0] > 0,
    baselineBetter: count.policy.calls > 0 && count.baseline.calls > 0 && ci[1] < 0,
  };
}
