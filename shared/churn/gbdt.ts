/**
 * Histogram gradient-boosted trees for binary log-loss.
 *
 * Why hand-written: the npm registry has no maintained pure-JS histogram GBDT
 * (the candidates are `ml-xgboost`, an undocumented Emscripten build of an old
 * XGBoost with no access to the tree structure, and `decision-tree`, a plain
 * CART/random-forest teaching implementation). Holdfast needs the tree
 * structure with node covers for exact TreeSHAP, learnt missing-value
 * directions, categorical splits, and code that runs unchanged in Node, the
 * browser and Electron.
 *
 * Method (as in LightGBM / XGBoost "hist"): quantile-binned features,
 * second-order (Newton) leaf values with L2, leaf-wise growth under leaf and
 * depth limits, minimum rows and hessian per child, row subsampling per tree,
 * shrinkage, categorical splits one-vs-rest for few levels and by levels
 * sorted on gradient/hessian for many, missing values sent to whichever side
 * gains more, and early stopping on a validation set.
 */
import { createRandom } from '@shared/util/random';
import type { BinLayout } from './binning';
import type { NumericFeature, FeatureSpec } from './schema';
import type { Tree, TreeNode } from './tree';

export interface GbdtParams {
  learningRate: number;
  /** At most 8 leaves keeps the scorer's per-tree SHAP tables small (2^7 decision patterns). */
  maxLeaves: number;
  maxDepth: number;
  minDataInLeaf: number;
  minChildWeight: number;
  lambda: number;
  subsample: number;
  maxRounds: number;
  earlyStoppingRounds: number;
  /** Categorical features with at most this many levels split one-vs-rest. */
  maxCatOneHot: number;
  /** Smoothing of gradient/hessian ratios when ordering many levels. */
  catSmooth: number;
}

/**
 * Fixed, robust defaults (the LightGBM / sklearn conventions: learning rate 0.1,
 * 20 rows per leaf, L2 1, 8 leaves as in depth-3 trees); no per-data-set
 * tuning, early stopping picks the number of trees.
 */
export const GBDT_DEFAULTS: GbdtParams = {
  learningRate: 0.1,
  maxLeaves: 8,
  maxDepth: 5,
  minDataInLeaf: 20,
  minChildWeight: 1,
  lambda: 1,
  subsample: 0.8,
  maxRounds: 2000,
  earlyStoppingRounds: 50,
  maxCatOneHot: 4,
  catSmooth: 10,
};

export const MAX_TREE_LEAVES = 8;

export interface BinnedData {
  /** Column-major bins (feature j of row i at j * n + i). */
  bins: Uint16Array;
  n: number;
  labels: Uint8Array;
}

export interface GbdtResult {
  initScore: number;
  trees: Tree[];
  /** Rounds kept (the best validation round), equal to trees.length. */
  bestRounds: number;
  /** Rounds actually grown before stopping. */
  roundsGrown: number;
  validationLoss: number[];
  /** Margins of `score` rows after the kept rounds. */
  scoreMargins: Float64Array | null;
}

interface Split {
  gain: number;
  feature: number;
  /** Numeric: last bin going left. */
  bin: number;
  /** Categorical: 1 for bins going left. */
  leftMask: Uint8Array | null;
  missingLeft: boolean;
  gl: number;
  hl: number;
  cl: number;
}

interface GrowNode {
  start: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  hist: Float64Array | null;
  split: Split | null;
  left: number;
  right: number;
  value: number;
}

export interface TrainGbdtInput {
  features: readonly FeatureSpec[];
  layout: BinLayout;
  train: BinnedData;
  /** Early-stopping data; without it exactly `rounds` (or maxRounds) trees are grown. */
  valid?: BinnedData;
  params?: Partial<GbdtParams>;
  /** Grow exactly this many rounds (used to refit on all data after early stopping chose the count). */
  rounds?: number;
  /** Rows to predict with the kept trees (out-of-fold margins), without a second pass over the trees. */
  score?: BinnedData;
  /**
   * Starting margins per row (boosting on top of another model, e.g. the
   * linear one); the trees then learn only what that model misses and
   * initScore is 0. Without it boosting starts from the log-odds of the base rate.
   */
  offsets?: { train: Float64Array; valid?: Float64Array; score?: Float64Array };
  seed: number | string;
}

