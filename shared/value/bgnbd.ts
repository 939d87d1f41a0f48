/**
 * BG/NBD model of repeat transactions (Fader, Hardie & Lee 2005, Marketing
 * Science 24(2)). While alive a customer buys at Poisson rate lambda ~
 * Gamma(r, alpha); after each repeat purchase they drop out with probability
 * p ~ Beta(a, b). Everything is computed in log space.
 */
import { z } from 'zod';
import { minimize } from './optimize';
import { bgNbdResidualSeries, digamma, lgamma, logAddExp, sigmoid } from './special';
import { repeatSummarySchema, type RepeatSummary } from './summary';

export const bgNbdParamsSchema = z.object({
  r: z.number().positive(),
  alpha: z.number().positive(),
  a: z.number().positive(),
  b: z.number().positive(),
});
export type BgNbdParams = z.infer<typeof bgNbdParamsSchema>;

export interface BgNbdFit extends BgNbdParams {
  /** Total log-likelihood at the optimum. */
  logLikelihood: number;
  customers: number;
  converged: boolean;
}

/** Log-likelihood of one customer (FHL 2005 eq. 6). */
export function bgNbdCustomerLogLikelihood(params: BgNbdParams, s: RepeatSummary): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = s;
  const rx = r + x;
  const base =
    lgamma(rx) - lgamma(r) + r * Math.log(alpha) + lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
  const stillAlive = -rx * Math.log(alpha + T);
  // The dropped-out-after-last-purchase branch exists only after a repeat purchase.
  const droppedOut = x > 0 ? Math.log(a) - Math.log(b + x - 1) - rx * Math.log(alpha + tx) : -Infinity;
  return base + logAddExp(stillAlive, droppedOut);
}

/**
 * The data in the shape the likelihood loops want: customers with identical
 * (x, tx, T) are one weighted row, and the gamma-function terms, which depend
 * on x alone, are summed once per distinct x.
 */
interface PackedSummaries {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  distinctX: Float64Array;
  weightOfX: Float64Array;
}

function packSummaries(summaries: readonly RepeatSummary[]): PackedSummaries {
  const groups = new Map<string, { x: number; tx: number; T: number; weight: number }>();
  const byX = new Map<number, number>();
  for (const s of summaries) {
    const key = `${s.x}|${s.tx}|${s.T}`;
    const g = groups.get(key);
    if (g) g.weight += 1;
    else groups.set(key, { x: s.x, tx: s.tx, T: s.T, weight: 1 });
    byX.set(s.x, (byX.get(s.x) ?? 0) + 1);
  }
  const rows = [...groups.values()];
  return {
    x: Float64Array.from(rows, (g) => g.x),
    tx: Float64Array.from(rows, (g) => g.tx),
    T: Float64Array.from(rows, (g) => g.T),
    weight: Float64Array.from(rows, (g) => g.weight),
    distinctX: Float64Array.from(byX.keys()),
    weightOfX: Float64Array.from(byX.values()),
  };
}

const LOG_PARAM_LIMIT = 30;
const fromLog = (theta: readonly number[]): BgNbdParams => ({
  r: Math.exp(theta[0] as number),
  alpha: Math.exp(theta[1] as number),
  a: Math.exp(theta[2] as number),
  b: Math.exp(theta[3] as number),
});

function totalLogLikelihood(params: BgNbdParams, data: PackedSummaries): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T, weight, distinctX, weightOfX } = data;
  const constant = -lgamma(r) + r * Math.log(alpha) + lgamma(a + b) - lgamma(b);
  let ll = 0;
  for (let k = 0; k < distinctX.length; k++) {
    const xk = distinctX[k] as number;
    ll += (weightOfX[k] as number) * (constant + lgamma(r + xk) + lgamma(b + xk) - lgamma(a + b + xk));
  }
  const logA = Math.log(a);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const rx = r + xi;
    const stillAlive = -rx * Math.log(alpha + (T[i] as number));
    const droppedOut = xi > 0 ? logA - Math.log(b + xi - 1) - rx * Math.log(alpha + (tx[i] as number)) : -Infinity;
    ll += (weight[i] as number) * logAddExp(stillAlive, droppedOut);
  }
  return ll;
}

