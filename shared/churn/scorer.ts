import type { ChurnBand, Reason } from '../domain/customer';
import { applyCalibration } from './calibration';
import { createRowEncoder } from './encode';
import { LINEAR_CLIP, linearBase } from './linear';
import type { ChurnModel } from './model';
import type { Phraser, ReasonText } from './reasons';
import { reasonPhraser } from './reasons';
import { goesLeft, isLeaf, treeExpectedValue } from './tree';
import type { SplitNode, Tree } from './tree';
import { treeShap } from './tree-shap';

/**
 * The compiled scorer. Every tree has at most 7 splits, and path-dependent
 * TreeSHAP depends on a row only through its decision (left/right) at each
 * split, so a tree's decisions form a pattern of at most 7 bits. For each of
 * the <= 128 patterns the exact TreeSHAP values and the leaf value are
 * computed once, here, and stored. Each feature's value is reduced once per
 * row to a bin among the ensemble's thresholds for it, and per tree a small
 * table maps each used feature's bin to its pattern bits. Scoring a row is
 * then, per tree: OR a few pattern bits, add one leaf value and one row of
 * SHAP values; plus the linear model's per-feature terms. No data-dependent
 * branches per split, and the reasons are the exact Shapley values of the
 * blended log-odds margin, not an approximation.
 */

/**
 * Band cut-offs on the calibrated probability, the same as the heuristic
 * scorer's so the two read alike on screen: high >= 0.6 (more likely to leave
 * than not, with margin), medium >= 0.3, low below.
 */
export const CHURN_BAND_CUTOFFS = { medium: 0.3, high: 0.6 } as const;

export function churnBandFor(probability: number, cutoffs: { medium: number; high: number } = CHURN_BAND_CUTOFFS): ChurnBand {
  if (probability >= cutoffs.high) return 'high';
  if (probability >= cutoffs.medium) return 'medium';
  return 'low';
}

export interface ChurnScore {
  probability: number;
  band: ChurnBand;
  /** The strongest reasons pushing the risk up, largest first; weight is the log-odds contribution. */
  reasons: Reason[];
  modelVersion: string;
}

export interface ChurnExplanation {
  /** Expected margin over the training data. */
  baseValue: number;
  /** Raw blended log-odds before calibration: baseValue + sum of contributions. */
  margin: number;
  probability: number;
  contributions: { feature: string; value: number }[];
}

export interface ScorerOptions {
  topReasons?: number;
  bands?: { medium: number; high: number };
}

export interface ChurnScorer {
  modelVersion: string;
  featureNames: readonly string[];
  score(row: Record<string, unknown>): ChurnScore;
  explain(row: Record<string, unknown>): ChurnExplanation;
}

interface CompiledTrees {
  treeCount: number;
  /** Per tree: first entry in treeFeatures, number of distinct features, first SHAP table row, first leaf entry. */
  featureStart: Int32Array;
  featureCount: Int32Array;
  /** First cell of the tree's table: per pattern one row [leaf value, SHAP value per used feature]. */
  tableStart: Int32Array;
  treeFeatures: Int32Array;
  /** Per (tree, feature) entry: offset of its pattern-bit table, indexed by the feature's bin. */
  patternOffset: Int32Array;
  patternBits: Uint8Array;
  table: Float64Array;
  /** Per feature: sorted distinct split thresholds (numeric) or null (categorical, binned by level code). */
  thresholds: (Float64Array | null)[];
  /** Per feature: the bin of a missing value. */
  missingBin: Int32Array;
}

export const MAX_SPLITS_PER_TREE = 7;

/**
 * Bins per feature: numeric value -> number of the ensemble's thresholds below
 * it (so "x <= threshold k" is "bin <= k"), categorical -> level code, missing
 * -> the last bin. Every split's decision is then a function of one bin.
 */
function featureThresholds(model: ChurnModel): { thresholds: (Float64Array | null)[]; missingBin: Int32Array } {
  const sets = model.features.map(() => new Set<number>());
  for (const tree of model.gbdt.trees) for (const node of tree.nodes) if (!isLeaf(node) && node.threshold !== undefined) sets[node.feature]?.add(node.threshold);
  const thresholds = model.features.map((f, j) => (f.kind === 'numeric' ? Float64Array.from([...(sets[j] as Set<number>)].sort((a, b) => a - b)) : null));
  const missingBin = Int32Array.from(model.features, (f, j) => (f.kind === 'numeric' ? (thresholds[j] as Float64Array).length + 1 : f.levels.length + 1));
  return { thresholds, missingBin };
}

