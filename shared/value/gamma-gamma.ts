/**
 * Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, JMR;
 * Fader & Hardie 2013 note 025). Each transaction value of a customer is
 * Gamma(p, nu) and nu ~ Gamma(q, gamma) across customers; the customer's mean
 * repeat value is what is observed. Assumes spend is independent of the
 * transaction process.
 */
import { z } from 'zod';
import { minimize } from './optimize';
import { digamma, lgamma } from './special';
import { spendSummarySchema, type SpendSummary } from './summary';

export const gammaGammaParamsSchema = z.object({
  p: z.number().positive(),
  q: z.number().positive(),
  gamma: z.number().positive(),
});
export type GammaGammaParams = z.infer<typeof gammaGammaParamsSchema>;

export interface GammaGammaFit extends GammaGammaParams {
  logLikelihood: number;
  customers: number;
  converged: boolean;
}

/** Log density of one customer's mean repeat value given their repeat count. */
export function gammaGammaCustomerLogLikelihood(params: GammaGammaParams, s: SpendSummary): number {
  const { p, q, gamma } = params;
  const { x, meanValue } = s;
  const px = p * x;
  return (
    lgamma(px + q) -
    lgamma(px) -
    lgamma(q) +
    q * Math.log(gamma) +
    (px - 1) * Math.log(meanValue) +
    px * Math.log(x) -
    (px + q) * Math.log(gamma + x * meanValue)
  );
}

/** Customers in the shape the likelihood loops want; gamma-function terms are summed once per distinct x. */
interface PackedSpend {
  x: Float64Array;
  meanValue: Float64Array;
  logMeanValue: Float64Array;
  distinctX: Float64Array;
  countOfX: Float64Array;
}

function packSpend(summaries: readonly SpendSummary[]): PackedSpend {
  const byX = new Map<number, number>();
  for (const s of summaries) byX.set(s.x, (byX.get(s.x) ?? 0) + 1);
  return {
    x: Float64Array.from(summaries, (s) => s.x),
    meanValue: Float64Array.from(summaries, (s) => s.meanValue),
    logMeanValue: Float64Array.from(summaries, (s) => Math.log(s.meanValue)),
    distinctX: Float64Array.from(byX.keys()),
    countOfX: Float64Array.from(byX.values()),
  };
}

function packedLogLikelihood(params: GammaGammaParams, data: PackedSpend): number {
  const { p, q, gamma } = params;
  const constant = -lgamma(q) + q * Math.log(gamma);
  let ll = 0;
  for (let k = 0; k < data.distinctX.length; k++) {
    const xk = data.distinctX[k] as number;
    const px = p * xk;
    ll += (data.countOfX[k] as number) * (constant + lgamma(px + q) - lgamma(px) + px * Math.log(xk));
  }
  for (let i = 0; i < data.x.length; i++) {
    const px = p * (data.x[i] as number);
    ll += (px - 1) * (data.logMeanValue[i] as number) - (px + q) * Math.log(gamma + (data.x[i] as number) * (data.meanValue[i] as number));
  }
  return ll;
}

export function gammaGammaLogLikelihood(params: GammaGammaParams, summaries: readonly SpendSummary[]): number {
  return packedLogLikelihood(params, packSpend(summaries));
}

function logParamGradient(params: GammaGammaParams, data: PackedSpend): number[] {
  const { p, q, gamma } = params;
  const psiQ = digamma(q);
  let dp = 0;
  let dq = 0;
  let dGamma = 0;
  for (let k = 0; k < data.distinctX.length; k++) {
    const xk = data.distinctX[k] as number;
    const count = data.countOfX[k] as number;
    const psiPXQ = digamma(p * xk + q);
    dp += count * xk * (psiPXQ - digamma(p * xk) + Math.log(xk));
    dq += count * (psiPXQ - psiQ + Math.log(gamma));
    dGamma += (count * q) / gamma;
  }
  for (let i = 0; i < data.x.length; i++) {
    const x = data.x[i] as number;
    const spent = gamma + x * (data.meanValue[i] as number);
    const logSpent = Math.log(spent);
    dp += x * ((data.logMeanValue[i] as number) - logSpent);
    dq -= logSpent;
    dGamma -= (p * x + q) / spent;
  }
  return [dp * p, dq * q, dGamma * gamma];
}

const LOG_PARAM_LIMIT = 30;
const fromLog = (theta: readonly number[]): GammaGammaParams => ({
  p: Math.exp(theta[0] as number),
  q: Math.exp(theta[1] as number),
  gamma: Math.exp(theta[2] as number),
});

/** Maximum-likelihood fit on the customers with at least one repeat purchase. */
export function fitGammaGamma(summaries: readonly SpendSummary[]): GammaGammaFit {
  const parsed = z
    .array(spendSummarySchema)
    .min(1, 'fitGammaGamma needs at least one customer with a repeat purchase')
    .parse(summaries);
  const n = parsed.length;
  const data = packSpend(parsed);
  const objective = (theta: readonly number[]): number =>
    theta.some((v) => Math.abs(v) > LOG_PARAM_LIMIT) ? Infinity : -packedLogLikelihood(fromLog(theta), data) / n;
  const gradient = (theta: readonly number[]): number[] =>
    logParamGradient(fromLog(theta), data).map((v) => -v / n);
  const meanValue = parsed.reduce((s, c) => s + c.meanValue, 0) / n;
  // Start where the population mean p*gamma/(q-1) equals the observed mean.
  const starts = [
    [0, 0, 0],
    [Math.log(2), Math.log(3), Math.log(meanValue)],
    [Math.log(5), Math.log(5), Math.log(0.8 * meanValue)],
  ];
  const result = minimize(objective, gradient, { starts });
  return { ...fromLog(result.x), logLikelihood: -result.value * n, customers: n, converged: result.converged };
}

/** Population mean spend per transaction, p*gamma/(q-1); undefined (NaN) when q <= 1. */
export function populationMeanSpend(params: GammaGammaParams): number {
  return params.q > 1 ? (params.p * params.gamma) / (params.q - 1) : Number.NaN;
}

/**
 * E[Z | x, zbar]: expected spend per future transaction, a weighted mean of
 * the population mean and the customer's own mean repeat value. With no repeat
 * purchase (x = 0) it is the population mean.
 */
export function conditionalExpectedSpend(params: GammaGammaParams, x: number, meanValue: number | null): number {
  const { p, q, gamma } = params;
  if (x <= 0 || meanValue === null) return populationMeanSpend(params);
  const denominator = p * x + q - 1;
  return denominator > 0 ? (p * (gamma + x * meanValue)) / denominator : Number.NaN;
}
