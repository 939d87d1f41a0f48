import { createRandom } from '../util/random';

/**
 * Off-policy evaluation from logged decisions: inverse propensity scoring
 * (IPS, mean of w·r) and its self-normalised form (SNIPS, Σ w·r / Σ w), where
 * w = π(logged arm | context) / logging propensity; with a seeded
 * nonparametric bootstrap (resampling logged rounds) for 95% percentile intervals.
 */
export interface WeightedReward {
  /** Target policy's probability of the logged arm over the logging propensity. */
  weight: number;
  reward: number;
}

export interface OpeEstimate {
  n: number;
  ips: number;
  snips: number;
  ips_ci95: [number, number];
  snips_ci95: [number, number];
  /** Effective sample size (Σw)² / Σw²: how many rounds the estimate is really worth. */
  effective_n: number;
}

function estimates(rows: readonly WeightedReward[], index: (i: number) => number): { ips: number; snips: number } {
  let sumWr = 0;
  let sumW = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[index(i)] as WeightedReward;
    sumWr += row.weight * row.reward;
    sumW += row.weight;
  }
  return { ips: sumWr / rows.length, snips: sumW > 0 ? sumWr / sumW : 0 };
}

function percentile(sorted: readonly number[], q: number): number {
  const at = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[at] as number;
}

export function offPolicyEstimate(rows: readonly WeightedReward[], options: { bootstrap: number; seed: number }): OpeEstimate {
  if (rows.length === 0) throw new Error('No logged rounds to evaluate');
  const point = estimates(rows, (i) => i);
  const random = createRandom(options.seed);
  const ipsSamples: number[] = [];
  const snipsSamples: number[] = [];
  for (let b = 0; b < options.bootstrap; b++) {
    const picks = Array.from({ length: rows.length }, () => random.int(0, rows.length - 1));
    const e = estimates(rows, (i) => picks[i] as number);
    ipsSamples.push(e.ips);
    snipsSamples.push(e.snips);
  }
  ipsSamples.sort((a, b) => a - b);
  snipsSamples.sort((a, b) => a - b);
  let sumW = 0;
  let sumW2 = 0;
  for (const r of rows) {
    sumW += r.weight;
    sumW2 += r.weight * r.weight;
  }
  return {
    n: rows.length,
    ips: point.ips,
    snips: point.snips,
    ips_ci95: [percentile(ipsSamples, 0.025), percentile(ipsSamples, 0.975)],
    snips_ci95: [percentile(snipsSamples, 0.025), percentile(snipsSamples, 0.975)],
    effective_n: sumW2 > 0 ? (sumW * sumW) / sumW2 : 0,
  };
}
