import { hashString } from '@shared/util/random';
import { binColumns, binLayout } from './binning';
import { chooseCalibration } from './calibration';
import { encodeColumns } from './encode';
import { foldIndices, stratifiedFolds } from './folds';
import type { BinnedData, GbdtParams } from './gbdt';
import { GBDT_DEFAULTS, trainGbdt } from './gbdt';
import { columnMeans, designRows, fitLogistic, linearColumns, linearMargins, sparseDesign } from './linear';
import type { LinearFit } from './linear';
import { logLossFromMargins, rocAuc } from './metrics';
import type { ChurnModel } from './model';
import { CHURN_MODEL_SCHEMA_VERSION } from './model';
import type { SchemaOptions } from './schema';
import { detectSchema } from './schema';
import { parseTargetColumn } from './target';

/**
 * Training pipeline, with every choice made from the training rows alone, on
 * inner stratified k-fold out-of-fold (OOF) predictions:
 * 1. L2 logistic regression along a strength grid (warm-started); the
 *    strength with the lowest OOF log-loss wins;
 * 2. per fold, GBDT early-stopped on a further 10% split of the fold's
 *    training rows: trees alone, and trees boosted on top of the fold's
 *    linear margin (linear + residual trees);
 * 3. the combination with the lowest OOF log-loss: a log-odds blend
 *    w * trees + (1 - w) * linear (w on a grid of 0.05) or linear + residual
 *    trees; then the calibration (Platt vs isotonic) on the chosen OOF margins;
 * 4. refit on all rows (trees: mean early-stopped round count of that kind).
 * Either combination is additive per feature in log-odds, so reasons stay exact.
 * Bad targets throw TargetError, unusable data ChurnTrainingError, both with
 * a message that names the problem.
 */

export class ChurnTrainingError extends Error {
  override name = 'ChurnTrainingError';
}

export interface TrainOptions extends SchemaOptions {
  seed?: number;
  /** 'blend' (default) trains both learners; the others force the blend weight (for comparisons). */
  learners?: 'blend' | 'gbdt' | 'linear';
  innerFolds?: number;
  gbdt?: Partial<GbdtParams>;
  /** L2 strengths tried for the logistic regression (on the summed log-loss). */
  lambdaGrid?: readonly number[];
  modelVersion?: string;
  createdAt?: string;
  onProgress?: (message: string) => void;
}

export const DEFAULT_LAMBDA_GRID: readonly number[] = [1000, 300, 100, 30, 10, 3, 1, 0.3, 0.1, 0.03, 0.01];
const BLEND_STEPS = 20;
/** L2 strength of the (zero-weighted) linear part when only trees are trained. */
const UNUSED_LAMBDA = 1e6;
const EARLY_STOPPING_SHARE = 0.1;

