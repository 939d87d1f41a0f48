import type { Transaction } from '@shared/domain/interaction';
import { activityTrend, buildCohort, DAYS_PER_WEEK } from '@shared/value';

/**
 * What counts as a repeat purchase for a subscription telecom: money the
 * customer actually chose to pay.
 * - 'payment': the monthly bill, paid. Every paid month is a "purchase" of
 *   another month of service, which is what the BG/NBD counts.
 * - 'purchase': one-off buys (a handset, an add-on, a top-up).
 * Left out:
 * - 'invoice': a bill is what we asked for, not what they paid, and it would
 *   count each month twice next to the payment that settles it;
 * - 'payment_failed': no money changed hands (it feeds the churn model's
 *   payment-failure signal instead).
 * Same-day payments and purchases are one purchase day with their amounts
 * summed, as the BG/NBD counts days (shared/value/cohort.ts). Refunds and
 * zero amounts are not purchases.
 */
export const REPEAT_PURCHASE_KINDS = ['payment', 'purchase'] as const satisfies readonly Transaction['kind'][];

const REPEAT_KINDS: ReadonlySet<string> = new Set(REPEAT_PURCHASE_KINDS);
export const DAY_MS = 86_400_000;

/** Whole days since 1970-01-01 (UTC) of an ISO time; NaN when unreadable. */
export const dayNumber = (iso: string): number => Math.floor(Date.parse(iso) / DAY_MS);

/** The compact purchase summary one customer's value needs, time in weeks. */
export interface PurchaseHistory {
  /** Repeat purchase days (after the first). */
  x: number;
  /** Weeks from the first to the last purchase. */
  tx: number;
  /** Weeks from the first purchase to the as-of day. */
  T: number;
  /** Mean value of the repeat purchase days; null when x = 0. */
  meanRepeatValue: number | null;
  /** Mean value of every purchase day, the first included. */
  meanValue: number;
  purchaseDays: number;
  /** Days from the last purchase to the as-of day. */
  daysSinceLastPurchase: number;
  /** Relative change of the purchase rate in the last 13 weeks against before (see activityTrend); null when too short. */
  trend: number | null;
}

/** The customer's purchase history up to and including `asOfDay`; null when they never paid anything. */
export function purchaseHistory(transactions: readonly Transaction[], asOfDay: number): PurchaseHistory | null {
  const purchases = [];
  for (const t of transactions) {
    if (!REPEAT_KINDS.has(t.kind) || !(t.amount > 0)) continue;
    const day = dayNumber(t.occurredAt);
    if (Number.isNaN(day) || day > asOfDay) continue;
    purchases.push({ customerId: '', day, amount: t.amount });
  }
  const summary = buildCohort(purchases, { calibrationEndDay: asOfDay, holdoutEndDay: asOfDay })[0];
  if (!summary) return null;
  return {
    x: summary.x,
    tx: summary.tx,
    T: summary.T,
    meanRepeatValue: summary.meanRepeatValue,
    meanValue: summary.meanValue,
    purchaseDays: summary.x + 1,
    daysSinceLastPurchase: asOfDay - summary.lastDay,
    trend: activityTrend(summary.purchaseWeeks, summary.T),
  };
}

export const weeksFromDays = (days: number): number => days / DAYS_PER_WEEK;
