import { z } from 'zod';
import type { ChurnModel } from './model';
import { CHURN_MODEL_SCHEMA_VERSION } from './model';
import { MAX_SPLITS_PER_TREE } from './scorer';

/**
 * The model file boundary: shape checked with zod, then the cross-references
 * zod cannot see (feature indices, tree links, level codes, monotone
 * calibration). A file that fails is refused with the first problem named, so
 * the caller keeps serving its previous model.
 */

const finite = z.number();

const numericFeatureSchema = z.object({
  name: z.string().min(1),
  kind: z.literal('numeric'),
  cuts: z.array(finite),
  mean: finite,
  sd: finite.positive(),
  quantiles: z.tuple([finite, finite, finite]),
  missingRate: finite.min(0).max(1),
  integer: z.boolean(),
});

const categoricalFeatureSchema = z.object({
  name: z.string().min(1),
  kind: z.literal('categorical'),
  levels: z.array(z.string()),
  frequencies: z.array(finite.min(0).max(1)),
  missingRate: finite.min(0).max(1),
});

const featureSchema = z.discriminatedUnion('kind', [numericFeatureSchema, categoricalFeatureSchema]);

const splitNodeSchema = z.strictObject({
  feature: z.int().min(0),
  threshold: finite.optional(),
  categories: z.array(z.int().min(0)).optional(),
  missingLeft: z.boolean(),
  left: z.int().min(1),
  right: z.int().min(1),
  cover: finite.positive(),
  gain: finite,
});

const leafNodeSchema = z.strictObject({ value: finite, cover: finite.positive() });

const treeSchema = z.object({ nodes: z.array(z.union([leafNodeSchema, splitNodeSchema])).min(1) });

const linearColumnSchema = z.discriminatedUnion('kind', [
  z.object({ feature: z.int().min(0), kind: z.literal('numeric'), center: finite, scale: finite.positive() }),
  z.object({ feature: z.int().min(0), kind: z.literal('missing') }),
  z.object({ feature: z.int().min(0), kind: z.literal('level'), code: z.int().min(0) }),
]);

const calibratorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('platt'), slope: finite, intercept: finite }),
  z.object({ kind: z.literal('isotonic'), x: z.array(finite).min(1), y: z.array(finite.min(0).max(1)).min(1) }),
]);

const cvSchema = z.object({
  folds: z.int(),
  auc: finite,
  aucGbdt: finite.nullable(),
  aucLinear: finite.nullable(),
  aucResidual: finite.nullable(),
  brier: finite,
  logloss: finite,
});

export const churnModelSchema = z.object({
  schemaVersion: z.literal(CHURN_MODEL_SCHEMA_VERSION),
  modelVersion: z.string().min(1),
  createdAt: z.string().min(1),
  features: z.array(featureSchema).min(1),
  gbdt: z.object({ initScore: finite, learningRate: finite.positive(), trees: z.array(treeSchema) }),
  linear: z.object({
    lambda: finite.positive(),
    intercept: finite,
    columns: z.array(linearColumnSchema),
    weights: z.array(finite),
    means: z.array(finite),
  }),
  blend: z.object({ mode: z.enum(['blend', 'residual']), gbdtWeight: finite.min(0).max(1), linearWeight: finite.min(0).max(1) }),
  calibration: calibratorSchema,
  training: z.object({
    target: z.string(),
    rows: z.int().positive(),
    rowsWithoutTarget: z.int().min(0),
    positiveRate: finite.min(0).max(1),
    droppedColumns: z.array(z.object({ name: z.string(), reason: z.string() })),
    learners: z.enum(['blend', 'gbdt', 'linear']),
    gbdtRounds: z.int().min(0),
    gbdtRoundsPerFold: z.array(z.int().min(0)),
    linearLambda: finite,
    calibrationScores: z.object({ platt: finite, isotonic: finite }),
    seed: finite,
    cv: cvSchema,
  }),
});

// Compile-time guard: what the schema accepts must be a ChurnModel.
const _schemaMatchesModel = (parsed: z.infer<typeof churnModelSchema>): ChurnModel => parsed;
void _schemaMatchesModel;

export type LoadResult = { ok: true; model: ChurnModel } | { ok: false; error: string };

export interface LoadOptions {
  /** Feature names the caller will provide (e.g. the product's customer features); any difference is refused. */
  expectFeatures?: readonly string[];
}

function describePath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '') || '(root)';
}

/** One readable line per issue; for a failed union (leaf or split node) the closest branch's first problem. */
function describeIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[] = []): string {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0];
    const first = closest?.[0];
    if (first) return describeIssue(first, path);
  }
  return `${describePath(path)}: ${issue.message}`;
}

