import type { FeatureSpec } from './schema';

/**
 * Feature values to histogram bins for tree growing. Numeric feature with k
 * cuts: bins 0..k, missing k+1. Categorical with L levels: codes 0..L (L is
 * "other"), missing L+1.
 */
export interface BinLayout {
  /** Histogram slots per feature, missing slot included (missing = slots - 1). */
  slots: Int32Array;
  /** First histogram slot of each feature. */
  offsets: Int32Array;
  totalSlots: number;
  categorical: Uint8Array;
}

export function binLayout(features: readonly FeatureSpec[]): BinLayout {
  const d = features.length;
  const slots = new Int32Array(d);
  const offsets = new Int32Array(d);
  const categorical = new Uint8Array(d);
  let total = 0;
  features.forEach((f, j) => {
    slots[j] = f.kind === 'numeric' ? f.cuts.length + 2 : f.levels.length + 2;
    categorical[j] = f.kind === 'categorical' ? 1 : 0;
    offsets[j] = total;
    total += slots[j] as number;
  });
  return { slots, offsets, totalSlots: total, categorical };
}

/** First index t with x <= cuts[t], or cuts.length. */
export function numericBin(cuts: readonly number[], x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= (cuts[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Column-major bins from a column-major encoded matrix. */
export function binColumns(features: readonly FeatureSpec[], encoded: Float64Array, n: number): Uint16Array {
  const bins = new Uint16Array(encoded.length);
  features.forEach((f, j) => {
    const base = j * n;
    const missing = f.kind === 'numeric' ? f.cuts.length + 1 : f.levels.length + 1;
    for (let i = 0; i < n; i++) {
      const x = encoded[base + i] as number;
      bins[base + i] = Number.isNaN(x) ? missing : f.kind === 'numeric' ? numericBin(f.cuts, x) : x;
    }
  });
  return bins;
}