/** Gradient of the total log-likelihood with respect to the log-parameters. */
function logParamGradient(params: BgNbdParams, data: PackedSummaries): number[] {
  const { r, alpha, a, b } = params;
  const { x, tx, T, weight, distinctX, weightOfX } = data;
  let dr = 0;
  let dAlpha = 0;
  let da = 0;
  let db = 0;
  const psiR = digamma(r);
  const psiB = digamma(b);
  const psiAB = digamma(a + b);
  const logAlpha = Math.log(alpha);
  for (let k = 0; k < distinctX.length; k++) {
    const xk = distinctX[k] as number;
    const w = weightOfX[k] as number;
    const psiABX = digamma(a + b + xk);
    dr += w * (digamma(r + xk) - psiR + logAlpha);
    dAlpha += (w * r) / alpha;
    da += w * (psiAB - psiABX);
    db += w * (psiAB + digamma(b + xk) - psiB - psiABX);
  }
  const logA = Math.log(a);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const wi = weight[i] as number;
    const rx = r + xi;
    const logAT = Math.log(alpha + (T[i] as number));
    const logAtx = Math.log(alpha + (tx[i] as number));
    const stillAlive = -rx * logAT;
    const droppedOut = xi > 0 ? logA - Math.log(b + xi - 1) - rx * logAtx : -Infinity;
    const total = logAddExp(stillAlive, droppedOut);
    const w3 = Math.exp(stillAlive - total);
    const w4 = xi > 0 ? Math.exp(droppedOut - total) : 0;
    dr -= wi * (w3 * logAT + w4 * logAtx);
    dAlpha -= wi * rx * (w3 / (alpha + (T[i] as number)) + w4 / (alpha + (tx[i] as number)));
    da += (wi * w4) / a;
    if (xi > 0) db -= (wi * w4) / (b + xi - 1);
  }
  return [dr * r, dAlpha * alpha, da * a, db * b];
}

export function bgNbdLogLikelihood(params: BgNbdParams, summaries: readonly RepeatSummary[]): number {
  return totalLogLikelihood(params, packSummaries(summaries));
}

/** Maximum-likelihood fit on log-parameters: Nelder-Mead restarts, then BFGS with the analytic gradient. */
export function fitBgNbd(summaries: readonly RepeatSummary[]): BgNbdFit {
  const parsed = z.array(repeatSummarySchema).min(1, 'fitBgNbd needs at least one customer').parse(summaries);
  const data = packSummaries(parsed);
  const n = parsed.length;
  const outOfRange = (theta: readonly number[]): boolean => theta.some((v) => Math.abs(v) > LOG_PARAM_LIMIT);
  // Per-customer scale keeps tolerances meaningful for any cohort size.
  const objective = (theta: readonly number[]): number =>
    outOfRange(theta) ? Infinity : -totalLogLikelihood(fromLog(theta), data) / n;
  const gradient = (theta: readonly number[]): number[] =>
    logParamGradient(fromLog(theta), data).map((v) => -v / n);

  const meanT = parsed.reduce((s, c) => s + c.T, 0) / n;
  const meanRate = parsed.reduce((s, c) => s + c.x, 0) / n / Math.max(meanT, 1e-6);
  const alphaGuess = Math.max(1e-3, 1 / Math.max(meanRate, 1e-6));
  const starts = [
    [0, 0, 0, 0],
    [0, Math.log(alphaGuess), 0, 0],
    [Math.log(0.5), Math.log(alphaGuess / 2), Math.log(0.5), Math.log(3)],
    [Math.log(2), Math.log(alphaGuess * 2), Math.log(2), Math.log(10)],
  ];
  const result = minimize(objective, gradient, { starts });
  const params = fromLog(result.x);
  return { ...params, logLikelihood: -result.value * n, customers: n, converged: result.converged };
}

/** Log-odds that the customer has dropped out, given their history. */
function logOddsDead(params: BgNbdParams, s: RepeatSummary): number {
  if (s.x === 0) return -Infinity;
  const { r, alpha, a, b } = params;
  return Math.log(a) - Math.log(b + s.x - 1) + (r + s.x) * (Math.log(alpha + s.T) - Math.log(alpha + s.tx));
}

/** P(alive | x, tx, T). One-time buyers count as alive: the BG/NBD only lets customers drop out after a repeat purchase. */
export function probabilityAlive(params: BgNbdParams, s: RepeatSummary): number {
  return sigmoid(-logOddsDead(params, s));
}

/**
 * Expected transactions in (T, T+t] for a customer known to be alive: the
 * bracket of FHL eq. 10, after Euler's transformation
 * 2F1(A,B;C;z)(1-z)^A = (1-z)^(C-B) 2F1(C-A, C-B; C; z) with C = a+b+x-1,
 * rewritten so that a = 1 and C = 0 are no longer singular.
 */
function expectedIfAlive(params: BgNbdParams, x: number, T: number, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = params;
  const c = a + b + x - 1;
  const z = t / (alpha + T + t);
  const log1mz = Math.log(alpha + T) - Math.log(alpha + T + t);
  const am1 = a - 1;
  // (1 - (1-z)^(a-1)) / (a-1), with its limit -log(1-z) at a = 1.
  const head = am1 === 0 ? -log1mz : -Math.expm1(am1 * log1mz) / am1;
  const tail = Math.exp(am1 * log1mz) * bgNbdResidualSeries(a + b - 1 - r, a, c, z);
  return c * head - tail;
}

/** E[X(t) | x, tx, T]: expected repeat transactions in the next t weeks (FHL 2005 eq. 10). */
export function conditionalExpectedTransactions(params: BgNbdParams, s: RepeatSummary, t: number): number {
  return probabilityAlive(params, s) * expectedIfAlive(params, s.x, s.T, t);
}

/** E[X(t)]: expected repeat transactions in the first t weeks of a new customer (FHL 2005 eq. 9). */
export function expectedTransactions(params: BgNbdParams, t: number): number {
  return expectedIfAlive(params, 0, 0, t);
}
