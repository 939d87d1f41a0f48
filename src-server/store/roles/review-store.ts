import type { ReviewCounts, ReviewDimension, ReviewFilter, ReviewGrain, StoredVerdict } from '@shared/contract/review';

/**
 * What the review needs of an outcome besides the wrap-up itself, taken when
 * it is applied (the customer's segment then, not now): written beside the
 * outcome in the same transaction. Unknown values are stored as 'unknown'.
 */
export interface ReviewFact {
  team: string;
  tier: string;
  rfm: string;
  lifecycle: string;
  /** The churn driver whose script the agent had on screen. */
  script: string;
  channel: string;
  /** 'inbound' or 'outreach'. */
  direction: string;
  /** The routing arm ('policy', 'baseline'), 'none' for outreach. */
  arm: string;
  /** What the offer costs if accepted (monthly cost x months); 0 without an offer. */
  offerCost: number;
  brief: { churnProbability: number | null; reasons: string[]; clv: number | null };
}

/** One outcome row as the drill-down and the export read it. */
export interface ReviewRow {
  outcomeId: string;
  receivedAt: string;
  /** The stored outcome record (JSON text). */
  data: string;
  team: string;
  tier: string;
  rfm: string;
  lifecycle: string;
  script: string;
  channel: string;
  direction: string;
  arm: string;
  offerCost: number;
  /** JSON text of ReviewFact['brief']. */
  brief: string;
  verdict: StoredVerdict;
}

export interface ReviewPageRequest {
  /** Only claimed saves, or every retention call. */
  savesOnly: boolean;
  /** Keyset position: rows strictly before (receivedAt, outcomeId), newest first. */
  before: { receivedAt: string; outcomeId: string } | null;
  limit: number;
}

/** A customer followed by the cohort view: when they were contacted and when they were last active. */
export interface CohortMember { customerId: string; contactAt: string; lastActiveAt: string | null }

/**
 * The supervisor's retention review. Figures of a whole range come from daily
 * rollups (one row per day and value of each cut) when no cut is filtered, and
 * from the facts table otherwise; both are kept in the outcome's transaction.
 */
export interface ReviewStore {
  /** Counts of the filter's range and of the previous range (`before`), in one pass. */
  reviewTotals(filter: ReviewFilter, before: { from: string; to: string }): Promise<{ current: ReviewCounts; before: ReviewCounts }>;
  /** Counts per day or ISO week (by its Monday); periods without outcomes are left out. */
  reviewTrend(filter: ReviewFilter, grain: ReviewGrain): Promise<{ period: string; counts: ReviewCounts }[]>;
  /** Counts per value of one cut, over the range and the previous range. */
  reviewCut(filter: ReviewFilter, dimension: ReviewDimension, before: { from: string; to: string }): Promise<{ key: string; current: ReviewCounts; before: ReviewCounts }[]>;
  /** One page of the retention calls behind a number, newest first. */
  reviewCalls(filter: ReviewFilter, page: ReviewPageRequest): Promise<ReviewRow[]>;
  /**
   * Records outcomes' verdicts at the learning horizon (the verified-outcomes
   * job sends them) and moves the rollups' verified counts with them, in one
   * transaction. Unknown outcomes and unchanged verdicts are skipped; returns
   * how many facts changed.
   */
  recordVerdicts(verdicts: readonly { outcomeId: string; verdict: StoredVerdict }[]): Promise<number>;
  /**
   * Customers with a claimed save in the range (first save = contact), from the range's first `limit`
   * saves (the oldest: they have been followed longest); `sampled` when there were more.
   */
  cohortSaved(filter: ReviewFilter, limit: number): Promise<{ members: CohortMember[]; sampled: boolean }>;
  /** High-risk customers with no outcome and no contact in the range (contact = range start), the first `limit` by id. */
  cohortUntouched(filter: ReviewFilter, limit: number): Promise<{ members: CohortMember[]; sampled: boolean }>;
  /** Recounts the daily rollups from the facts (after a bulk load or a repair). */
  rebuildReviewRollups(): Promise<void>;
}
