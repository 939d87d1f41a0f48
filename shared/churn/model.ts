import type { Calibrator } from './calibration';
import type { LinearModel } from './linear';
import type { DroppedColumn, FeatureSpec } from './schema';
import type { Tree } from './tree';

/** Bump when the stored shape changes; the loader refuses other versions. */
export const CHURN_MODEL_SCHEMA_VERSION = 1;

export interface CrossValidationSummary {
  /** Inner folds used to choose the blend, the L2 strength, the tree count and the calibration. */
  folds: number;
  /** Out-of-fold ROC-AUC of the blend and of each learner alone (training data only). */
  auc: number;
  aucGbdt: number | null;
  aucLinear: number | null;
  /** Linear model with trees boosted on its residual (only when both learners are trained). */
  aucResidual: number | null;
  /** Cross-fitted calibrated Brier score and log-loss of the out-of-fold blend. */
  brier: number;
  logloss: number;
}

export interface TrainingMetadata {
  target: string;
  rows: number;
  rowsWithoutTarget: number;
  positiveRate: number;
  droppedColumns: DroppedColumn[];
  learners: 'blend' | 'gbdt' | 'linear';
  gbdtRounds: number;
  /** Early-stopping round chosen in each inner fold. */
  gbdtRoundsPerFold: number[];
  linearLambda: number;
  calibrationScores: { platt: number; isotonic: number };
  seed: number;
  cv: CrossValidationSummary;
}

/**
 * How the two learners combine in log-odds: 'blend' is w * trees + (1 - w) *
 * linear; 'residual' is linear + trees, the trees having been boosted on top of
 * the linear margin (initScore 0). Stored as the two weights either way.
 */
export interface Combination {
  mode: 'blend' | 'residual';
  gbdtWeight: number;
  linearWeight: number;
}

/**
 * The trained churn model as stored on disk: margin = gbdtWeight * (gbdt
 * margin) + linearWeight * (linear margin), probability = calibration(margin).
 * Everything is additive per feature in margin space, which is what makes the
 * reasons exact.
 */
export interface ChurnModel {
  schemaVersion: typeof CHURN_MODEL_SCHEMA_VERSION;
  modelVersion: string;
  createdAt: string;
  features: FeatureSpec[];
  gbdt: { initScore: number; learningRate: number; trees: Tree[] };
  linear: LinearModel;
  blend: Combination;
  calibration: Calibrator;
  training: TrainingMetadata;
}