/** Parses and validates a model file (JSON text or an already-parsed object). Never throws. */
export function loadChurnModel(input: unknown, options: LoadOptions = {}): LoadResult {
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (error) {
      return { ok: false, error: `model file is not valid JSON: ${(error as Error).message}` };
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, error: 'model file must hold a JSON object' };
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (version !== CHURN_MODEL_SCHEMA_VERSION) {
    return { ok: false, error: `unsupported model schema version ${JSON.stringify(version)} (this build reads version ${CHURN_MODEL_SCHEMA_VERSION})` };
  }
  const parsed = churnModelSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((issue) => describeIssue(issue));
    const more = parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more problems)` : '';
    return { ok: false, error: `invalid model file: ${issues.join('; ')}${more}` };
  }
  const model: ChurnModel = parsed.data;
  const problem = checkReferences(model) ?? checkExpectedFeatures(model, options.expectFeatures);
  if (problem) return { ok: false, error: `invalid model file: ${problem}` };
  return { ok: true, model };
}

function checkExpectedFeatures(model: ChurnModel, expected: readonly string[] | undefined): string | null {
  if (!expected) return null;
  const have = new Set(model.features.map((f) => f.name));
  const want = new Set(expected);
  const missing = [...want].filter((name) => !have.has(name));
  const extra = [...have].filter((name) => !want.has(name));
  if (missing.length === 0 && extra.length === 0) return null;
  return `feature mismatch: model lacks [${missing.join(', ')}] and has unexpected [${extra.join(', ')}]`;
}

function checkReferences(model: ChurnModel): string | null {
  const d = model.features.length;
  const names = new Set<string>();
  for (const [j, f] of model.features.entries()) {
    if (names.has(f.name)) return `features[${j}]: duplicate feature name "${f.name}"`;
    names.add(f.name);
    if (f.kind === 'numeric') {
      for (let k = 1; k < f.cuts.length; k++) if (!((f.cuts[k] as number) > (f.cuts[k - 1] as number))) return `features[${j}].cuts: not strictly ascending`;
    } else {
      if (new Set(f.levels).size !== f.levels.length) return `features[${j}].levels: duplicate level`;
      if (f.frequencies.length !== f.levels.length + 1) return `features[${j}].frequencies: expected ${f.levels.length + 1} values, found ${f.frequencies.length}`;
    }
  }
  if (model.blend.gbdtWeight > 0 && model.gbdt.trees.length === 0) return 'gbdt.trees: missing trees while the blend gives them weight';
  const { mode, gbdtWeight, linearWeight } = model.blend;
  if (mode === 'blend' && Math.abs(gbdtWeight + linearWeight - 1) > 1e-9) return `blend: weights ${gbdtWeight} + ${linearWeight} must sum to 1`;
  if (mode === 'residual' && (gbdtWeight !== 1 || linearWeight !== 1)) return 'blend: residual mode adds both learners at weight 1';
  for (const [t, tree] of model.gbdt.trees.entries()) {
    const problem = checkTree(tree.nodes, model, d);
    if (problem) return `gbdt.trees[${t}]${problem}`;
  }
  const { columns, weights, means } = model.linear;
  if (weights.length !== columns.length) return `linear.weights: ${weights.length} weights for ${columns.length} columns`;
  if (means.length !== columns.length) return `linear.means: ${means.length} means for ${columns.length} columns`;
  for (const [c, column] of columns.entries()) {
    const spec = model.features[column.feature];
    if (!spec) return `linear.columns[${c}].feature: no feature ${column.feature} (model has ${d})`;
    if (column.kind === 'numeric' && spec.kind !== 'numeric') return `linear.columns[${c}]: numeric column on categorical feature "${spec.name}"`;
    if (column.kind === 'level') {
      if (spec.kind !== 'categorical') return `linear.columns[${c}]: level column on numeric feature "${spec.name}"`;
      if (column.code > spec.levels.length) return `linear.columns[${c}].code: ${column.code} is beyond the ${spec.levels.length + 1} codes of "${spec.name}"`;
    }
  }
  if (model.calibration.kind === 'isotonic') {
    const { x, y } = model.calibration;
    if (x.length !== y.length) return `calibration: ${x.length} knots but ${y.length} values`;
    for (let k = 1; k < x.length; k++) {
      if ((x[k] as number) < (x[k - 1] as number)) return `calibration.x: not ascending at ${k}`;
      if ((y[k] as number) < (y[k - 1] as number)) return `calibration.y: not monotone at ${k}`;
    }
  } else if (model.calibration.slope < 0) return 'calibration.slope: negative (would reverse the ranking)';
  return null;
}

function checkTree(nodes: ChurnModel['gbdt']['trees'][number]['nodes'], model: ChurnModel, d: number): string | null {
  const reached = new Uint8Array(nodes.length);
  reached[0] = 1;
  let splits = 0;
  for (const [k, node] of nodes.entries()) {
    if (!('feature' in node)) continue;
    splits++;
    if (node.left <= k || node.right <= k || node.left >= nodes.length || node.right >= nodes.length || node.left === node.right) {
      return `.nodes[${k}]: child links ${node.left}/${node.right} must point forward to other nodes (tree has ${nodes.length})`;
    }
    if (reached[node.left] || reached[node.right]) return `.nodes[${k}]: a node is reached twice`;
    reached[node.left] = 1;
    reached[node.right] = 1;
    const spec = model.features[node.feature];
    if (!spec) return `.nodes[${k}].feature: no feature ${node.feature} (model has ${d})`;
    if (spec.kind === 'numeric' && node.threshold === undefined) return `.nodes[${k}]: numeric split on "${spec.name}" without a threshold`;
    if (spec.kind === 'categorical') {
      if (!node.categories) return `.nodes[${k}]: categorical split on "${spec.name}" without categories`;
      const bad = node.categories.find((code) => code > spec.levels.length);
      if (bad !== undefined) return `.nodes[${k}].categories: code ${bad} is beyond the ${spec.levels.length + 1} codes of "${spec.name}"`;
    }
  }
  if (!reached.every((r) => r === 1)) return ': has nodes no split points to';
  if (splits > MAX_SPLITS_PER_TREE) return `: ${splits} splits, more than the ${MAX_SPLITS_PER_TREE} the scorer supports`;
  return null;
}
