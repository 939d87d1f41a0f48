import type { ComparisonSpec } from './comparison';

/**
 * Fellegi-Sunter model: for each comparison k and level l,
 * m[k][l] = P(level l | same person), u[k][l] = P(level l | different people),
 * and lambda = P(same person) among the candidate pairs.
 */
export interface FellegiSunterModel {
  comparisons: readonly ComparisonSpec[];
  m: number[][];
  u: number[][];
  lambda: number;
  iterations: number;
  converged: boolean;
  /** log2(m/u) per comparison and level: the evidence each agreement level adds. */
  weights: number[][];
}

/** Distinct comparison vectors with how many candidate pairs share each. */
export interface PatternCounts {
  vectors: Int8Array[];
  counts: number[];
}

export interface EmOptions {
  maxIterations: number;
  tolerance: number;
  /** Starting share of matches among candidate pairs. */
  initialLambda: number;
  /** Floor on every probability, so an unseen level is unlikely, not impossible. */
  floor: number;
}

export const DEFAULT_EM_OPTIONS: EmOptions = { maxIterations: 200, tolerance: 1e-6, initialLambda: 0.1, floor: 1e-5 };

/** Initial m: most mass on agreement; initial u: most mass on disagreement. */
function initialGuess(levels: number, forMatches: boolean): number[] {
  const values = Array.from({ length: levels }, (_v, l) => {
    const strength = forMatches ? Math.pow(0.2, l) : Math.pow(0.2, levels - 1 - l);
    return strength;
  });
  const total = values.reduce((sum, v) => sum + v, 0);
  return values.map((v) => v / total);
}

function normalise(values: number[], floor: number): number[] {
  const floored = values.map((v) => Math.max(v, 0));
  const total = floored.reduce((sum, v) => sum + v, 0);
  if (total <= 0) return values.map(() => 1 / values.length);
  const probabilities = floored.map((v) => Math.max(v / total, floor));
  const renormalised = probabilities.reduce((sum, v) => sum + v, 0);
  return probabilities.map((v) => v / renormalised);
}

/**
 * Estimates m, u and lambda by expectation-maximisation over the comparison
 * vectors of unlabelled candidate pairs, assuming comparisons independent
 * within each class (the classic Fellegi-Sunter / Winkler EM). Works on
 * distinct patterns with counts, so a million pairs cost as much as their few
 * thousand distinct vectors.
 */
export function estimateFellegiSunter(
  comparisons: readonly ComparisonSpec[],
  patterns: PatternCounts,
  options: EmOptions = DEFAULT_EM_OPTIONS,
): FellegiSunterModel {
  const K = comparisons.length;
  let m = comparisons.map((c) => initialGuess(c.levels.length, true));
  let u = comparisons.map((c) => initialGuess(c.levels.length, false));
  let lambda = options.initialLambda;
  const total = patterns.counts.reduce((sum, c) => sum + c, 0);
  let iterations = 0;
  let converged = false;
  const P = patterns.vectors.length;

  for (; iterations < options.maxIterations && total > 0; iterations++) {
    const mNext = comparisons.map((c) => new Array<number>(c.levels.length).fill(0));
    const uNext = comparisons.map((c) => new Array<number>(c.levels.length).fill(0));
    // Per comparison, the expected count of pairs where it was observed.
    let matchMass = 0;
    for (let p = 0; p < P; p++) {
      const vector = patterns.vectors[p] as Int8Array;
      const count = patterns.counts[p] as number;
      let logM = Math.log(lambda);
      let logU = Math.log(1 - lambda);
      for (let k = 0; k < K; k++) {
        const level = vector[k] as number;
        if (level < 0) continue;
        logM += Math.log((m[k] as number[])[level] as number);
        logU += Math.log((u[k] as number[])[level] as number);
      }
      const g = 1 / (1 + Math.exp(logU - logM));
      matchMass += g * count;
      for (let k = 0; k < K; k++) {
        const level = vector[k] as number;
        if (level < 0) continue;
        (mNext[k] as number[])[level]! += g * count;
        (uNext[k] as number[])[level]! += (1 - g) * count;
      }
    }
    const lambdaNext = Math.min(Math.max(matchMass / total, 1e-9), 1 - 1e-9);
    const mNorm = mNext.map((values) => normalise(values, options.floor));
    const uNorm = uNext.map((values) => normalise(values, options.floor));
    let change = Math.abs(lambdaNext - lambda);
    for (let k = 0; k < K; k++) {
      const levels = (mNorm[k] as number[]).length;
      for (let l = 0; l < levels; l++) {
        change = Math.max(change, Math.abs((mNorm[k] as number[])[l]! - (m[k] as number[])[l]!), Math.abs((uNorm[k] as number[])[l]! - (u[k] as number[])[l]!));
      }
    }
    m = mNorm;
    u = uNorm;
    lambda = lambdaNext;
    if (change < options.tolerance) {
      converged = true;
      iterations++;
      break;
    }
  }

  // EM is blind to which class is which; the match class is the one that agrees more.
  const agreementM = m.reduce((sum, levels) => sum + (levels[0] as number), 0);
  const agreementU = u.reduce((sum, levels) => sum + (levels[0] as number), 0);
  if (agreementU > agreementM) {
    [m, u] = [u, m];
    lambda = 1 - lambda;
  }
  const weights = m.map((levels, k) => levels.map((value, l) => Math.log2(value / ((u[k] as number[])[l] as number))));
  return { comparisons, m, u, lambda, iterations, converged, weights };
}

/** Match weight (log2 Bayes factor) of a comparison vector; missing comparisons add nothing. */
export function matchWeight(model: FellegiSunterModel, levels: Int8Array): number {
  let weight = 0;
  for (let k = 0; k < model.weights.length; k++) {
    const level = levels[k] as number;
    if (level >= 0) weight += (model.weights[k] as number[])[level] as number;
  }
  return weight;
}

/** Posterior probability of a match given the match weight and the prior lambda. */
export function matchProbability(model: FellegiSunterModel, weight: number): number {
  const priorLog2 = Math.log2(model.lambda / (1 - model.lambda));
  return 1 / (1 + Math.pow(2, -(weight + priorLog2)));
}