function compileTrees(model: ChurnModel, scale: number): CompiledTrees {
  const trees = model.gbdt.trees;
  const d = model.features.length;
  const { thresholds, missingBin } = featureThresholds(model);
  const featureStart = new Int32Array(trees.length);
  const featureCount = new Int32Array(trees.length);
  const tableStart = new Int32Array(trees.length);
  const treeFeatures: number[] = [];
  const patternOffset: number[] = [];
  const patternBits: number[] = [];
  const table: number[] = [];
  const phi = new Float64Array(d);

  trees.forEach((tree, t) => {
    const splits: number[] = [];
    tree.nodes.forEach((node, index) => {
      if (!isLeaf(node)) splits.push(index);
    });
    if (splits.length > MAX_SPLITS_PER_TREE) throw new Error(`tree ${t} has ${splits.length} splits; the scorer supports ${MAX_SPLITS_PER_TREE}`);
    const localIndex = new Map(splits.map((nodeIndex, k) => [nodeIndex, k]));
    const used = [...new Set(splits.map((nodeIndex) => (tree.nodes[nodeIndex] as SplitNode).feature))];
    featureStart[t] = treeFeatures.length;
    featureCount[t] = used.length;
    for (const f of used) {
      treeFeatures.push(f);
      patternOffset.push(patternBits.length);
      const bins = (missingBin[f] as number) + 1;
      const featureThresholdList = thresholds[f];
      for (let bin = 0; bin < bins; bin++) {
        // A representative encoded value for this bin: missing, a level code, or the bin's upper threshold.
        const value = bin === (missingBin[f] as number) ? Number.NaN : featureThresholdList ? (featureThresholdList[bin] ?? Number.POSITIVE_INFINITY) : bin;
        let bits = 0;
        splits.forEach((nodeIndex, k) => {
          const node = tree.nodes[nodeIndex] as SplitNode;
          if (node.feature === f && goesLeft(node, value)) bits |= 1 << k;
        });
        patternBits.push(bits);
      }
    }
    tableStart[t] = table.length;
    const patterns = 1 << splits.length;
    for (let pattern = 0; pattern < patterns; pattern++) {
      const decide = (nodeIndex: number): boolean => ((pattern >> (localIndex.get(nodeIndex) as number)) & 1) === 1;
      phi.fill(0);
      treeShap(tree, decide, phi);
      // The leaf value shares the row with the SHAP values: one cache line per tree and row.
      table.push(scale * leafForPattern(tree, decide));
      for (const f of used) table.push(scale * (phi[f] as number));
    }
  });
  return {
    treeCount: trees.length,
    featureStart,
    featureCount,
    tableStart,
    treeFeatures: Int32Array.from(treeFeatures),
    patternOffset: Int32Array.from(patternOffset),
    patternBits: Uint8Array.from(patternBits),
    table: Float64Array.from(table),
    thresholds,
    missingBin,
  };
}

function leafForPattern(tree: Tree, decide: (nodeIndex: number) => boolean): number {
  let index = 0;
  let node = tree.nodes[0];
  while (node && !isLeaf(node)) {
    index = decide(index) ? node.left : node.right;
    node = tree.nodes[index];
  }
  return node && isLeaf(node) ? node.value : 0;
}

/**
 * Linear terms per feature, already centred and scaled by the blend weight:
 * numeric features a * clip(z) + (observed constant) or (missing constant);
 * categorical features one value per level code, then one for missing.
 */
interface CompiledLinear {
  numericWeight: Float64Array;
  numericCenter: Float64Array;
  numericScale: Float64Array;
  observedConstant: Float64Array;
  missingConstant: Float64Array;
  levelStart: Int32Array;
  levelCount: Int32Array;
  levelTable: Float64Array;
}

