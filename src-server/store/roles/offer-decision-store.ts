import type { OfferDecision } from '@shared/domain/offer-decision';

/** The offer learner's decisions with their propensities (server-private, not in the feed). */
export interface OfferDecisionStore {
  /** Logs a call's decision once: false when the call already has one (the first stands). */
  logOfferDecision(decision: OfferDecision): Promise<boolean>;
  /** Decisions made at or after a time, oldest first. */
  offerDecisions(sinceIso: string): Promise<OfferDecision[]>;
}
