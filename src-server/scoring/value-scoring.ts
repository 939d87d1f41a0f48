import type { ValueTier } from '@shared/domain/customer';
import {
  assignValueTiers,
  conditionalExpectedSpend,
  customerClv,
  fitValueModel,
  lifecycleStage,
  probabilityAlive,
  resolveClvOptions,
  rfmScores,
  tierConfigSchema,
  tierForClv,
  type ClvOptions,
  type LifecycleStage,
  type RfmSegment,
  type Score,
  type TierConfig,
  type TierThresholds,
} from '@shared/value';
import { REPEAT_PURCHASE_KINDS, weeksFromDays, type PurchaseHistory } from './purchase-history';
import { VALUE_MODEL_FILE_SCHEMA_VERSION, type ValueModelFile } from './value-model-file';

/**
 * Per-customer value from the BG/NBD + Gamma-Gamma fit: CLV over the
 * configured horizon (by default 12 months at a 30% margin and a 10% a year
 * discount; see value-config.ts), value tier (by default top 20% high, next
 * 30% mid), RFM segment and lifecycle stage.
 */

/**
 * Below these the heuristic value is used instead: the BG/NBD's heterogeneity
 * (r, alpha) and dropout (a, b) parameters are poorly identified on a couple
 * of hundred histories (Fader, Hardie & Lee fitted 2,357), and Gamma-Gamma
 * needs repeat buyers to see spend vary between customers.
 */
export const MIN_VALUE_CUSTOMERS = 200;
export const MIN_REPEAT_BUYERS = 100;

/** Recency given to a customer who never paid: beyond anyone who did, so they rank last. */
const NEVER_PAID_RECENCY_DAYS = 100 * 365;
const WEEKS_PER_MONTH = 365.25 / 12 / 7;

export interface ValueInput {
  history: PurchaseHistory | null;
  /** Months with the company, from the plan; null when unknown. */
  tenureMonths: number | null;
}

export interface CustomerValue {
  clv: number;
  pAlive: number;
  valueTier: ValueTier;
  rfm: { r: Score; f: Score; m: Score };
  rfmSegment: RfmSegment;
  lifecycleStage: LifecycleStage;
}

export class ValueFitError extends Error {
  override name = 'ValueFitError';
}

/** A customer with no purchase yet is scored as one who has just joined (x = tx = T = 0). */
const repeatSummary = (h: PurchaseHistory | null): { x: number; tx: number; T: number } => (h ? { x: h.x, tx: h.tx, T: h.T } : { x: 0, tx: 0, T: 0 });

export interface FitOptions {
  asOf: string;
  createdAt: string;
  clv?: ClvOptions;
  tiers?: TierConfig;
}

/** Fits the value model on the book; throws ValueFitError when there is too little purchase history. */
export function fitValueModelFile(inputs: readonly ValueInput[], options: FitOptions): { file: ValueModelFile; values: CustomerValue[] } {
  const withHistory = inputs.filter((i) => i.history !== null);
  const repeatBuyers = withHistory.filter((i) => (i.history as PurchaseHistory).x > 0).length;
  if (withHistory.length < MIN_VALUE_CUSTOMERS || repeatBuyers < MIN_REPEAT_BUYERS) {
    throw new ValueFitError(`too little purchase history to fit the value model: ${withHistory.length} paying customers (need ${MIN_VALUE_CUSTOMERS}), ${repeatBuyers} repeat buyers (need ${MIN_REPEAT_BUYERS})`);
  }
  const fit = fitValueModel(withHistory.map((i) => {
    const h = i.history as PurchaseHistory;
    return { x: h.x, tx: h.tx, T: h.T, meanRepeatValue: h.meanRepeatValue };
  }));
  const clv = resolveClvOptions(options.clv);
  const tierConfig = tierConfigSchema.parse(options.tiers ?? {});
  const file: ValueModelFile = {
    schemaVersion: VALUE_MODEL_FILE_SCHEMA_VERSION,
    kind: 'value',
    modelVersion: fit.modelVersion,
    createdAt: options.createdAt,
    asOf: options.asOf,
    repeatPurchaseKinds: [...REPEAT_PURCHASE_KINDS],
    clv: { margin: clv.margin, annualDiscountRate: clv.annualDiscountRate, horizonWeeks: clv.horizonWeeks },
    tiers: { highShare: tierConfig.highShare, midShare: tierConfig.midShare, highMin: null, midMin: null },
    fit,
    cohort: { customers: inputs.length, repeatBuyers, withoutPurchases: inputs.length - withHistory.length },
  };
  const values = customerValues(inputs, file);
  return { file, values };
}