export function trainGbdt(input: TrainGbdtInput): GbdtResult {
  const params: GbdtParams = { ...GBDT_DEFAULTS, ...input.params };
  if (params.maxLeaves > MAX_TREE_LEAVES || params.maxLeaves < 2) throw new Error(`maxLeaves must be 2..${MAX_TREE_LEAVES}`);
  const { features, layout, train, valid } = input;
  const n = train.n;
  const d = features.length;
  const random = createRandom(input.seed);

  let positives = 0;
  for (let i = 0; i < n; i++) positives += train.labels[i] as number;
  const prior = Math.min(1 - 1e-6, Math.max(1e-6, positives / Math.max(1, n)));
  const offsets = input.offsets;
  const initScore = offsets ? 0 : Math.log(prior / (1 - prior));
  const startMargins = (count: number, offset: Float64Array | undefined): Float64Array<ArrayBuffer> => {
    if (offsets && (!offset || offset.length !== count)) throw new Error('trainGbdt: offsets must cover every row of each data set');
    return offset ? Float64Array.from(offset) : new Float64Array(count).fill(initScore);
  };

  const margin = startMargins(n, offsets?.train);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const validMargin = valid ? startMargins(valid.n, offsets?.valid) : null;
  const scoreMargin = input.score ? startMargins(input.score.n, offsets?.score) : null;
  let bestScoreMargin = scoreMargin ? Float64Array.from(scoreMargin) : null;
  const rows = new Int32Array(n);
  const scratch = new Int32Array(n);
  const trees: Tree[] = [];
  const validationLoss: number[] = [];
  const maxRounds = input.rounds ?? params.maxRounds;
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestRounds = 0;
  let roundsGrown = 0;

  for (let round = 0; round < maxRounds; round++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-(margin[i] as number)));
      grad[i] = p - (train.labels[i] as number);
      hess[i] = Math.max(p * (1 - p), 1e-16);
    }
    let m = 0;
    for (let i = 0; i < n; i++) if (params.subsample >= 1 || random.next() < params.subsample) rows[m++] = i;
    if (m < 2 * params.minDataInLeaf) {
      m = n;
      for (let i = 0; i < n; i++) rows[i] = i;
    }
    const grown = growTree(rows, m, scratch, grad, hess, train.bins, n, d, layout, params);
    const tree = toTree(grown, features, params.learningRate);
    applyTree(grown, train.bins, n, layout, margin, params.learningRate);
    trees.push(tree);
    roundsGrown++;
    if (input.score && scoreMargin) applyTree(grown, input.score.bins, input.score.n, layout, scoreMargin, params.learningRate);

    if (valid && validMargin) {
      applyTree(grown, valid.bins, valid.n, layout, validMargin, params.learningRate);
      const loss = marginLogLoss(valid.labels, validMargin);
      validationLoss.push(loss);
      if (loss < bestLoss - 1e-12) {
        bestLoss = loss;
        bestRounds = trees.length;
        if (scoreMargin) bestScoreMargin = Float64Array.from(scoreMargin);
      } else if (trees.length - bestRounds >= params.earlyStoppingRounds) break;
    } else {
      bestRounds = trees.length;
      if (scoreMargin) bestScoreMargin = scoreMargin;
    }
    if (grown.length === 1) break; // No split anywhere: more rounds cannot change anything.
  }
  const kept = Math.max(1, bestRounds);
  return { initScore, trees: trees.slice(0, kept), bestRounds: kept, roundsGrown, validationLoss, scoreMargins: bestScoreMargin };
}

function marginLogLoss(labels: Uint8Array, margins: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < margins.length; i++) {
    const z = margins[i] as number;
    sum += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - (labels[i] as number) * z;
  }
  return sum / margins.length;
}

