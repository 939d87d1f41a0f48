import { describe, expect, it } from 'vitest';
import { createRandom } from '@shared/util/random';
import { trainGbdt } from '@shared/churn/gbdt';
import { goesLeft, isLeaf, predictTree, treeExpectedValue } from '@shared/churn/tree';
import type { Tree } from '@shared/churn/tree';
import { treeShap } from '@shared/churn/tree-shap';
import { encodedRow, prepare } from './helpers';

/** Path-dependent conditional expectation E[f(x) | x_S]: unknown features follow both children by cover. */
function conditionalExpectation(tree: Tree, x: ArrayLike<number>, known: ReadonlySet<number>, index = 0): number {
  const node = tree.nodes[index]!;
  if (isLeaf(node)) return node.value;
  if (known.has(node.feature)) return conditionalExpectation(tree, x, known, goesLeft(node, x[node.feature]!) ? node.left : node.right);
  const left = tree.nodes[node.left]!;
  const right = tree.nodes[node.right]!;
  return (left.cover * conditionalExpectation(tree, x, known, node.left) + right.cover * conditionalExpectation(tree, x, known, node.right)) / node.cover;
}

function factorial(k: number): number {
  return k <= 1 ? 1 : k * factorial(k - 1);
}

/** Shapley values by enumerating every coalition (exponential; tiny models only). */
function bruteForceShapley(trees: Tree[], x: ArrayLike<number>, d: number): number[] {
  const value = (mask: number): number => {
    const known = new Set<number>();
    for (let j = 0; j < d; j++) if (mask & (1 << j)) known.add(j);
    return trees.reduce((s, t) => s + conditionalExpectation(t, x, known), 0);
  };
  const phi = new Array<number>(d).fill(0);
  for (let i = 0; i < d; i++) {
    for (let mask = 0; mask < 1 << d; mask++) {
      if (mask & (1 << i)) continue;
      let size = 0;
      for (let j = 0; j < d; j++) if (mask & (1 << j)) size++;
      const weight = (factorial(size) * factorial(d - size - 1)) / factorial(d);
      phi[i]! += weight * (value(mask | (1 << i)) - value(mask));
    }
  }
  return phi;
}

function shapOf(trees: Tree[], x: ArrayLike<number>, d: number): Float64Array {
  const phi = new Float64Array(d);
  for (const tree of trees) treeShap(tree, (_, node) => goesLeft(node, x[node.feature]!), phi);
  return phi;
}

// A hand-built tree that splits twice on feature 0 along one path (the unwind case).
const handTree: Tree = {
  nodes: [
    { feature: 0, threshold: 0.5, missingLeft: true, left: 1, right: 2, cover: 100, gain: 1 },
    { feature: 1, threshold: 2, missingLeft: false, left: 3, right: 4, cover: 60, gain: 1 },
    { feature: 0, threshold: 0.8, missingLeft: false, left: 5, right: 6, cover: 40, gain: 1 },
    { value: -1.5, cover: 25 },
    { feature: 0, threshold: 0.2, missingLeft: false, left: 7, right: 8, cover: 35, gain: 1 },
    { value: 0.7, cover: 30 },
    { feature: 2, categories: [1, 3], missingLeft: true, left: 9, right: 10, cover: 10, gain: 1 },
    { value: 2.25, cover: 15 },
    { value: -0.4, cover: 20 },
    { value: 3.1, cover: 4 },
    { value: -2, cover: 6 },
  ],
};

describe('TreeSHAP', () => {
  it('matches brute-force Shapley values on a hand-built tree with repeated features and missing values', () => {
    const inputs = [
      [0.1, 1, 3],
      [0.3, 5, 0],
      [0.9, 0, 1],
      [0.6, Number.NaN, 2],
      [Number.NaN, 3, Number.NaN],
    ];
    for (const x of inputs) {
      const phi = shapOf([handTree], x, 3);
      const exact = bruteForceShapley([handTree], x, 3);
      for (let j = 0; j < 3; j++) expect(phi[j]).toBeCloseTo(exact[j]!, 12);
      const total = phi.reduce((s, v) => s + v, 0);
      expect(total).toBeCloseTo(predictTree(handTree, x) - treeExpectedValue(handTree), 12);
    }
  });

  it('matches brute-force Shapley values on a small trained ensemble and sums to margin minus base', () => {
    const random = createRandom('shap-train');
    const rows = Array.from({ length: 400 }, () => {
      const a = random.next();
      const b = random.next();
      const c = random.pick(['x', 'y', 'z', 'w', 'v', 'u']);
      const e = random.chance(0.2) ? '' : random.normal().toFixed(3);
      return { a, b, c, e, y: random.chance(a > 0.6 === (c === 'x' || c === 'y') ? 0.7 : 0.2) ? 1 : 0 };
    });
    const data = prepare(rows);
    const d = data.features.length;
    const { trees, initScore } = trainGbdt({ features: data.features, layout: data.layout, train: data.data, rounds: 6, params: { minDataInLeaf: 10 }, seed: 9 });
    const base = trees.reduce((s, t) => s + treeExpectedValue(t), initScore);
    for (const i of [0, 17, 123, 399]) {
      const x = encodedRow(data.encoded, data.data.n, d, i);
      const phi = shapOf(trees, x, d);
      const exact = bruteForceShapley(trees, x, d);
      for (let j = 0; j < d; j++) expect(Math.abs(phi[j]! - exact[j]!)).toBeLessThan(1e-9);
      const margin = trees.reduce((s, t) => s + predictTree(t, x), initScore);
      expect(Math.abs(phi.reduce((s, v) => s + v, 0) - (margin - base))).toBeLessThan(1e-9);
    }
  });
});
