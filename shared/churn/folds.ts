import { createRandom } from '@shared/util/random';

/**
 * Stratified k-fold assignment: positives and negatives are shuffled
 * separately and dealt round-robin, so every fold keeps the class balance.
 * Returns the fold number of each row.
 */
export function stratifiedFolds(labels: ArrayLike<number>, folds: number, seed: number | string): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`folds must be an integer >= 2, got ${folds}`);
  const random = createRandom(seed);
  const assignment = new Int32Array(labels.length);
  let offset = 0;
  for (const cls of [1, 0]) {
    const members: number[] = [];
    for (let i = 0; i < labels.length; i++) if ((labels[i] as number) === cls) members.push(i);
    shuffleInPlace(members, random.next);
    for (let k = 0; k < members.length; k++) assignment[members[k] as number] = (k + offset) % folds;
    // Continue dealing where the previous class stopped so fold sizes stay even.
    offset = (offset + members.length) % folds;
  }
  return assignment;
}

export function shuffleInPlace<T>(items: T[], next: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
}

/** Row indices split by a fold assignment. */
export function foldIndices(assignment: Int32Array, fold: number): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < assignment.length; i++) (assignment[i] === fold ? test : train).push(i);
  return { train, test };
}
