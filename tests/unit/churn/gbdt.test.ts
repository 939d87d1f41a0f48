import { describe, expect, it } from 'vitest';
import { createRandom } from '@shared/util/random';
import { encodeColumns } from '@shared/churn/encode';
import { trainGbdt } from '@shared/churn/gbdt';
import { fitLogistic, linearColumns, linearMargins, sparseDesign } from '@shared/churn/linear';
import { rocAuc } from '@shared/churn/metrics';
import { isLeaf, predictTree } from '@shared/churn/tree';
import type { Tree } from '@shared/churn/tree';
import { encodedRow, prepare, xorRows } from './helpers';

function margins(initScore: number, trees: Tree[], encoded: Float64Array, n: number, d: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    const x = encodedRow(encoded, n, d, i);
    return trees.reduce((s, t) => s + predictTree(t, x), initScore);
  });
}

describe('gradient-boosted trees', () => {
  it('learn an XOR interaction that a linear model cannot', () => {
    const train = prepare(xorRows(1200, 'xor-train'));
    const testRows = xorRows(600, 'xor-test');
    const testLabels = testRows.map((r) => r.y as number);
    const d = train.features.length;
    const testEncoded = encodeColumns(train.features, testRows);
    const result = trainGbdt({ features: train.features, layout: train.layout, train: train.data, rounds: 60, seed: 1 });
    const treeAuc = rocAuc(testLabels, margins(result.initScore, result.trees, testEncoded, 600, d));

    const columns = linearColumns(train.features);
    const fit = fitLogistic(sparseDesign(columns, d, train.encoded, 1200), train.data.labels, 1);
    const linearAuc = rocAuc(testLabels, linearMargins(sparseDesign(columns, d, testEncoded, 600), fit));
    expect(treeAuc).toBeGreaterThan(0.9);
    expect(linearAuc).toBeLessThan(0.65);
  });

  it('stop early when the validation loss stops improving', () => {
    const random = createRandom('noise');
    const rows = Array.from({ length: 800 }, () => ({ a: random.normal(), b: random.normal(), y: random.chance(0.3) ? 1 : 0 }));
    const all = prepare(rows);
    const fit = prepare(rows.slice(0, 600));
    const valid = prepare(rows.slice(600));
    const result = trainGbdt({ features: all.features, layout: all.layout, train: fit.data, valid: valid.data, params: { earlyStoppingRounds: 15, maxRounds: 500 }, seed: 2 });
    expect(result.roundsGrown).toBeLessThan(500);
    expect(result.roundsGrown - result.bestRounds).toBe(15);
    expect(result.trees).toHaveLength(result.bestRounds);
    const best = Math.min(...result.validationLoss);
    expect(result.validationLoss[result.bestRounds - 1]).toBe(best);
  });

  it('respect the leaf, depth and minimum-rows limits', () => {
    const data = prepare(xorRows(1000, 'limits'));
    const result = trainGbdt({ features: data.features, layout: data.layout, train: data.data, rounds: 20, params: { minDataInLeaf: 40, maxDepth: 3 }, seed: 3 });
    for (const tree of result.trees) {
      const leaves = tree.nodes.filter(isLeaf);
      expect(leaves.length).toBeLessThanOrEqual(8);
      for (const leaf of leaves) expect(leaf.cover).toBeGreaterThanOrEqual(40);
      const depth = (k: number): number => {
        const node = tree.nodes[k]!;
        return isLeaf(node) ? 0 : 1 + Math.max(depth(node.left), depth(node.right));
      };
      expect(depth(0)).toBeLessThanOrEqual(3);
    }
  });

  it('learn where missing values go', () => {
    const random = createRandom('missing');
    // Missing x means churn; so does a high x.
    const rows = Array.from({ length: 1500 }, () => {
      const missing = random.chance(0.25);
      const x = random.next();
      return { x: missing ? 'NA' : x.toFixed(3), y: missing || x > 0.8 ? (random.chance(0.9) ? 1 : 0) : random.chance(0.1) ? 1 : 0 };
    });
    const data = prepare(rows);
    const result = trainGbdt({ features: data.features, layout: data.layout, train: data.data, rounds: 40, seed: 4 });
    const score = (x: number): number => result.trees.reduce((s, t) => s + predictTree(t, [x]), result.initScore);
    expect(score(Number.NaN)).toBeGreaterThan(1);
    expect(score(0.3)).toBeLessThan(-1);
    expect(score(0.95)).toBeGreaterThan(1);
  });

  it('split categorical features with many levels by grouping them', () => {
    const random = createRandom('categorical');
    const levels = ['p', 'q', 'r', 's', 't', 'u', 'v', 'w'];
    const risky = new Set(['q', 't', 'w']);
    const rows = Array.from({ length: 1600 }, () => {
      const level = random.pick(levels);
      return { plan: level, y: random.chance(risky.has(level) ? 0.8 : 0.15) ? 1 : 0 };
    });
    const data = prepare(rows);
    expect(data.features[0]?.kind).toBe('categorical');
    const result = trainGbdt({ features: data.features, layout: data.layout, train: data.data, rounds: 1, params: { learningRate: 1 }, seed: 5 });
    const root = result.trees[0]!.nodes[0]!;
    expect(isLeaf(root)).toBe(false);
    if (isLeaf(root)) return;
    const spec = data.features[0]!;
    if (spec.kind !== 'categorical') return;
    const left = new Set(root.categories!.map((code) => spec.levels[code]));
    // One side of the first split is exactly the risky group.
    const riskyLeft = [...risky].every((l) => left.has(l)) && [...left].every((l) => l === undefined || risky.has(l));
    const riskyRight = [...risky].every((l) => !left.has(l)) && levels.filter((l) => !risky.has(l)).every((l) => left.has(l));
    expect(riskyLeft || riskyRight).toBe(true);
  });

  it('boost on top of given margins, learning only what they miss', () => {
    const random = createRandom('offsets');
    const n = 1500;
    const known = new Float64Array(n);
    const rows = Array.from({ length: n }, (_, i) => {
      const a = random.normal();
      const b = random.next();
      known[i] = 2 * a; // The base model already knows a's effect; b's step is what it misses.
      return { a, b, y: random.chance(1 / (1 + Math.exp(-(2 * a + (b > 0.6 ? 1.5 : -0.5))))) ? 1 : 0 };
    });
    const data = prepare(rows);
    const result = trainGbdt({ features: data.features, layout: data.layout, train: data.data, offsets: { train: known }, rounds: 5, seed: 6 });
    expect(result.initScore).toBe(0);
    const root = result.trees[0]!.nodes[0]!;
    expect(isLeaf(root)).toBe(false);
    if (!isLeaf(root)) {
      expect(data.features[root.feature]?.name).toBe('b');
      expect(root.threshold).toBeCloseTo(0.6, 1);
    }
  });
});