function compileLinear(model: ChurnModel, scale: number): CompiledLinear {
  const d = model.features.length;
  const out: CompiledLinear = {
    numericWeight: new Float64Array(d),
    numericCenter: new Float64Array(d),
    numericScale: new Float64Array(d).fill(1),
    observedConstant: new Float64Array(d),
    missingConstant: new Float64Array(d),
    levelStart: new Int32Array(d).fill(-1),
    levelCount: new Int32Array(d),
    levelTable: new Float64Array(0),
  };
  const levelValues: number[] = [];
  const perLevel: number[][] = model.features.map((f) => (f.kind === 'categorical' ? new Array<number>(f.levels.length + 2).fill(0) : []));
  model.linear.columns.forEach((column, c) => {
    const w = scale * (model.linear.weights[c] as number);
    const mean = model.linear.means[c] as number;
    const j = column.feature;
    const levels = perLevel[j] as number[];
    const isCategorical = levels.length > 0;
    // Every term is w * (value - mean); the "- w * mean" part applies to every row.
    const shift = -w * mean;
    if (isCategorical) for (let k = 0; k < levels.length; k++) levels[k] = (levels[k] as number) + shift;
    else {
      out.observedConstant[j] = (out.observedConstant[j] as number) + shift;
      out.missingConstant[j] = (out.missingConstant[j] as number) + shift;
    }
    if (column.kind === 'numeric') {
      out.numericWeight[j] = w;
      out.numericCenter[j] = column.center;
      out.numericScale[j] = column.scale;
    } else if (column.kind === 'missing') {
      if (isCategorical) levels[levels.length - 1] = (levels[levels.length - 1] as number) + w;
      else out.missingConstant[j] = (out.missingConstant[j] as number) + w;
    } else levels[column.code] = (levels[column.code] as number) + w;
  });
  perLevel.forEach((levels, j) => {
    if (levels.length === 0) return;
    out.levelStart[j] = levelValues.length;
    out.levelCount[j] = levels.length;
    levelValues.push(...levels);
  });
  out.levelTable = Float64Array.from(levelValues);
  return out;
}

/** Phrases depend only on the encoded value (except for "other" levels, which show their own label), so repeat values reuse them. */
const PHRASE_CACHE_LIMIT = 4096;

function cachedPhraser(phraser: Phraser, otherCode: number): Phraser {
  const cache = new Map<number, ReasonText>();
  return (encoded, raw) => {
    const hit = cache.get(encoded);
    if (hit) return hit;
    const text = phraser(encoded, raw);
    if (encoded !== otherCode && cache.size < PHRASE_CACHE_LIMIT) cache.set(encoded, text);
    return text;
  };
}

