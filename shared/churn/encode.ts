import type { FeatureSpec } from './schema';
import { categoryLabel, parseNumeric } from './values';

/**
 * Rows to feature vectors: numeric features as numbers, categorical features
 * as level codes (levels.length = "other"), NaN = missing.
 */
export type RowEncoder = (row: Record<string, unknown>, out: Float64Array) => void;

export function createRowEncoder(features: readonly FeatureSpec[]): RowEncoder {
  const names = features.map((f) => f.name);
  const lookups = features.map((f) => (f.kind === 'categorical' ? new Map(f.levels.map((level, code) => [level, code])) : null));
  const others = features.map((f) => (f.kind === 'categorical' ? f.levels.length : 0));
  const d = features.length;
  return (row, out) => {
    for (let j = 0; j < d; j++) {
      const value = row[names[j] as string];
      const lookup = lookups[j];
      if (lookup === null || lookup === undefined) {
        out[j] = typeof value === 'number' ? (Number.isFinite(value) ? value : Number.NaN) : parseNumeric(value);
      } else {
        // Known labels hit the map directly; only unknown text pays for the missing-token check.
        const direct = typeof value === 'string' ? lookup.get(value) : undefined;
        if (direct !== undefined) {
          out[j] = direct;
          continue;
        }
        const label = categoryLabel(value);
        out[j] = label === null ? Number.NaN : (lookup.get(label) ?? (others[j] as number));
      }
    }
  };
}

/** Column-major matrix (feature j of row i at j * n + i). */
export function encodeColumns(features: readonly FeatureSpec[], rows: readonly Record<string, unknown>[]): Float64Array {
  const encoder = createRowEncoder(features);
  const n = rows.length;
  const d = features.length;
  const matrix = new Float64Array(n * d);
  const buffer = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    encoder(rows[i] as Record<string, unknown>, buffer);
    for (let j = 0; j < d; j++) matrix[j * n + i] = buffer[j] as number;
  }
  return matrix;
}