/**
 * Scores the book with a value model file. With `tiers: 'rank'` (a fresh fit)
 * the tiers come from ranking this book and the cut-offs are written into the
 * file; with 'file' (a stored model) the file's own cut-offs place everyone,
 * so scores agree with the file desktops hold.
 * The discounted expected transactions depend on (x, tx, T) alone and repeat
 * across a subscription book (monthly payments land on a grid), so they are
 * computed once per distinct history: `customerClv` with a unit population
 * spend (Gamma-Gamma p = 1, q = 2, gamma = 1, mean 1) gives exactly
 * margin x discounted transactions, which then scales each customer's own
 * expected spend.
 */
export function customerValues(inputs: readonly ValueInput[], file: ValueModelFile, tiers: 'rank' | 'file' = 'rank'): CustomerValue[] {
  const { bgnbd, gammaGamma } = file.fit;
  const unitSpendModel = { bgnbd, gammaGamma: { p: 1, q: 2, gamma: 1 } };
  const perHistory = new Map<string, { marginTransactions: number; pAlive: number }>();
  const paidMeans = inputs.flatMap((i) => (i.history ? [i.history.meanValue] : []));
  const bookMeanSpend = paidMeans.length > 0 ? paidMeans.reduce((s, v) => s + v, 0) / paidMeans.length : 0;

  const clvs = inputs.map((input) => {
    const summary = repeatSummary(input.history);
    const key = `${summary.x}|${summary.tx}|${summary.T}`;
    let cached = perHistory.get(key);
    if (!cached) {
      cached = { marginTransactions: customerClv(summary, unitSpendModel, file.clv).clv, pAlive: probabilityAlive(bgnbd, summary) };
      perHistory.set(key, cached);
    }
    // Gamma-Gamma with q <= 1 has no population mean; the customer's own (or the book's) mean spend stands in.
    let spend = conditionalExpectedSpend(gammaGamma, summary.x, input.history?.meanRepeatValue ?? null);
    if (!Number.isFinite(spend)) spend = input.history?.meanValue ?? bookMeanSpend;
    return { clv: cached.marginTransactions * spend, pAlive: cached.pAlive };
  });

  let thresholds: TierThresholds;
  if (tiers === 'rank') {
    thresholds = assignValueTiers(clvs.map((c) => c.clv), { highShare: file.tiers.highShare, midShare: file.tiers.midShare }).thresholds;
    file.tiers.highMin = Number.isFinite(thresholds.highMin) ? thresholds.highMin : null;
    file.tiers.midMin = Number.isFinite(thresholds.midMin) ? thresholds.midMin : null;
  } else {
    thresholds = { highMin: file.tiers.highMin ?? Infinity, midMin: file.tiers.midMin ?? Infinity };
  }
  const rfm = bookRfm(inputs);
  return inputs.map((input, i) => {
    const { clv, pAlive } = clvs[i] as { clv: number; pAlive: number };
    const h = input.history;
    const tenureWeeks = input.tenureMonths !== null && input.tenureMonths > 0 ? input.tenureMonths * WEEKS_PER_MONTH : (h?.T ?? 0);
    const stage = lifecycleStage({
      tenureWeeks,
      pAlive,
      // Never paid at all: as lapsed as their whole tenure.
      weeksSinceLastPurchase: h ? weeksFromDays(h.daysSinceLastPurchase) : tenureWeeks,
      trend: h?.trend ?? null,
    });
    const score = rfm[i] as (typeof rfm)[number];
    return {
      clv,
      pAlive,
      valueTier: tierForClv(clv, thresholds),
      rfm: { r: score.recency, f: score.frequency, m: score.monetary },
      rfmSegment: score.segment,
      lifecycleStage: stage,
    };
  });
}

/** RFM within the book: recency in days since the last payment, frequency in purchase days, monetary as mean value per purchase day. */
export function bookRfm(inputs: readonly ValueInput[]): ReturnType<typeof rfmScores> {
  return rfmScores(inputs.map(({ history: h }) => (h
    ? { recency: h.daysSinceLastPurchase, frequency: h.purchaseDays, monetary: h.meanValue }
    : { recency: NEVER_PAID_RECENCY_DAYS, frequency: 0, monetary: 0 })));
}

