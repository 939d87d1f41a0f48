import { categoryLabel, isMissingValue, parseNumeric } from './values';

/**
 * Automatic column typing for a tabular training set: numeric vs categorical,
 * identifier-like and empty columns dropped (and reported), quantile bin
 * edges for the trees, and the statistics the reasons and the linear model need.
 */

export interface NumericFeature {
  name: string;
  kind: 'numeric';
  /** Ascending bin edges; bin b holds values in (cuts[b-1], cuts[b]]. */
  cuts: number[];
  mean: number;
  sd: number;
  /** 10th, 50th and 90th percentiles of the observed values, for plain-language phrases. */
  quantiles: [number, number, number];
  missingRate: number;
  /** True when every observed value is a whole number (counts, flags). */
  integer: boolean;
}

export interface CategoricalFeature {
  name: string;
  kind: 'categorical';
  /** Kept levels, most frequent first; every other label (rare or unseen) is "other", code levels.length. */
  levels: string[];
  /** Share of training rows per kept level, then "other". */
  frequencies: number[];
  missingRate: number;
}

export type FeatureSpec = NumericFeature | CategoricalFeature;

export interface DroppedColumn {
  name: string;
  reason: string;
}

export interface SchemaOptions {
  /** Columns never used as features (besides the target). */
  drop?: readonly string[];
  maxBins?: number;
  maxLevels?: number;
  /** A level seen fewer times than this joins "other". */
  minLevelCount?: number;
  /** Share of observed values that must parse as numbers for a numeric column. */
  numericShare?: number;
}

export const SCHEMA_DEFAULTS = { maxBins: 255, maxLevels: 60, minLevelCount: 5, numericShare: 0.97 } as const;

export interface DetectedSchema {
  features: FeatureSpec[];
  dropped: DroppedColumn[];
}

/** Column names in order of first appearance across rows. */
export function columnNames(rows: readonly Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

export function detectSchema(rows: readonly Record<string, unknown>[], target: string, options: SchemaOptions = {}): DetectedSchema {
  const maxBins = options.maxBins ?? SCHEMA_DEFAULTS.maxBins;
  const maxLevels = options.maxLevels ?? SCHEMA_DEFAULTS.maxLevels;
  const minLevelCount = options.minLevelCount ?? SCHEMA_DEFAULTS.minLevelCount;
  const numericShare = options.numericShare ?? SCHEMA_DEFAULTS.numericShare;
  const drop = new Set(options.drop ?? []);
  const features: FeatureSpec[] = [];
  const dropped: DroppedColumn[] = [];
  const n = rows.length;

  for (const name of columnNames(rows)) {
    if (name === target) continue;
    if (drop.has(name)) {
      dropped.push({ name, reason: 'dropped on request' });
      continue;
    }
    let observed = 0;
    let parsed = 0;
    const distinct = new Map<string, number>();
    for (const row of rows) {
      const value = row[name];
      if (isMissingValue(value)) continue;
      observed++;
      if (!Number.isNaN(parseNumeric(value))) parsed++;
      const label = categoryLabel(value) as string;
      distinct.set(label, (distinct.get(label) ?? 0) + 1);
    }
    if (observed === 0) {
      dropped.push({ name, reason: 'no values' });
      continue;
    }
    const missingRate = (n - observed) / n;
    if (distinct.size === 1 && missingRate === 0) {
      dropped.push({ name, reason: 'constant' });
      continue;
    }
    if (parsed >= numericShare * observed) {
      if (observed >= 50 && distinct.size === observed && [...distinct.keys()].every((label) => Number.isInteger(parseNumeric(label)))) {
        // Every row a different whole number: a row or account number, not a measurement.
        dropped.push({ name, reason: `identifier-like (${observed} distinct whole numbers in ${observed} rows)` });
        continue;
      }
      features.push(numericFeature(rows, name, maxBins, missingRate));
      continue;
    }
    if (observed >= 20 && distinct.size >= 0.9 * observed) {
      dropped.push({ name, reason: `identifier-like (${distinct.size} distinct text values in ${observed} rows)` });
      continue;
    }
    features.push(categoricalFeature(distinct, name, n, maxLevels, minLevelCount, missingRate));
  }
  return { features, dropped };
}

function numericFeature(rows: readonly Record<string, unknown>[], name: string, maxBins: number, missingRate: number): NumericFeature {
  const values: number[] = [];
  for (const row of rows) {
    const x = parseNumeric(row[name]);
    if (!Number.isNaN(x)) values.push(x);
  }
  values.sort((a, b) => a - b);
  const m = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - m) * (v - m), 0) / values.length;
  const at = (q: number): number => values[Math.min(values.length - 1, Math.floor(q * values.length))] as number;
  return {
    name,
    kind: 'numeric',
    cuts: quantileCuts(values, maxBins),
    mean: m,
    sd: Math.sqrt(variance) || 1,
    quantiles: [at(0.1), at(0.5), at(0.9)],
    missingRate,
    integer: values.every((v) => Number.isInteger(v)),
  };
}

/**
 * Equal-frequency bin edges over sorted values. Few distinct values get one bin
 * each; edges sit halfway between neighbouring observed values so unseen values
 * in a gap fall on the nearer side.
 */
export function quantileCuts(sortedValues: readonly number[], maxBins: number): number[] {
  const distinct: number[] = [];
  const counts: number[] = [];
  for (const v of sortedValues) {
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) counts[counts.length - 1] = (counts[counts.length - 1] as number) + 1;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  const cuts: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) cuts.push(midpoint(distinct[i] as number, distinct[i + 1] as number));
    return cuts;
  }
  const perBin = sortedValues.length / maxBins;
  let accumulated = 0;
  for (let i = 0; i + 1 < distinct.length && cuts.length < maxBins - 1; i++) {
    accumulated += counts[i] as number;
    if (accumulated >= perBin * (cuts.length + 1)) cuts.push(midpoint(distinct[i] as number, distinct[i + 1] as number));
  }
  return cuts;
}

function midpoint(a: number, b: number): number {
  const mid = a + (b - a) / 2;
  // Keep a <= mid < b even where floating point rounds the midpoint up to b.
  return mid < b ? mid : a;
}

function categoricalFeature(
  distinct: Map<string, number>,
  name: string,
  n: number,
  maxLevels: number,
  minLevelCount: number,
  missingRate: number,
): CategoricalFeature {
  const byCount = [...distinct.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const kept = byCount.filter(([, count]) => count >= minLevelCount).slice(0, maxLevels);
  const keptCount = kept.reduce((s, [, c]) => s + c, 0);
  const observed = byCount.reduce((s, [, c]) => s + c, 0);
  return {
    name,
    kind: 'categorical',
    levels: kept.map(([label]) => label),
    frequencies: [...kept.map(([, c]) => c / n), (observed - keptCount) / n],
    missingRate,
  };
}
