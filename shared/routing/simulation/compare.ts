import type { BankCall } from './bank-calls';
import { type SimulationOptions, simulate } from './simulate';

/**
 * Baseline against predictive over several seeds, on the same calls (each
 * seed draws its own customers, hidden save probabilities, patience and agent
 * responses; within a seed both policies see the same draws).
 *
 * The targets, from the routing issue:
 *  - predictive makes clearly more saves: more in every seed, and the 95%
 *    paired-t interval of the per-seed difference lies above zero (with one
 *    seed only the first condition can be checked);
 *  - its mean wait and abandon rate, averaged over the seeds, are at most 10%
 *    above baseline's.
 */
export interface PolicyFigures {
  saves: number;
  mean_wait_s: number;
  abandon_rate: number;
  service_level_20s: number;
  expected_saves: number;
}

export interface SeedComparison {
  seed: number;
  baseline: PolicyFigures;
  predictive: PolicyFigures;
}

export interface Comparison {
  seeds: number[];
  agents: number;
  per_seed: SeedComparison[];
  mean: { baseline: PolicyFigures; predictive: PolicyFigures };
  /** Mean per-seed saves difference (predictive - baseline) and its 95% paired-t interval. */
  saves_difference: { mean: number; ci95: [number, number]; relative: number };
  targets: {
    more_saves: boolean;
    wait_within_10pct: boolean;
    abandon_within_10pct: boolean;
    met: boolean;
  };
}

/** Two-sided 95% Student t quantiles by degrees of freedom (1..30); beyond that the normal's. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function comparePolicies(calls: readonly BankCall[], seeds: readonly number[], options: Omit<SimulationOptions, 'policy' | 'seed'>): Comparison {
  if (seeds.length === 0) throw new Error('comparePolicies: give at least one seed');
  if (new Set(seeds).size !== seeds.length) throw new Error(`comparePolicies: seeds repeat (${seeds.join(', ')})`);
  const per_seed = seeds.map((seed): SeedComparison => ({
    seed,
    baseline: figures(simulate(calls, { ...options, policy: 'baseline', seed }).result),
    predictive: figures(simulate(calls, { ...options, policy: 'predictive', seed }).result),
  }));
  const mean = { baseline: average(per_seed.map((s) => s.baseline)), predictive: average(per_seed.map((s) => s.predictive)) };
  const diffs = per_seed.map((s) => s.predictive.saves - s.baseline.saves);
  const n = diffs.length;
  const meanDiff = diffs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(diffs.reduce((a, d) => a + (d - meanDiff) ** 2, 0) / (n - 1)) : 0;
  const half = n > 1 ? (T95[n - 2] ?? 1.96) * (sd / Math.sqrt(n)) : 0;
  const ci95: [number, number] = [round(meanDiff - half, 1), round(meanDiff + half, 1)];
  const more_saves = diffs.every((d) => d > 0) && (n === 1 || ci95[0] > 0);
  const wait_within_10pct = mean.predictive.mean_wait_s <= mean.baseline.mean_wait_s * 1.1;
  const abandon_within_10pct = mean.predictive.abandon_rate <= mean.baseline.abandon_rate * 1.1;
  return {
    seeds: [...seeds],
    agents: options.agents,
    per_seed,
    mean,
    saves_difference: { mean: round(meanDiff, 1), ci95, relative: round(mean.baseline.saves > 0 ? meanDiff / mean.baseline.saves : 0, 4) },
    targets: { more_saves, wait_within_10pct, abandon_within_10pct, met: more_saves && wait_within_10pct && abandon_within_10pct },
  };
}

function figures(result: PolicyFigures): PolicyFigures {
  const { saves, mean_wait_s, abandon_rate, service_level_20s, expected_saves } = result;
  return { saves, mean_wait_s, abandon_rate, service_level_20s, expected_saves };
}

function average(rows: readonly PolicyFigures[]): PolicyFigures {
  const avg = (pick: (r: PolicyFigures) => number, digits: number): number => round(rows.reduce((a, r) => a + pick(r), 0) / rows.length, digits);
  return {
    saves: avg((r) => r.saves, 1),
    mean_wait_s: avg((r) => r.mean_wait_s, 2),
    abandon_rate: avg((r) => r.abandon_rate, 4),
    service_level_20s: avg((r) => r.service_level_20s, 4),
    expected_saves: avg((r) => r.expected_saves, 1),
  };
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}
