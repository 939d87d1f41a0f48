/** Pairwise quality of a clustering against known truth. */
export interface PairwiseMetrics {
  pairs_true: number;
  pairs_found: number;
  true_positives: number;
  precision: number;
  recall: number;
  f1: number;
}

const FEBRL_ID = /^rec-(\d+)-(?:org|dup-\d+)$/;

/**
 * The entity a truth value names: the first capture group of `pattern` when
 * given, the number of a Febrl id (rec-123-org, rec-123-dup-0 -> 123), else
 * the value itself.
 */
export function entityIdFromTruth(value: string, pattern?: RegExp): string {
  const text = value.trim();
  if (pattern !== undefined) {
    const match = pattern.exec(text);
    return match?.[1] ?? text;
  }
  const febrl = FEBRL_ID.exec(text);
  return febrl ? (febrl[1] as string) : text;
}

/** Pairs within a group of `total` records whose per-dataset counts are `byDataset` (cross-dataset only when linking). */
function pairsIn(total: number, byDataset: Map<number, number> | null): number {
  if (byDataset === null) return (total * (total - 1)) / 2;
  let sameDataset = 0;
  for (const n of byDataset.values()) sameDataset += n * n;
  return (total * total - sameDataset) / 2;
}

/**
 * Precision, recall and F1 over all pairs of records that share a cluster,
 * computed from group sizes (no pair list). With `dataset`, only pairs from
 * different datasets count, as when linking two files.
 */
export function pairwiseMetrics(truth: readonly string[], predicted: ArrayLike<number>, dataset?: ArrayLike<number>): PairwiseMetrics {
  const groups = (keyOf: (i: number) => string): number => {
    const sizes = new Map<string, { total: number; byDataset: Map<number, number> | null }>();
    for (let i = 0; i < truth.length; i++) {
      const key = keyOf(i);
      let group = sizes.get(key);
      if (group === undefined) {
        group = { total: 0, byDataset: dataset === undefined ? null : new Map() };
        sizes.set(key, group);
      }
      group.total++;
      if (group.byDataset !== null) {
        const d = (dataset as ArrayLike<number>)[i] as number;
        group.byDataset.set(d, (group.byDataset.get(d) ?? 0) + 1);
      }
    }
    let pairs = 0;
    for (const group of sizes.values()) pairs += pairsIn(group.total, group.byDataset);
    return pairs;
  };
  const pairsTrue = groups((i) => truth[i] as string);
  const pairsFound = groups((i) => String(predicted[i]));
  const truePositives = groups((i) => `${predicted[i]}\u0000${truth[i]}`);
  const precision = pairsFound === 0 ? 1 : truePositives / pairsFound;
  const recall = pairsTrue === 0 ? 1 : truePositives / pairsTrue;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { pairs_true: pairsTrue, pairs_found: pairsFound, true_positives: truePositives, precision, recall, f1 };
}
