import type { ReviewCounts, ReviewFigures, ReviewFilter, ReviewGrain } from '../contract/review';
import { wilsonInterval } from '../routing/uplift';

/**
 * Below this many calls a save rate is marked "too small to judge": with 30
 * calls a 50% rate's 95% interval is still about 33-67%, wider than any
 * difference a supervisor would act on.
 */
export const SMALL_SAMPLE_CALLS = 30;

export const EMPTY_COUNTS: ReviewCounts = { calls: 0, saves: 0, offersMade: 0, offersAccepted: 0, valueSaved: 0, offerCost: 0, verifiedResolved: 0, verifiedStayed: 0 };

/** Rate, interval, small-sample mark and net value of some counts. */
export function reviewFigures(counts: ReviewCounts): ReviewFigures {
  const { calls, saves, verifiedResolved, verifiedStayed } = counts;
  return {
    ...counts,
    rate: calls > 0 ? saves / calls : null,
    interval: calls > 0 ? wilsonInterval(saves, calls) : null,
    tooSmall: calls < SMALL_SAMPLE_CALLS,
    netValueKept: counts.valueSaved - counts.offerCost,
    verifiedRate: verifiedResolved > 0 ? verifiedStayed / verifiedResolved : null,
    verifiedInterval: verifiedResolved > 0 ? wilsonInterval(verifiedStayed, verifiedResolved) : null,
  };
}

export function addCounts(a: ReviewCounts, b: ReviewCounts): ReviewCounts {
  return {
    calls: a.calls + b.calls,
    saves: a.saves + b.saves,
    offersMade: a.offersMade + b.offersMade,
    offersAccepted: a.offersAccepted + b.offersAccepted,
    valueSaved: a.valueSaved + b.valueSaved,
    offerCost: a.offerCost + b.offerCost,
    verifiedResolved: a.verifiedResolved + b.verifiedResolved,
    verifiedStayed: a.verifiedStayed + b.verifiedStayed,
  };
}

const DAY_MS = 86_400_000;
const dayMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  return dayOf(dayMs(day) + days * DAY_MS);
}

export function rangeDays(from: string, to: string): number {
  return Math.round((dayMs(to) - dayMs(from)) / DAY_MS) + 1;
}

/** The period of the same length that ends the day before `from`. */
export function previousPeriod({ from, to }: Pick<ReviewFilter, 'from' | 'to'>): { from: string; to: string } {
  const length = rangeDays(from, to);
  return { from: addDays(from, -length), to: addDays(from, -1) };
}

/** The Monday of the ISO week a day falls in. */
export function weekOf(day: string): string {
  const weekday = (new Date(dayMs(day)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** Every period (day, or week by its Monday) the range touches, oldest first. */
export function periodsOf({ from, to }: Pick<ReviewFilter, 'from' | 'to'>, grain: ReviewGrain): string[] {
  const periods: string[] = [];
  for (let day = grain === 'day' ? from : weekOf(from); day <= to; day = addDays(day, grain === 'day' ? 1 : 7)) periods.push(day);
  return periods;
}

export const REVIEW_PRESETS = ['today', '7d', '30d', 'quarter'] as const;
export type ReviewPreset = (typeof REVIEW_PRESETS)[number];

/** The range of a preset ending today (UTC): today, the last 7 or 30 days, the last 91 days. */
export function presetRange(preset: ReviewPreset, today: string): { from: string; to: string } {
  const length = { today: 1, '7d': 7, '30d': 30, quarter: 91 }[preset];
  return { from: addDays(today, -(length - 1)), to: today };
}
