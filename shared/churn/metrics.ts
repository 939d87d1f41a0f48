/** Evaluation metrics for binary probability forecasts. */

export function sigmoid(margin: number): number {
  if (margin >= 0) return 1 / (1 + Math.exp(-margin));
  const e = Math.exp(margin);
  return e / (1 + e);
}

export function logit(probability: number): number {
  const p = Math.min(1 - 1e-15, Math.max(1e-15, probability));
  return Math.log(p / (1 - p));
}

/**
 * ROC-AUC by the rank-sum (Mann-Whitney) statistic; tied scores get their
 * average rank, so a tie between a positive and a negative counts one half.
 * NaN when only one class is present.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  if (scores.length !== n) throw new Error(`rocAuc: ${n} labels but ${scores.length} scores`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positives = 0;
  let rankSumPositives = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    const value = scores[order[i] as number] as number;
    while (j + 1 < n && scores[order[j + 1] as number] === value) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if ((labels[order[k] as number] as number) === 1) {
        positives++;
        rankSumPositives += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean squared error between probabilities and 0/1 outcomes. */
export function brierScore(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  const n = labels.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = (probabilities[i] as number) - (labels[i] as number);
    sum += d * d;
  }
  return sum / n;
}

/** Mean negative log-likelihood; probabilities are clipped to [eps, 1-eps] so one confident miss stays finite. */
export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>, eps = 1e-15): number {
  const n = labels.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probabilities[i] as number));
    sum -= (labels[i] as number) === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / n;
}

/** Log-loss computed from log-odds margins without forming probabilities (stable for large margins). */
export function logLossFromMargins(labels: ArrayLike<number>, margins: ArrayLike<number>): number {
  const n = labels.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const m = margins[i] as number;
    // log(1 + e^m) - y*m, computed stably.
    const softplus = m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
    sum += softplus - (labels[i] as number) * m;
  }
  return sum / n;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Sample standard deviation (n - 1), 0 for a single value. */
export function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) * (v - m), 0) / (values.length - 1));
}
