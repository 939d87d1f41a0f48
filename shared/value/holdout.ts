/** Compares predicted with actual holdout transactions, in aggregate and per customer. */

export interface HoldoutEntry {
  /** Repeat transactions in calibration. */
  x: number;
  predicted: number;
  actual: number;
}

export interface FrequencyRow {
  /** "0".."6", then "7+" for the last bucket. */
  x: string;
  customers: number;
  meanActual: number;
  meanPredicted: number;
}

export interface HoldoutReport {
  customers: number;
  sumPredicted: number;
  sumActual: number;
  byFrequency: FrequencyRow[];
  mae: number;
  rmse: number;
  correlation: number;
}

export function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  if (n < 2 || b.length !== n) return Number.NaN;
  const meanA = a.reduce((s, v) => s + v, 0) / n;
  const meanB = b.reduce((s, v) => s + v, 0) / n;
  let cov = 0;
  let varA = 0;
  let varB = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - meanA;
    const db = (b[i] as number) - meanB;
    cov += da * db;
    varA += da * da;
    varB += db * db;
  }
  return varA > 0 && varB > 0 ? cov / Math.sqrt(varA * varB) : Number.NaN;
}

export function evaluateHoldout(entries: readonly HoldoutEntry[], topBucket = 7): HoldoutReport {
  const buckets = Array.from({ length: topBucket + 1 }, () => ({ customers: 0, actual: 0, predicted: 0 }));
  let sumPredicted = 0;
  let sumActual = 0;
  let absError = 0;
  let squaredError = 0;
  for (const e of entries) {
    const bucket = buckets[Math.min(e.x, topBucket)] as { customers: number; actual: number; predicted: number };
    bucket.customers++;
    bucket.actual += e.actual;
    bucket.predicted += e.predicted;
    sumPredicted += e.predicted;
    sumActual += e.actual;
    absError += Math.abs(e.predicted - e.actual);
    squaredError += (e.predicted - e.actual) ** 2;
  }
  const n = entries.length;
  return {
    customers: n,
    sumPredicted,
    sumActual,
    byFrequency: buckets.map((b, i) => ({
      x: i === topBucket ? `${topBucket}+` : String(i),
      customers: b.customers,
      meanActual: b.customers > 0 ? b.actual / b.customers : Number.NaN,
      meanPredicted: b.customers > 0 ? b.predicted / b.customers : Number.NaN,
    })),
    mae: n > 0 ? absError / n : Number.NaN,
    rmse: n > 0 ? Math.sqrt(squaredError / n) : Number.NaN,
    correlation: pearson(
      entries.map((e) => e.predicted),
      entries.map((e) => e.actual),
    ),
  };
}