function growTree(
  rows: Int32Array,
  m: number,
  scratch: Int32Array,
  grad: Float64Array,
  hess: Float64Array,
  bins: Uint16Array,
  n: number,
  d: number,
  layout: BinLayout,
  params: GbdtParams,
): GrowNode[] {
  let g0 = 0;
  let h0 = 0;
  for (let k = 0; k < m; k++) {
    const i = rows[k] as number;
    g0 += grad[i] as number;
    h0 += hess[i] as number;
  }
  const root: GrowNode = { start: 0, end: m, depth: 0, g: g0, h: h0, hist: null, split: null, left: -1, right: -1, value: 0 };
  root.hist = buildHistogram(rows, 0, m, grad, hess, bins, n, d, layout);
  root.split = findBestSplit(root, d, layout, params);
  const nodes: GrowNode[] = [root];
  let leaves = 1;

  while (leaves < params.maxLeaves) {
    let best = -1;
    let bestGain = 0;
    for (let k = 0; k < nodes.length; k++) {
      const node = nodes[k] as GrowNode;
      if (node.left < 0 && node.split && node.split.gain > bestGain) {
        bestGain = node.split.gain;
        best = k;
      }
    }
    if (best < 0) break;
    const parent = nodes[best] as GrowNode;
    const split = parent.split as Split;
    const mid = partition(rows, scratch, parent.start, parent.end, split, bins, n, layout);
    const left: GrowNode = { start: parent.start, end: mid, depth: parent.depth + 1, g: split.gl, h: split.hl, hist: null, split: null, left: -1, right: -1, value: 0 };
    const right: GrowNode = { start: mid, end: parent.end, depth: parent.depth + 1, g: parent.g - split.gl, h: parent.h - split.hl, hist: null, split: null, left: -1, right: -1, value: 0 };
    // Histogram subtraction: build the smaller child, derive the larger from the parent.
    const [small, large] = mid - parent.start <= parent.end - mid ? [left, right] : [right, left];
    small.hist = buildHistogram(rows, small.start, small.end, grad, hess, bins, n, d, layout);
    const parentHist = parent.hist as Float64Array;
    const largeHist = new Float64Array(parentHist.length);
    for (let s = 0; s < parentHist.length; s++) largeHist[s] = (parentHist[s] as number) - (small.hist[s] as number);
    large.hist = largeHist;
    parent.hist = null;
    parent.left = nodes.length;
    parent.right = nodes.length + 1;
    nodes.push(left, right);
    leaves++;
    for (const child of [left, right]) {
      if (child.depth < params.maxDepth && child.end - child.start >= 2 * params.minDataInLeaf) child.split = findBestSplit(child, d, layout, params);
    }
  }
  for (const node of nodes) {
    node.hist = null;
    if (node.left < 0) node.value = -node.g / (node.h + params.lambda);
  }
  return nodes;
}

/** Histogram with [gradient, hessian, count] per slot. */
function buildHistogram(
  rows: Int32Array,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  bins: Uint16Array,
  n: number,
  d: number,
  layout: BinLayout,
): Float64Array {
  const hist = new Float64Array(layout.totalSlots * 3);
  for (let j = 0; j < d; j++) {
    const base = j * n;
    const off = (layout.offsets[j] as number) * 3;
    for (let k = start; k < end; k++) {
      const i = rows[k] as number;
      const slot = off + 3 * (bins[base + i] as number);
      hist[slot] = (hist[slot] as number) + (grad[i] as number);
      hist[slot + 1] = (hist[slot + 1] as number) + (hess[i] as number);
      hist[slot + 2] = (hist[slot + 2] as number) + 1;
    }
  }
  return hist;
}

