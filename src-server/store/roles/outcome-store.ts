import type { Interaction } from '@shared/domain/interaction';
import type { OutcomeRecord } from '@shared/domain/wrap-up';
import type { ReviewFact } from './review-store';

/** One wrap-up to apply, with what it changes besides the outcome row. */
export interface OutcomeWrite {
  outcome: OutcomeRecord;
  /** Appended to the customer's history when the outcome is new. */
  interaction: Interaction | null;
  /** Counted in offer learning when the outcome is new. */
  offerStat: { offerId: string; segment: string; accepted: boolean } | null;
  /** What the retention review cuts the outcome by; without it, what the outcome itself says. */
  review?: ReviewFact;
}

/** Wrap-up outcomes, each applied exactly once. */
export interface OutcomeStore {
  /** Applies a wrap-up once: returns false when its id was already applied. */
  insertOutcome(outcome: OutcomeRecord): Promise<boolean>;
  /**
   * Applies a batch of wrap-ups in one transaction (one durable commit), in
   * order; each id at most once. Returns, per item, whether it was new.
   */
  applyOutcomes(writes: readonly OutcomeWrite[]): Promise<boolean[]>;
  /** Which of these wrap-up ids are applied already, with whose call each was about. */
  appliedOutcomes(ids: readonly string[]): Promise<Map<string, { agentId: string; callId: string }>>;
  recentOutcomes(limit: number): Promise<OutcomeRecord[]>;
  outcomeTotals(sinceIso: string): Promise<{ agentId: string; calls: number; saves: number }[]>;
}