export function trainChurnModel(rows: readonly Record<string, unknown>[], target: string, options: TrainOptions = {}): ChurnModel {
  const seed = options.seed ?? 0;
  const learners = options.learners ?? 'blend';
  const progress = options.onProgress ?? (() => {});
  const lambdaGrid = [...(options.lambdaGrid ?? DEFAULT_LAMBDA_GRID)].sort((a, b) => b - a);

  const parsed = parseTargetColumn(rows, target);
  const labelled = parsed.rowIndex.map((i) => rows[i] as Record<string, unknown>);
  const labels = parsed.labels;
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] as number;
  const negatives = n - positives;
  const innerFolds = options.innerFolds ?? (n > 20_000 ? 3 : 5);
  if (Math.min(positives, negatives) < Math.max(innerFolds, 5)) {
    throw new ChurnTrainingError(`need at least ${Math.max(innerFolds, 5)} churned and ${Math.max(innerFolds, 5)} retained rows; got ${positives} churned and ${negatives} retained`);
  }

  const schema = detectSchema(labelled, target, options);
  if (schema.features.length === 0) throw new ChurnTrainingError('no usable feature columns (every column was dropped: ' + schema.dropped.map((c) => `${c.name}: ${c.reason}`).join('; ') + ')');
  const features = schema.features;
  const d = features.length;
  progress(`training on ${n} rows, ${d} features (${features.filter((f) => f.kind === 'categorical').length} categorical); dropped: ${schema.dropped.map((c) => `${c.name} (${c.reason})`).join(', ') || 'none'}`);

  const encoded = encodeColumns(features, labelled);
  const bins = binColumns(features, encoded, n);
  const layout = binLayout(features);
  const columns = linearColumns(features);
  const design = sparseDesign(columns, d, encoded, n);
  const useGbdt = learners !== 'linear';
  const useLinear = learners !== 'gbdt';

  const folds = stratifiedFolds(labels, innerFolds, `${seed}:inner`);
  const foldSplits = Array.from({ length: innerFolds }, (_, fold) => foldIndices(folds, fold));

  // Pass 1: the logistic regression's L2 strength, by out-of-fold log-loss along the path.
  const oofLinearPath = lambdaGrid.map(() => new Float64Array(n));
  if (useLinear) {
    for (const { train, test } of foldSplits) {
      const trainDesign = designRows(design, train);
      const testDesign = designRows(design, test);
      const trainLabels = pick(labels, train);
      let warm: LinearFit | undefined;
      lambdaGrid.forEach((lambda, g) => {
        warm = fitLogistic(trainDesign, trainLabels, lambda, warm);
        scatter(oofLinearPath[g] as Float64Array, test, linearMargins(testDesign, warm));
      });
    }
  }
  let lambdaIndex = 0;
  if (useLinear) {
    let bestLoss = Number.POSITIVE_INFINITY;
    oofLinearPath.forEach((margins, g) => {
      const loss = logLossFromMargins(labels, margins);
      if (loss < bestLoss) {
        bestLoss = loss;
        lambdaIndex = g;
      }
    });
  }
  const lambda = useLinear ? (lambdaGrid[lambdaIndex] as number) : UNUSED_LAMBDA;
  const oofLinear = oofLinearPath[lambdaIndex] as Float64Array;
  if (useLinear) progress(`logistic regression: L2 ${lambda}, out-of-fold AUC ${rocAuc(labels, oofLinear).toFixed(4)}`);

  // Pass 2: trees alone, and (for the blend) trees boosted on top of the linear margin.
  const tryResidual = learners === 'blend';
  const oofGbdt = new Float64Array(n);
  const oofResidual = new Float64Array(n);
  const roundsPerFold: number[] = [];
  const residualRoundsPerFold: number[] = [];
  if (useGbdt) {
    foldSplits.forEach(({ train, test }, fold) => {
      const trainLabels = pick(labels, train);
      const stop = stratifiedFolds(trainLabels, Math.round(1 / EARLY_STOPPING_SHARE), `${seed}:stop:${fold}`);
      const fit = train.filter((_, k) => stop[k] !== 0);
      const valid = train.filter((_, k) => stop[k] === 0);
      const sets = { train: subsetBinned(bins, labels, n, d, fit), valid: subsetBinned(bins, labels, n, d, valid), score: subsetBinned(bins, labels, n, d, test) };
      const plain = trainGbdt({ features, layout, ...sets, params: options.gbdt, seed: `${seed}:gbdt:${fold}` });
      roundsPerFold.push(plain.bestRounds);
      scatter(oofGbdt, test, plain.scoreMargins as Float64Array);
      if (tryResidual) {
        const linearFit = fitLogistic(designRows(design, train), trainLabels, lambda);
        const offsets = { train: linearMargins(designRows(design, fit), linearFit), valid: linearMargins(designRows(design, valid), linearFit), score: linearMargins(designRows(design, test), linearFit) };
        const residual = trainGbdt({ features, layout, ...sets, offsets, params: options.gbdt, seed: `${seed}:residual:${fold}` });
        residualRoundsPerFold.push(residual.bestRounds);
        scatter(oofResidual, test, residual.scoreMargins as Float64Array);
      }
      progress(`inner fold ${fold + 1}/${innerFolds}: trees stopped at ${plain.bestRounds}${tryResidual ? `, on top of the linear model at ${residualRoundsPerFold[fold]}` : ''}`);
    });
  }

  // The combination with the lowest out-of-fold log-loss: a log-odds blend (weight on a grid) or linear + residual trees.
  let combination: ChurnModel['blend'] = { mode: 'blend', gbdtWeight: learners === 'gbdt' ? 1 : 0, linearWeight: learners === 'gbdt' ? 0 : 1 };
  let oofFinal = learners === 'gbdt' ? oofGbdt : oofLinear;
  if (learners === 'blend') {
    let bestLoss = Number.POSITIVE_INFINITY;
    for (let s = 0; s <= BLEND_STEPS; s++) {
      const w = s / BLEND_STEPS;
      const blended = blendMargins(oofGbdt, oofLinear, w);
      const loss = logLossFromMargins(labels, blended);
      if (loss < bestLoss - 1e-12) {
        bestLoss = loss;
        combination = { mode: 'blend', gbdtWeight: w, linearWeight: 1 - w };
        oofFinal = blended;
      }
    }
    const residualLoss = logLossFromMargins(labels, oofResidual);
    progress(`out-of-fold log-loss: best blend ${bestLoss.toFixed(5)} (gbdt weight ${combination.gbdtWeight}), linear + residual trees ${residualLoss.toFixed(5)}`);
    if (residualLoss < bestLoss) {
      combination = { mode: 'residual', gbdtWeight: 1, linearWeight: 1 };
      oofFinal = oofResidual;
    }
  }
  const calibration = chooseCalibration(oofFinal, labels, seed);
  progress(`chosen: ${combination.mode} (gbdt ${combination.gbdtWeight}, linear ${combination.linearWeight}), calibration ${calibration.calibrator.kind}; out-of-fold AUC ${rocAuc(labels, oofFinal).toFixed(4)}`);

  // Refit on every row; the tree count is the mean early-stopped count of the chosen kind.
  const residualMode = combination.mode === 'residual';
  const foldRounds = residualMode ? residualRoundsPerFold : roundsPerFold;
  const rounds = combination.gbdtWeight > 0 ? Math.max(1, Math.round(foldRounds.reduce((s, r) => s + r, 0) / foldRounds.length)) : 0;
  const finalLinear = fitLogistic(design, labels, lambda);
  const all = Array.from({ length: n }, (_, i) => i);
  const finalGbdt =
    rounds > 0
      ? trainGbdt({
          features,
          layout,
          train: subsetBinned(bins, labels, n, d, all),
          offsets: residualMode ? { train: linearMargins(design, finalLinear) } : undefined,
          params: options.gbdt,
          rounds,
          seed: `${seed}:gbdt:final`,
        })
      : null;
  const createdAt = options.createdAt ?? new Date().toISOString();

  const model: ChurnModel = {
    schemaVersion: CHURN_MODEL_SCHEMA_VERSION,
    modelVersion: '',
    createdAt,
    features,
    gbdt: {
      initScore: finalGbdt?.initScore ?? 0,
      learningRate: { ...GBDT_DEFAULTS, ...options.gbdt }.learningRate,
      trees: finalGbdt?.trees ?? [],
    },
    linear: {
      lambda,
      intercept: finalLinear.intercept,
      columns,
      weights: Array.from(finalLinear.weights),
      means: columnMeans(design),
    },
    blend: combination,
    calibration: calibration.calibrator,
    training: {
      target,
      rows: n,
      rowsWithoutTarget: parsed.missing,
      positiveRate: positives / n,
      droppedColumns: schema.dropped,
      learners,
      gbdtRounds: rounds,
      gbdtRoundsPerFold: foldRounds,
      linearLambda: lambda,
      calibrationScores: calibration.scores,
      seed,
      cv: {
        folds: innerFolds,
        auc: rocAuc(labels, oofFinal),
        aucGbdt: useGbdt ? rocAuc(labels, oofGbdt) : null,
        aucLinear: useLinear ? rocAuc(labels, oofLinear) : null,
        aucResidual: tryResidual ? rocAuc(labels, oofResidual) : null,
        brier: calibration.brier,
        logloss: calibration.logloss,
      },
    },
  };
  model.modelVersion = options.modelVersion ?? defaultModelVersion(model);
  return model;
}

