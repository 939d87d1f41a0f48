/**
 * Customer lifetime value over a finite horizon: expected margin from future
 * repeat transactions (BG/NBD) times expected spend per transaction
 * (Gamma-Gamma), discounted period by period.
 *
 * Conventions (chosen here, not from a paper): time in weeks; the default
 * horizon is 52 weekly steps (one year); the annual discount rate is turned
 * into a per-week factor with 365.25/7 weeks a year; each step's cash flow is
 * discounted at the end of its step. Past purchases are not counted: this is
 * residual value from now on.
 */
import { z } from 'zod';
import { conditionalExpectedTransactions, probabilityAlive, type BgNbdParams } from './bgnbd';
import { conditionalExpectedSpend, type GammaGammaParams } from './gamma-gamma';
import { WEEKS_PER_YEAR, type RepeatSummary } from './summary';

export const clvOptionsSchema = z.object({
  /** Share of revenue kept as margin, 0..1. */
  margin: z.number().min(0).max(1).default(0.3),
  /** Annual discount rate, e.g. 0.10 for 10 %. */
  annualDiscountRate: z.number().min(0).max(10).default(0.1),
  horizonWeeks: z.number().positive().max(52 * 50).default(52),
  stepWeeks: z.number().positive().default(1),
});
export type ClvOptions = z.input<typeof clvOptionsSchema>;
export type ResolvedClvOptions = z.output<typeof clvOptionsSchema>;

export interface ValueModelParams {
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
}

export interface CustomerValueInput extends RepeatSummary {
  /** Mean value of the repeat transactions; null or absent when x = 0. */
  meanRepeatValue?: number | null;
}

export interface CustomerClv {
  clv: number;
  /** Undiscounted expected repeat transactions over the horizon. */
  expectedTransactions: number;
  expectedSpend: number;
  pAlive: number;
}

export function resolveClvOptions(options: ClvOptions = {}): ResolvedClvOptions {
  return clvOptionsSchema.parse(options);
}

export function customerClv(customer: CustomerValueInput, model: ValueModelParams, options: ClvOptions = {}): CustomerClv {
  const { margin, annualDiscountRate, horizonWeeks, stepWeeks } = resolveClvOptions(options);
  const expectedSpend = conditionalExpectedSpend(model.gammaGamma, customer.x, customer.meanRepeatValue ?? null);
  const logGrowthPerWeek = Math.log1p(annualDiscountRate) / WEEKS_PER_YEAR;
  let previous = 0;
  let discountedTransactions = 0;
  const steps = Math.ceil(horizonWeeks / stepWeeks - 1e-9);
  for (let k = 1; k <= steps; k++) {
    const t = Math.min(k * stepWeeks, horizonWeeks);
    const cumulative = conditionalExpectedTransactions(model.bgnbd, customer, t);
    discountedTransactions += (cumulative - previous) * Math.exp(-logGrowthPerWeek * t);
    previous = cumulative;
  }
  return {
    clv: discountedTransactions * expectedSpend * margin,
    expectedTransactions: previous,
    expectedSpend,
    pAlive: probabilityAlive(model.bgnbd, customer),
  };
}
