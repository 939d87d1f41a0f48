import type { Agent } from '@shared/domain/agent';
import type { CustomerScores } from '@shared/domain/customer';
import type { RetentionOffer } from '@shared/domain/offer';
import { primaryDriver } from '@shared/playbook/select';
import { UNKNOWN } from '../store/common/review-sql';
import type { ReviewFact } from '../store/server-store';
import type { CallMeta } from '../routing/router-state';

/** Reasons kept with an outcome as its brief: the ones the pop showed first. */
const BRIEF_REASONS = 3;

/**
 * What the review cuts a new outcome by, as things stand when it is applied:
 * the customer's segment now (it moves with every rescoring), the script the
 * playbook gave for the customer's main churn driver, and how the call came.
 */
export function reviewFact({ agent, scores, meta, offer }: {
  agent: Agent;
  scores: CustomerScores | null;
  meta: CallMeta | undefined;
  offer: RetentionOffer | null;
}): ReviewFact {
  const direction = meta?.kind ?? UNKNOWN;
  return {
    team: agent.team ?? 'none',
    tier: scores?.valueTier ?? UNKNOWN,
    rfm: scores?.rfmSegment ?? UNKNOWN,
    lifecycle: scores?.lifecycleStage ?? UNKNOWN,
    script: scores ? primaryDriver(scores.reasons) : UNKNOWN,
    // Every call is a voice call today; the column is there for chat and messaging.
    channel: 'call',
    direction,
    arm: meta ? (meta.arm ?? 'none') : UNKNOWN,
    offerCost: offer ? offer.monthlyCost * offer.durationMonths : 0,
    brief: {
      churnProbability: scores?.churnProbability ?? null,
      reasons: (scores?.reasons ?? []).slice(0, BRIEF_REASONS).map((r) => r.phrase),
      clv: scores?.clv ?? null,
    },
  };
}