function findBestSplit(node: GrowNode, d: number, layout: BinLayout, params: GbdtParams): Split | null {
  const hist = node.hist as Float64Array;
  const count = node.end - node.start;
  const lambda = params.lambda;
  const parentScore = (node.g * node.g) / (node.h + lambda);
  let best: Split | null = null;

  const consider = (feature: number, bin: number, leftMask: Uint8Array | null, missingLeft: boolean, gl: number, hl: number, cl: number): void => {
    const gr = node.g - gl;
    const hr = node.h - hl;
    const cr = count - cl;
    if (cl < params.minDataInLeaf || cr < params.minDataInLeaf) return;
    if (hl < params.minChildWeight || hr < params.minChildWeight) return;
    const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore;
    if (gain > 1e-12 && (best === null || gain > best.gain)) {
      best = { gain, feature, bin, leftMask: leftMask ? leftMask.slice() : null, missingLeft, gl, hl, cl };
    }
  };

  for (let j = 0; j < d; j++) {
    const off = (layout.offsets[j] as number) * 3;
    const slots = layout.slots[j] as number;
    const missingSlot = off + 3 * (slots - 1);
    const gm = hist[missingSlot] as number;
    const hm = hist[missingSlot + 1] as number;
    const cm = hist[missingSlot + 2] as number;
    if (layout.categorical[j] === 0) {
      let gl = 0;
      let hl = 0;
      let cl = 0;
      for (let b = 0; b < slots - 2; b++) {
        const s = off + 3 * b;
        gl += hist[s] as number;
        hl += hist[s + 1] as number;
        cl += hist[s + 2] as number;
        if (hist[s + 2] === 0) continue; // Same partition as the previous edge.
        if (cm > 0) {
          consider(j, b, null, false, gl, hl, cl);
          consider(j, b, null, true, gl + gm, hl + hm, cl + cm);
        } else {
          // No missing values here: send future missing values to the larger side.
          consider(j, b, null, cl >= count - cl, gl, hl, cl);
        }
      }
      continue;
    }
    // Categorical: levels present at this node (missing excluded).
    const present: number[] = [];
    for (let b = 0; b < slots - 1; b++) if ((hist[off + 3 * b + 2] as number) > 0) present.push(b);
    if (present.length < 2 && cm === 0) continue;
    const mask = new Uint8Array(slots);
    const tryLeftSet = (gl: number, hl: number, cl: number): void => {
      if (cm > 0) {
        consider(j, -1, mask, false, gl, hl, cl);
        consider(j, -1, mask, true, gl + gm, hl + hm, cl + cm);
      } else consider(j, -1, mask, cl >= count - cl, gl, hl, cl);
    };
    if (present.length <= params.maxCatOneHot) {
      for (const b of present) {
        mask.fill(0);
        mask[b] = 1;
        const s = off + 3 * b;
        tryLeftSet(hist[s] as number, hist[s + 1] as number, hist[s + 2] as number);
      }
    } else {
      const ratio = (b: number): number => (hist[off + 3 * b] as number) / ((hist[off + 3 * b + 1] as number) + params.catSmooth);
      present.sort((a, b) => ratio(a) - ratio(b));
      mask.fill(0);
      let gl = 0;
      let hl = 0;
      let cl = 0;
      for (let k = 0; k + 1 < present.length; k++) {
        const b = present[k] as number;
        mask[b] = 1;
        gl += hist[off + 3 * b] as number;
        hl += hist[off + 3 * b + 1] as number;
        cl += hist[off + 3 * b + 2] as number;
        tryLeftSet(gl, hl, cl);
      }
    }
  }
  return best;
}

function binGoesLeft(split: Split, bin: number, missingBin: number): boolean {
  if (bin === missingBin) return split.missingLeft;
  if (split.leftMask) return split.leftMask[bin] === 1;
  return bin <= split.bin;
}

/** Stable in-place partition of rows[start, end); returns the first right index. */
function partition(rows: Int32Array, scratch: Int32Array, start: number, end: number, split: Split, bins: Uint16Array, n: number, layout: BinLayout): number {
  const base = split.feature * n;
  const missingBin = (layout.slots[split.feature] as number) - 1;
  let l = start;
  let r = 0;
  for (let k = start; k < end; k++) {
    const i = rows[k] as number;
    if (binGoesLeft(split, bins[base + i] as number, missingBin)) rows[l++] = i;
    else scratch[r++] = i;
  }
  for (let k = 0; k < r; k++) rows[l + k] = scratch[k] as number;
  return l;
}

/** Adds the tree's shrunk leaf values to every row's margin. */
function applyTree(nodes: GrowNode[], bins: Uint16Array, n: number, layout: BinLayout, margin: Float64Array, learningRate: number): void {
  for (let i = 0; i < n; i++) {
    let node = nodes[0] as GrowNode;
    while (node.left >= 0) {
      const split = node.split as Split;
      const bin = bins[split.feature * n + i] as number;
      node = nodes[binGoesLeft(split, bin, (layout.slots[split.feature] as number) - 1) ? node.left : node.right] as GrowNode;
    }
    margin[i] = (margin[i] as number) + learningRate * node.value;
  }
}

/** Bin-level tree to the stored form: real thresholds and level codes. */
function toTree(nodes: GrowNode[], features: readonly FeatureSpec[], learningRate: number): Tree {
  const out: TreeNode[] = nodes.map((node) => {
    const cover = node.end - node.start;
    if (node.left < 0) return { value: learningRate * node.value, cover };
    const split = node.split as Split;
    const base = { feature: split.feature, missingLeft: split.missingLeft, left: node.left, right: node.right, cover, gain: split.gain };
    if (split.leftMask) {
      const categories: number[] = [];
      // The last slot is "missing", handled by missingLeft.
      for (let b = 0; b < split.leftMask.length - 1; b++) if (split.leftMask[b] === 1) categories.push(b);
      return { ...base, categories };
    }
    return { ...base, threshold: (features[split.feature] as NumericFeature).cuts[split.bin] as number };
  });
  return { nodes: out };
}