export function createScorer(model: ChurnModel, options: ScorerOptions = {}): ChurnScorer {
  const topReasons = options.topReasons ?? 3;
  const bands = options.bands ?? CHURN_BAND_CUTOFFS;
  const features = model.features;
  const d = features.length;
  const w = model.blend.gbdtWeight;
  const v = model.blend.linearWeight;
  const trees = compileTrees(model, w);
  const linear = compileLinear(model, v);
  const encode = createRowEncoder(features);
  const phrasers: Phraser[] = features.map((f) => cachedPhraser(reasonPhraser(f), f.kind === 'categorical' ? f.levels.length : -1));
  const names = features.map((f) => f.name);
  const treeBase = model.gbdt.initScore + model.gbdt.trees.reduce((s, tree) => s + treeExpectedValue(tree), 0);
  const baseValue = w * treeBase + v * linearBase(model.linear);
  const initMargin = w * model.gbdt.initScore;
  const linearBaseValue = v * linearBase(model.linear);
  const x = new Float64Array(d);
  const contributions = new Float64Array(d);
  const top = new Int32Array(Math.max(1, topReasons));
  const { treeCount, featureStart, featureCount, tableStart, treeFeatures, patternOffset, patternBits, table, thresholds, missingBin } = trees;
  // Pass 1 layout, per feature: the trees that split on it, and per bin of the
  // feature one contiguous row of those trees' pattern bits. A row's patterns
  // are then ORed feature by feature from contiguous memory.
  const featureTreeStart = new Int32Array(d);
  const featureTreeCount = new Int32Array(d);
  const featureBitsStart = new Int32Array(d);
  const featureTreeList: number[] = [];
  const featureBitList: number[] = [];
  for (let f = 0; f < d; f++) {
    const using: { tree: number; entry: number }[] = [];
    for (let t = 0; t < treeCount; t++) {
      const e0 = featureStart[t] as number;
      for (let e = e0; e < e0 + (featureCount[t] as number); e++) if (treeFeatures[e] === f) using.push({ tree: t, entry: e });
    }
    featureTreeStart[f] = featureTreeList.length;
    featureTreeCount[f] = using.length;
    featureBitsStart[f] = featureBitList.length;
    for (const { tree } of using) featureTreeList.push(tree);
    const bins = (missingBin[f] as number) + 1;
    for (let b = 0; b < bins; b++) for (const { entry } of using) featureBitList.push(patternBits[(patternOffset[entry] as number) + b] as number);
  }
  const featureTrees = Int32Array.from(featureTreeList);
  const featureBits = Uint8Array.from(featureBitList);
  const patterns = new Uint8Array(treeCount);
  // Pass 2 layout, per tree: [first feature entry, feature count, table start].
  const treeMeta = new Int32Array(treeCount * 3);
  for (let t = 0; t < treeCount; t++) {
    treeMeta[3 * t] = featureStart[t] as number;
    treeMeta[3 * t + 1] = featureCount[t] as number;
    treeMeta[3 * t + 2] = tableStart[t] as number;
  }
  const { numericWeight, numericCenter, numericScale, observedConstant, missingConstant, levelStart, levelCount, levelTable } = linear;
  const bin = new Int32Array(d);

  /** Fills `contributions` and returns the raw margin (tree part summed from leaves, linear part from its terms). */
  const evaluate = (row: Record<string, unknown>): number => {
    encode(row, x);
    let treeMargin = initMargin;
    let linearMargin = linearBaseValue;
    for (let j = 0; j < d; j++) {
      const v = x[j] as number;
      const start = levelStart[j] as number;
      if (v !== v) {
        bin[j] = missingBin[j] as number;
        contributions[j] = start >= 0 ? (levelTable[start + (levelCount[j] as number) - 1] as number) : (missingConstant[j] as number);
      } else if (start >= 0) {
        bin[j] = v;
        contributions[j] = levelTable[start + v] as number;
      } else {
        // Bin = number of split thresholds below v (binary search).
        const cuts = thresholds[j] as Float64Array;
        let lo = 0;
        let hi = cuts.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (v <= (cuts[mid] as number)) hi = mid;
          else lo = mid + 1;
        }
        bin[j] = lo;
        let z = (v - (numericCenter[j] as number)) / (numericScale[j] as number);
        z = z > LINEAR_CLIP ? LINEAR_CLIP : z < -LINEAR_CLIP ? -LINEAR_CLIP : z;
        contributions[j] = (numericWeight[j] as number) * z + (observedConstant[j] as number);
      }
      linearMargin += contributions[j] as number;
    }
    patterns.fill(0);
    for (let f = 0; f < d; f++) {
      const count = featureTreeCount[f] as number;
      if (count === 0) continue;
      const trees0 = featureTreeStart[f] as number;
      const bits0 = (featureBitsStart[f] as number) + (bin[f] as number) * count;
      for (let k = 0; k < count; k++) {
        const t = featureTrees[trees0 + k] as number;
        patterns[t] = (patterns[t] as number) | (featureBits[bits0 + k] as number);
      }
    }
    for (let t = 0, m = 0; t < treeCount; t++, m += 3) {
      const e0 = treeMeta[m] as number;
      const e1 = e0 + (treeMeta[m + 1] as number);
      let cell = (treeMeta[m + 2] as number) + (patterns[t] as number) * (e1 - e0 + 1);
      treeMargin += table[cell++] as number;
      for (let e = e0; e < e1; e++) {
        const f = treeFeatures[e] as number;
        contributions[f] = (contributions[f] as number) + (table[cell++] as number);
      }
    }
    return treeMargin + linearMargin;
  };

  const calibrate = (margin: number): number => applyCalibration(model.calibration, margin);

  return {
    modelVersion: model.modelVersion,
    featureNames: names,
    score(row) {
      const margin = evaluate(row);
      const probability = calibrate(margin);
      // Top-k positive contributions by insertion into a tiny sorted list.
      let found = 0;
      for (let j = 0; j < d; j++) {
        const c = contributions[j] as number;
        if (!(c > 0)) continue;
        if (found === topReasons && c <= (contributions[top[found - 1] as number] as number)) continue;
        let k = found < topReasons ? found++ : found - 1;
        while (k > 0 && (contributions[top[k - 1] as number] as number) < c) {
          top[k] = top[k - 1] as number;
          k--;
        }
        top[k] = j;
      }
      const reasons: Reason[] = new Array(found);
      for (let k = 0; k < found; k++) {
        const j = top[k] as number;
        const text = (phrasers[j] as Phraser)(x[j] as number, row[names[j] as string]);
        reasons[k] = { code: text.code, driver: text.driver, phrase: text.phrase, ...(text.template ? { template: text.template } : {}), weight: contributions[j] as number };
      }
      return { probability, band: churnBandFor(probability, bands), reasons, modelVersion: model.modelVersion };
    },
    explain(row) {
      const margin = evaluate(row);
      return {
        baseValue,
        margin,
        probability: calibrate(margin),
        contributions: names.map((feature, j) => ({ feature, value: contributions[j] as number })),
      };
    },
  };
}
