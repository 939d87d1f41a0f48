import type { ChurnScore } from '@shared/churn';
import { customerScoresSchema, type CustomerScores } from '@shared/domain/customer';
import { valueAtRisk } from '@shared/value';

/**
 * A reason must move the log-odds by at least this much to be shown: 0.01 is
 * about a quarter of a percentage point of churn probability, which no agent
 * should build a conversation on.
 */
export const MIN_REASON_WEIGHT = 0.01;

export const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** What scoring a customer produced, before it is rounded and shaped into the record desktops receive. */
export interface ScoredParts {
  customerId: string;
  churn: ChurnScore;
  clv: number;
  valueTier: CustomerScores['valueTier'];
  valueModel: string;
  scoredAt: string;
  churnModelTrainedAt?: string;
  churnAtLastContact: CustomerScores['churnAtLastContact'];
  previousChurn?: CustomerScores['previousChurn'];
  rfm?: Pick<CustomerScores, 'rfm' | 'rfmSegment'>;
  lifecycle?: { lifecycleStage: NonNullable<CustomerScores['lifecycleStage']>; pAlive: number };
}

/**
 * The one way a customer's scores are written, by the book scorer and by
 * per-customer rescoring alike; checked against the same contract desktops
 * apply to the feed, so a NaN or a bad field fails here, before anything is stored.
 */
export function scoresRecord(parts: ScoredParts): CustomerScores {
  const { churn } = parts;
  return customerScoresSchema.parse({
    customerId: parts.customerId,
    churnProbability: round(churn.probability, 4),
    churnBand: churn.band,
    reasons: churn.reasons.filter((r) => r.weight >= MIN_REASON_WEIGHT).map((r) => ({ ...r, weight: round(r.weight, 4) })),
    churnModel: churn.modelVersion,
    clv: round(parts.clv, 2),
    valueTier: parts.valueTier,
    valueModel: parts.valueModel,
    valueAtRisk: round(valueAtRisk(churn.probability, parts.clv), 2),
    scoredAt: parts.scoredAt,
    ...(parts.churnModelTrainedAt !== undefined ? { churnModelTrainedAt: parts.churnModelTrainedAt } : {}),
    churnAtLastContact: parts.churnAtLastContact,
    ...(parts.previousChurn ? { previousChurn: parts.previousChurn } : {}),
    ...(parts.rfm ?? {}),
    ...(parts.lifecycle ? { lifecycleStage: parts.lifecycle.lifecycleStage, pAlive: round(parts.lifecycle.pAlive, 4) } : {}),
  } satisfies CustomerScores);
}
