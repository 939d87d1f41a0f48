/**
 * One regression tree as stored in the model file. Node 0 is the root.
 * A split sends a row left when its value is <= threshold (numeric) or its
 * level code is in `categories` (categorical); a missing value follows
 * `missingLeft`. `cover` is how many training rows reached the node, which
 * TreeSHAP uses as the path-dependent weights.
 */
export interface SplitNode {
  feature: number;
  threshold?: number;
  categories?: number[];
  missingLeft: boolean;
  left: number;
  right: number;
  cover: number;
  gain: number;
}

export interface LeafNode {
  value: number;
  cover: number;
}

export type TreeNode = SplitNode | LeafNode;

export interface Tree {
  nodes: TreeNode[];
}

export function isLeaf(node: TreeNode): node is LeafNode {
  return 'value' in node;
}

/** Whether an encoded value goes to the left child of a split. */
export function goesLeft(node: SplitNode, x: number): boolean {
  if (Number.isNaN(x)) return node.missingLeft;
  if (node.categories !== undefined) return node.categories.includes(x);
  return x <= (node.threshold as number);
}

/** Leaf value reached by an encoded row (slow reference path; the scorer compiles trees). */
export function predictTree(tree: Tree, x: ArrayLike<number>): number {
  let node = tree.nodes[0] as TreeNode;
  while (!isLeaf(node)) {
    node = tree.nodes[goesLeft(node, x[node.feature] as number) ? node.left : node.right] as TreeNode;
  }
  return node.value;
}

/** Cover-weighted mean leaf value: the tree's expectation over the training data. */
export function treeExpectedValue(tree: Tree): number {
  const root = tree.nodes[0] as TreeNode;
  let sum = 0;
  for (const node of tree.nodes) if (isLeaf(node)) sum += node.value * node.cover;
  return sum / root.cover;
}
