/**
 * Holdfast churn model: train (GBDT + L2 logistic regression blended in
 * log-odds, calibrated on out-of-fold predictions), store as versioned JSON,
 * and score with exact per-feature reasons.
 */
export { trainChurnModel, ChurnTrainingError } from './train';
export type { TrainOptions } from './train';
export { loadChurnModel, churnModelSchema } from './model-file';
export type { LoadOptions, LoadResult } from './model-file';
export { createScorer, churnBandFor, CHURN_BAND_CUTOFFS } from './scorer';
export type { ChurnExplanation, ChurnScore, ChurnScorer, ScorerOptions } from './scorer';
export { customerFeatureRow, CUSTOMER_FEATURES } from './customer-features';
export type { CustomerFeatureName, CustomerFeatureRow } from './customer-features';
export { CHURN_MODEL_SCHEMA_VERSION } from './model';
export type { ChurnModel, TrainingMetadata } from './model';
export { parseTargetValue, TargetError } from './target';
export { brierScore, logLoss, rocAuc } from './metrics';
export { stratifiedFolds } from './folds';