/** "churn-<date>-<content hash>": stable for identical training output, different otherwise. */
function defaultModelVersion(model: ChurnModel): string {
  const digest = hashString(JSON.stringify({ f: model.features, g: model.gbdt, l: model.linear, b: model.blend, c: model.calibration })).toString(16).padStart(8, '0');
  return `churn-${model.createdAt.slice(0, 10).replaceAll('-', '')}-${digest}`;
}

function blendMargins(gbdt: Float64Array, linear: Float64Array, w: number): Float64Array {
  const out = new Float64Array(gbdt.length);
  for (let i = 0; i < out.length; i++) out[i] = w * (gbdt[i] as number) + (1 - w) * (linear[i] as number);
  return out;
}

function scatter(target: Float64Array, index: readonly number[], values: Float64Array): void {
  index.forEach((i, k) => (target[i] = values[k] as number));
}

function pick(labels: Uint8Array, index: readonly number[]): Uint8Array {
  return Uint8Array.from(index, (i) => labels[i] as number);
}

function subsetBinned(bins: Uint16Array, labels: Uint8Array, n: number, d: number, index: readonly number[]): BinnedData {
  const m = index.length;
  const out = new Uint16Array(m * d);
  for (let j = 0; j < d; j++) {
    const from = j * n;
    const to = j * m;
    for (let k = 0; k < m; k++) out[to + k] = bins[from + (index[k] as number)] as number;
  }
  return { bins: out, n: m, labels: pick(labels, index) };
}
