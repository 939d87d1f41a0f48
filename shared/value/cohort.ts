/**
 * Turns transactions into per-customer calibration summaries (x, tx, T,
 * mean repeat value) and holdout counts. A "transaction" is a purchase day:
 * same-day purchases of a customer are merged and their amounts summed.
 * Time is in weeks (days / 7).
 */
import { DAYS_PER_WEEK } from './summary';
import type { Transaction } from './transactions';

export interface CohortCustomer {
  customerId: string;
  firstDay: number;
  lastDay: number;
  /** Repeat purchase days up to the calibration end. */
  x: number;
  /** Weeks from the first to the last purchase in calibration. */
  tx: number;
  /** Weeks from the first purchase to the calibration end. */
  T: number;
  /** Mean value of the repeat purchase days; null when x = 0. */
  meanRepeatValue: number | null;
  /** Mean value of all calibration purchase days, the first included. */
  meanValue: number;
  /** Purchase times in weeks since the first purchase (calibration only). */
  purchaseWeeks: number[];
  /** Purchase days in (calibration end, holdout end]. */
  holdoutTransactions: number;
  holdoutValue: number;
}

export interface CohortOptions {
  calibrationEndDay: number;
  /** Inclusive; transactions after it are ignored. */
  holdoutEndDay: number;
}

/** Same-day purchases of each customer merged into one, sorted by day. */
export function mergeSameDay(transactions: readonly Transaction[]): Map<string, { day: number; amount: number }[]> {
  const byCustomer = new Map<string, Map<number, number>>();
  for (const t of transactions) {
    let days = byCustomer.get(t.customerId);
    if (!days) {
      days = new Map();
      byCustomer.set(t.customerId, days);
    }
    days.set(t.day, (days.get(t.day) ?? 0) + t.amount);
  }
  const merged = new Map<string, { day: number; amount: number }[]>();
  for (const [id, days] of byCustomer) {
    merged.set(
      id,
      [...days.entries()].map(([day, amount]) => ({ day, amount })).sort((a, b) => a.day - b.day),
    );
  }
  return merged;
}

/** The cohort is every customer whose first purchase is on or before the calibration end. */
export function buildCohort(transactions: readonly Transaction[], options: CohortOptions): CohortCustomer[] {
  const { calibrationEndDay, holdoutEndDay } = options;
  const cohort: CohortCustomer[] = [];
  for (const [customerId, days] of mergeSameDay(transactions)) {
    const first = days[0];
    if (!first || first.day > calibrationEndDay) continue;
    let x = 0;
    let lastDay = first.day;
    let repeatValue = 0;
    let totalValue = 0;
    let holdoutTransactions = 0;
    let holdoutValue = 0;
    const purchaseWeeks: number[] = [];
    for (const [i, d] of days.entries()) {
      if (d.day <= calibrationEndDay) {
        purchaseWeeks.push((d.day - first.day) / DAYS_PER_WEEK);
        totalValue += d.amount;
        if (i > 0) {
          x++;
          repeatValue += d.amount;
        }
        lastDay = d.day;
      } else if (d.day <= holdoutEndDay) {
        holdoutTransactions++;
        holdoutValue += d.amount;
      }
    }
    cohort.push({
      customerId,
      firstDay: first.day,
      lastDay,
      x,
      tx: (lastDay - first.day) / DAYS_PER_WEEK,
      T: (calibrationEndDay - first.day) / DAYS_PER_WEEK,
      meanRepeatValue: x > 0 ? repeatValue / x : null,
      meanValue: totalValue / (x + 1),
      purchaseWeeks,
      holdoutTransactions,
      holdoutValue,
    });
  }
  return cohort;
}
