import type { Intent } from '@shared/domain/call';
import type { CustomerScores } from '@shared/domain/customer';

/**
 * What routing knows about a call besides its language: the skills its
 * intent needs, and the customer's scores that drive priority and matching.
 *
 * Intent to required skills (an agent needs every one of them):
 *   cancellation -> retention    (a save attempt: only retention-trained agents)
 *   plan_change  -> retention    (most plan changes are downgrades, a churn signal)
 *   billing      -> billing
 *   technical    -> technical
 *   general      -> (none)       (anyone who speaks the language)
 */
export const INTENT_SKILLS: Readonly<Record<Intent, readonly string[]>> = {
  cancellation: ['retention'],
  plan_change: ['retention'],
  billing: ['billing'],
  technical: ['technical'],
  general: [],
};

/** Segment of a caller nobody has scored (unknown caller, or scores not computed yet). */
export const UNSCORED_SEGMENT = 'unscored';

/**
 * The "kind of customer" agents are judged on: value tier x churn band, e.g.
 * "high-medium". Few enough segments (9) that every agent builds history in
 * each, fine enough that "keeps high-value, high-risk customers" is its own cell.
 */
export function segmentOf(scores: Pick<CustomerScores, 'valueTier' | 'churnBand'> | null): string {
  return scores ? `${scores.valueTier}-${scores.churnBand}` : UNSCORED_SEGMENT;
}

/**
 * Where outbound (outreach) outcomes are learnt: the same agent x segment
 * cells, but under segments of their own. An outbound save is a different
 * event (the customer did not call to leave; the agent reached them first,
 * and who calls whom follows idle time, not the routing arms), so mixing
 * them into the inbound cells would move the predictive policy's inbound
 * estimates and segment priors with calls the baseline arm never gets, and
 * bias the inbound uplift comparison.
 */
export function outboundSegment(segment: string): string {
  return `outbound:${segment}`;
}

export interface CallAttributes {
  requiredSkills: string[];
  segment: string;
  churnRisk: number;
  /** Customer lifetime value (never negative for routing). */
  clv: number;
  /** Expected value lost if the customer leaves: orders the queue. */
  valueAtRisk: number;
}

/** `left`: billing says the customer has gone, so nothing is at risk any more and the call waits its turn. */
export function callAttributes(intent: Intent, scores: CustomerScores | null, left = false): CallAttributes {
  return {
    requiredSkills: [...INTENT_SKILLS[intent]],
    segment: segmentOf(scores),
    churnRisk: scores ? clamp01(scores.churnProbability) : 0,
    clv: scores ? Math.max(0, finiteOr(scores.clv, 0)) : 0,
    valueAtRisk: scores && !left ? Math.max(0, finiteOr(scores.valueAtRisk, 0)) : 0,
  };
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

function finiteOr(x: number, fallback: number): number {
  return Number.isFinite(x) ? x : fallback;
}
