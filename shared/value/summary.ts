import { z } from 'zod';

/**
 * A customer's purchase history in the form the BG/NBD needs, time in weeks:
 * x = repeat transactions (distinct purchase days after the first),
 * tx = time from the first to the last purchase, T = time from the first
 * purchase to the end of the observation window.
 */
export const repeatSummarySchema = z
  .object({
    x: z.number().int().nonnegative(),
    tx: z.number().nonnegative(),
    T: z.number().nonnegative(),
  })
  .refine((s) => s.tx <= s.T + 1e-9, { message: 'tx (weeks to last purchase) cannot exceed T (weeks observed)' })
  .refine((s) => s.x > 0 || s.tx === 0, { message: 'tx must be 0 when there is no repeat purchase' });
export type RepeatSummary = z.infer<typeof repeatSummarySchema>;

/** Repeat count and the mean value of the repeat transactions, for Gamma-Gamma. */
export const spendSummarySchema = z.object({
  x: z.number().int().positive(),
  meanValue: z.number().positive(),
});
export type SpendSummary = z.infer<typeof spendSummarySchema>;

export const DAYS_PER_WEEK = 7;
export const WEEKS_PER_YEAR = 365.25 / DAYS_PER_WEEK;
