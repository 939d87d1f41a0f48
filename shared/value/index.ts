/**
 * Customer value: BG/NBD (repeat purchases) + Gamma-Gamma (spend) -> CLV,
 * value tiers, RFM segments, lifecycle stage and value at risk.
 * Time is in weeks throughout.
 */
export { repeatSummarySchema, spendSummarySchema, WEEKS_PER_YEAR, DAYS_PER_WEEK } from './summary';
export type { RepeatSummary, SpendSummary } from './summary';
export {
  bgNbdParamsSchema,
  fitBgNbd,
  bgNbdLogLikelihood,
  bgNbdCustomerLogLikelihood,
  probabilityAlive,
  conditionalExpectedTransactions,
  expectedTransactions,
} from './bgnbd';
export type { BgNbdParams, BgNbdFit } from './bgnbd';
export {
  gammaGammaParamsSchema,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  conditionalExpectedSpend,
  populationMeanSpend,
} from './gamma-gamma';
export type { GammaGammaParams, GammaGammaFit } from './gamma-gamma';
export { VALUE_MODEL_FAMILY, valueModelSchema, fitValueModel, valueModelVersion } from './model';
export type { ValueModel } from './model';
export { customerClv, clvOptionsSchema, resolveClvOptions } from './clv';
export type { ClvOptions, CustomerClv, CustomerValueInput, ValueModelParams } from './clv';
export { assignValueTiers, valueTierThresholds, tierForClv, tierConfigSchema } from './tiers';
export type { TierConfig, TierThresholds, TierAssignment } from './tiers';
export { rfmScores, rfmSegment, quintileScores, RFM_SEGMENTS, rfmSegmentSchema } from './rfm';
export type { RfmInput, RfmScore, RfmSegment, Score } from './rfm';
export { lifecycleStage, activityTrend, LIFECYCLE_STAGES, lifecycleStageSchema, lifecycleConfigSchema } from './lifecycle';
export type { LifecycleStage, LifecycleConfig, LifecycleInput } from './lifecycle';
export { valueAtRisk } from './risk';
export { parseTransactions, parseDay, formatDay, detectDelimiter, splitLine, TransactionTableError } from './transactions';
export type { Transaction, BadRow, ParsedTransactions, TransactionColumns, Delimiter } from './transactions';
export { buildCohort, mergeSameDay } from './cohort';
export type { CohortCustomer, CohortOptions } from './cohort';
export { evaluateHoldout, pearson } from './holdout';
export type { HoldoutEntry, HoldoutReport, FrequencyRow } from './holdout';
export { simulateBgNbdCustomer, simulateMeanSpend, sampleGamma, sampleBeta } from './simulate';
export type { SimulatedCustomer, RandomSource } from './simulate';
