import type { CustomerProfile, CustomerScores } from '@shared/domain/customer';
import type { Interaction, Transaction } from '@shared/domain/interaction';

/** One customer as the scoring pipeline reads it. */
export interface ScoringInput {
  customer: CustomerProfile;
  churnLabel: boolean | null;
  scores: CustomerScores | null;
  interactions: Interaction[];
  transactions: Transaction[];
}

export interface ScoringInputPage {
  rows: ScoringInput[];
  /** Pass back to read the next page; null after the last. */
  nextCursor: string | null;
}

export interface ScoringReadOptions {
  /** Only transactions of these kinds (all when absent). */
  transactionKinds?: readonly Transaction['kind'][];
}

/** What training and (re)scoring read, and the scores they write. */
export interface ScoringStore {
  /** How many customers have a known churn outcome (training labels), and how many of those churned. */
  churnLabelCounts(): Promise<{ labelled: number; churned: number }>;
  /**
   * What (re)scoring needs, one page of customers in id order: each with its
   * churn label (null when unknown), current scores, interactions and
   * transactions (only `transactionKinds` when given). One consistent read.
   */
  scoringInputs(cursor: string | null, limit: number, options?: ScoringReadOptions): Promise<ScoringInputPage>;
  /** The same read for the customers with these ids that exist (any order): rescoring a few after their data changed. */
  scoringInputsFor(ids: readonly string[], options?: ScoringReadOptions): Promise<ScoringInput[]>;
  /**
   * Writes scores in one transaction, each one a change in the feed. Scores
   * for customers the store does not have are skipped; repeats of a customer
   * in one batch fold to the last. Returns how many were written.
   */
  putScores(scores: readonly CustomerScores[]): Promise<number>;
}
