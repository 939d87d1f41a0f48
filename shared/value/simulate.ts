/**
 * Draws customers from the BG/NBD and Gamma-Gamma generative processes, for
 * parameter-recovery tests, benchmarks and demo data. Seeded only.
 */
import type { BgNbdParams } from './bgnbd';
import type { GammaGammaParams } from './gamma-gamma';

/**
 * The part of `Random` (@shared/util/random) the samplers use; declared here
 * because the layer lint rule currently rejects imports from @shared/util.
 */
export interface RandomSource {
  next(): number;
  normal(): number;
  exponential(mean: number): number;
  chance(p: number): boolean;
}

/** Gamma(shape, rate) by Marsaglia & Tsang (2000), boosted for shape < 1. */
export function sampleGamma(random: RandomSource, shape: number, rate: number): number {
  if (shape < 1) {
    const u = 1 - random.next();
    return sampleGamma(random, shape + 1, rate) * u ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = random.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

export function sampleBeta(random: RandomSource, a: number, b: number): number {
  const x = sampleGamma(random, a, 1);
  const y = sampleGamma(random, b, 1);
  return x / (x + y);
}

export interface SimulatedCustomer {
  x: number;
  tx: number;
  T: number;
  /** Repeat purchases in (T, T + holdoutWeeks]. */
  holdout: number;
  /** Purchase times after the first, in weeks, up to T + holdoutWeeks. */
  repeatTimes: number[];
}

/**
 * One customer: first purchase at time 0; while alive, purchases arrive at
 * Poisson rate lambda; after each repeat purchase the customer drops out with
 * probability p.
 */
export function simulateBgNbdCustomer(random: RandomSource, params: BgNbdParams, T: number, holdoutWeeks = 0): SimulatedCustomer {
  const lambda = sampleGamma(random, params.r, params.alpha);
  const p = sampleBeta(random, params.a, params.b);
  const end = T + holdoutWeeks;
  const repeatTimes: number[] = [];
  let t = 0;
  for (;;) {
    t += random.exponential(1 / lambda);
    if (!(t <= end)) break;
    repeatTimes.push(t);
    if (random.chance(p)) break;
  }
  const inCalibration = repeatTimes.filter((time) => time <= T);
  return {
    x: inCalibration.length,
    tx: inCalibration.length > 0 ? (inCalibration[inCalibration.length - 1] as number) : 0,
    T,
    holdout: repeatTimes.length - inCalibration.length,
    repeatTimes,
  };
}

/** Mean of x transaction values drawn from one customer's Gamma(p, nu), nu ~ Gamma(q, gamma). */
export function simulateMeanSpend(random: RandomSource, params: GammaGammaParams, x: number): number {
  const nu = sampleGamma(random, params.q, params.gamma);
  let total = 0;
  for (let i = 0; i < x; i++) total += sampleGamma(random, params.p, nu);
  return total / x;
}
