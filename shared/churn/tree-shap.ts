/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent
 * individualized feature attribution for tree ensembles", Algorithm 2), in
 * O(leaves x depth^2) per tree. Ported from the reference recursion in the
 * `shap` package's C++ core (extend / unwind / unwound-sum over a path of
 * unique features with zero- and one-fractions).
 *
 * The decision at each split is supplied by a callback, so the same code
 * explains a real row (decision = goesLeft(node, x)) and tabulates every
 * decision pattern when the scorer compiles a tree.
 */
import type { SplitNode, Tree, TreeNode } from './tree';
import { isLeaf } from './tree';

/** Whether the explained row goes left at split node `nodeIndex`. */
export type DecisionFn = (nodeIndex: number, node: SplitNode) => boolean;

class PathBuffer {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
  constructor(size: number) {
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }
}

function treeDepth(tree: Tree, index = 0): number {
  const node = tree.nodes[index] as TreeNode;
  if (isLeaf(node)) return 0;
  return 1 + Math.max(treeDepth(tree, node.left), treeDepth(tree, node.right));
}

/**
 * Adds the SHAP values of one tree to `phi` (indexed by feature). The values
 * sum to leafValue(row) - treeExpectedValue(tree).
 */
export function treeShap(tree: Tree, decide: DecisionFn, phi: Float64Array): void {
  const depth = treeDepth(tree) + 2;
  const path = new PathBuffer((depth * (depth + 1)) / 2 + depth);
  recurse(tree, decide, phi, path, 0, 0, 0, 1, 1, -1);
}

function extendPath(p: PathBuffer, at: number, uniqueDepth: number, zeroFraction: number, oneFraction: number, feature: number): void {
  p.feature[at + uniqueDepth] = feature;
  p.zero[at + uniqueDepth] = zeroFraction;
  p.one[at + uniqueDepth] = oneFraction;
  p.weight[at + uniqueDepth] = uniqueDepth === 0 ? 1 : 0;
  for (let i = uniqueDepth - 1; i >= 0; i--) {
    p.weight[at + i + 1] = (p.weight[at + i + 1] as number) + (oneFraction * (p.weight[at + i] as number) * (i + 1)) / (uniqueDepth + 1);
    p.weight[at + i] = (zeroFraction * (p.weight[at + i] as number) * (uniqueDepth - i)) / (uniqueDepth + 1);
  }
}

function unwindPath(p: PathBuffer, at: number, uniqueDepth: number, pathIndex: number): void {
  const oneFraction = p.one[at + pathIndex] as number;
  const zeroFraction = p.zero[at + pathIndex] as number;
  let nextOnePortion = p.weight[at + uniqueDepth] as number;
  for (let i = uniqueDepth - 1; i >= 0; i--) {
    if (oneFraction !== 0) {
      const tmp = p.weight[at + i] as number;
      p.weight[at + i] = (nextOnePortion * (uniqueDepth + 1)) / ((i + 1) * oneFraction);
      nextOnePortion = tmp - ((p.weight[at + i] as number) * zeroFraction * (uniqueDepth - i)) / (uniqueDepth + 1);
    } else {
      p.weight[at + i] = ((p.weight[at + i] as number) * (uniqueDepth + 1)) / (zeroFraction * (uniqueDepth - i));
    }
  }
  for (let i = pathIndex; i < uniqueDepth; i++) {
    p.feature[at + i] = p.feature[at + i + 1] as number;
    p.zero[at + i] = p.zero[at + i + 1] as number;
    p.one[at + i] = p.one[at + i + 1] as number;
  }
}

function unwoundPathSum(p: PathBuffer, at: number, uniqueDepth: number, pathIndex: number): number {
  const oneFraction = p.one[at + pathIndex] as number;
  const zeroFraction = p.zero[at + pathIndex] as number;
  let nextOnePortion = p.weight[at + uniqueDepth] as number;
  let total = 0;
  for (let i = uniqueDepth - 1; i >= 0; i--) {
    if (oneFraction !== 0) {
      const tmp = (nextOnePortion * (uniqueDepth + 1)) / ((i + 1) * oneFraction);
      total += tmp;
      nextOnePortion = (p.weight[at + i] as number) - (tmp * zeroFraction * (uniqueDepth - i)) / (uniqueDepth + 1);
    } else if (zeroFraction !== 0) {
      total += (p.weight[at + i] as number) / zeroFraction / ((uniqueDepth - i) / (uniqueDepth + 1));
    }
  }
  return total;
}

function recurse(
  tree: Tree,
  decide: DecisionFn,
  phi: Float64Array,
  p: PathBuffer,
  parentAt: number,
  nodeIndex: number,
  uniqueDepthIn: number,
  parentZeroFraction: number,
  parentOneFraction: number,
  parentFeature: number,
): void {
  let uniqueDepth = uniqueDepthIn;
  // Each level works on its own copy of the path, placed after the parent's.
  const at = parentAt + uniqueDepth + 1;
  for (let i = 0; i <= uniqueDepth; i++) {
    p.feature[at + i] = p.feature[parentAt + i] as number;
    p.zero[at + i] = p.zero[parentAt + i] as number;
    p.one[at + i] = p.one[parentAt + i] as number;
    p.weight[at + i] = p.weight[parentAt + i] as number;
  }
  extendPath(p, at, uniqueDepth, parentZeroFraction, parentOneFraction, parentFeature);

  const node = tree.nodes[nodeIndex] as TreeNode;
  if (isLeaf(node)) {
    for (let i = 1; i <= uniqueDepth; i++) {
      const w = unwoundPathSum(p, at, uniqueDepth, i);
      const f = p.feature[at + i] as number;
      phi[f] = (phi[f] as number) + w * ((p.one[at + i] as number) - (p.zero[at + i] as number)) * node.value;
    }
    return;
  }
  const left = decide(nodeIndex, node);
  const hot = left ? node.left : node.right;
  const cold = left ? node.right : node.left;
  const cover = node.cover;
  const hotZeroFraction = (tree.nodes[hot] as TreeNode).cover / cover;
  const coldZeroFraction = (tree.nodes[cold] as TreeNode).cover / cover;
  let incomingZero = 1;
  let incomingOne = 1;
  // A feature already on the path: undo its earlier split so it counts once.
  let pathIndex = 0;
  for (; pathIndex <= uniqueDepth; pathIndex++) if (p.feature[at + pathIndex] === node.feature) break;
  if (pathIndex !== uniqueDepth + 1) {
    incomingZero = p.zero[at + pathIndex] as number;
    incomingOne = p.one[at + pathIndex] as number;
    unwindPath(p, at, uniqueDepth, pathIndex);
    uniqueDepth -= 1;
  }
  recurse(tree, decide, phi, p, at, hot, uniqueDepth + 1, hotZeroFraction * incomingZero, incomingOne, node.feature);
  recurse(tree, decide, phi, p, at, cold, uniqueDepth + 1, coldZeroFraction * incomingZero, 0, node.feature);
}
