import type { Agent } from '@shared/domain/agent';
import type { Call } from '@shared/domain/call';
import type { CustomerProfile, CustomerScores } from '@shared/domain/customer';
import type { Interaction, Transaction } from '@shared/domain/interaction';
import type { OutcomeRecord } from '@shared/domain/wrapup';
import type { ChangesPage, SnapshotPage } from '@shared/contract/sync';
import type { OfferStat, Playbook } from '@shared/playbook/playbook';
import type { ProfileEdit } from '@shared/sync/profile-edits';
import type { CanonicalRecord } from '@shared/identity/canonical';

export interface StoredAgent {
  agent: Agent;
  passwordHash: string;
}

/** One wrap-up to apply, with what it changes besides the outcome row. */
export interface OutcomeWrite {
  outcome: OutcomeRecord;
  /** Appended to the customer's history when the outcome is new. */
  interaction: Interaction | null;
  /** Counted in offer learning when the outcome is new. */
  offerStat: { offerId: string; segment: string; accepted: boolean } | null;
}

/** An imported source record as stored: canonical form, content hash, and the customer it was last resolved into. */
export interface StoredSourceRecord {
  record: CanonicalRecord;
  hash: string;
  customerId: string | null;
}

export interface SourceRecordCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * An agent's identity decision, kept forever: the record pairs it added to or
 * removed from the never-link (split) and must-link (confirm, merge) sets.
 * Replaying the decisions in order gives the constraints every resolution honours.
 */
export interface IdentityDecision {
  id: string;
  kind: 'confirm' | 'merge' | 'split';
  actor: string;
  at: string;
  customerIds: string[];
  recordKeys: string[];
  addNeverLink: Array<[string, string]>;
  removeNeverLink: Array<[string, string]>;
  addMustLink: Array<[string, string]>;
  removeMustLink: Array<[string, string]>;
}

export interface CustomerBundle {
  customer: CustomerProfile;
  scores: CustomerScores | null;
  interactions: Interaction[];
}

/**
 * Everything the routing server persists. Asynchronous so that a networked
 * database can stand behind it; the embedded default is SQLite.
 */
export interface ServerStore {
  close(): Promise<void>;

  upsertAgent(agent: Agent, passwordHash: string): Promise<void>;
  agentByUsername(username: string): Promise<StoredAgent | null>;
  listAgents(): Promise<Agent[]>;

  /** Writes a batch of customers with their scores and history in one transaction. */
  upsertCustomers(bundles: readonly (CustomerBundle & { transactions?: Transaction[]; churnLabel?: boolean | null })[]): Promise<void>;
  customerCount(): Promise<number>;
  customerBundle(customerId: string): Promise<CustomerBundle | null>;
  customerIdsByPhone(e164: string): Promise<string[]>;
  customerIdsByAccount(accountId: string): Promise<string[]>;
  appendInteraction(interaction: Interaction): Promise<void>;
  /** Applies a field edit if its clock stamp is newer than the field's (last writer wins per field). */
  applyProfileEdit(edit: Pick<ProfileEdit, 'customerId' | 'field' | 'value' | 'hlc'>): Promise<{ applied: boolean; customer: CustomerProfile | null }>;
  /** Random customers' phone, account and language (for the demo call simulator). */
  sampleCallers(count: number): Promise<{ phone: string; accountId: string; language: string }[]>;

  putPlaybook(playbook: Playbook): Promise<void>;
  /** Publishes a model file to the change feed (desktops receive it as a 'model' change). */
  putModel(kind: string, model: unknown): Promise<void>;
  model(kind: string): Promise<unknown | null>;
  /** Server-private state (e.g. the router's learnt statistics), not in the feed. */
  putDocument(kind: string, data: unknown): Promise<void>;
  document(kind: string): Promise<unknown | null>;
  /** Customers with their scores, highest expected value at risk first (outreach candidates). */
  customersByValueAtRisk(limit: number): Promise<{ customer: CustomerProfile; scores: CustomerScores }[]>;
  playbook(): Promise<Playbook | null>;
  bumpOfferStat(offerId: string, segment: string, accepted: boolean): Promise<OfferStat>;
  offerStats(): Promise<OfferStat[]>;

  saveCall(call: Call): Promise<void>;
  /** Whether a call with this id was ever saved (any state): call ids are never reused. */
  callExists(callId: string): Promise<boolean>;
  openCalls(): Promise<Call[]>;

  /** Applies a wrap-up once: returns false when its id was already applied. */
  insertOutcome(outcome: OutcomeRecord): Promise<boolean>;
  /**
   * Applies a batch of wrap-ups in one transaction (one durable commit), in
   * order; each id at most once. Returns, per item, whether it was new.
   */
  applyOutcomes(writes: readonly OutcomeWrite[]): Promise<boolean[]>;
  recentOutcomes(limit: number): Promise<OutcomeRecord[]>;
  outcomeTotals(sinceIso: string): Promise<{ agentId: string; calls: number; saves: number }[]>;

  lastSeq(): Promise<number>;
  changesAfter(afterSeq: number, limit: number): Promise<ChangesPage>;
  snapshotPage(cursor: string | null, limit: number): Promise<SnapshotPage>;
  /** The same page in its wire form, spliced from the stored rows without parsing them (the cold-sync path). */
  snapshotPageJson(cursor: string | null, limit: number): Promise<string>;

  /**
   * Stores source records by (source, record_id); a record whose content hash
   * is already stored is left alone, so re-importing changes nothing. A
   * record's customer id is kept unless the entry gives one. Counts per entry.
   */
  upsertSourceRecords(entries: readonly { record: CanonicalRecord; hash: string; customerId?: string | null }[]): Promise<SourceRecordCounts>;
  /** Every stored source record, in (source, record_id) order. */
  sourceRecords(): Promise<StoredSourceRecord[]>;
  /** Records which customer each source record resolved into (null: linked to no customer). */
  assignSourceRecords(assignments: readonly { source: string; recordId: string; customerId: string | null }[]): Promise<void>;
  /** Appends an identity decision; a decision id already stored is ignored. */
  addIdentityDecision(decision: IdentityDecision): Promise<void>;
  /** Every identity decision, oldest first. */
  identityDecisions(): Promise<IdentityDecision[]>;
  /** The customers with these ids that exist (any order). */
  customersByIds(ids: readonly string[]): Promise<CustomerProfile[]>;

  /** How many customers have a known churn outcome (training labels), and how many of those churned. */
  churnLabelCounts(): Promise<{ labelled: number; churned: number }>;
  /**
   * What (re)scoring needs, one page of customers in id order: each with its
   * churn label (null when unknown), current scores, interactions and
   * transactions (only `transactionKinds` when given). One consistent read.
   */
  scoringInputs(cursor: string | null, limit: number, options?: { transactionKinds?: readonly Transaction['kind'][] }): Promise<ScoringInputPage>;
  /** The same read for the customers with these ids that exist (any order): rescoring a few after their data changed. */
  scoringInputsFor(ids: readonly string[], options?: { transactionKinds?: readonly Transaction['kind'][] }): Promise<ScoringInput[]>;
  /**
   * Writes scores in one transaction, each one a change in the feed. Scores
   * for customers the store does not have are skipped; repeats of a customer
   * in one batch fold to the last. Returns how many were written.
   */
  putScores(scores: readonly CustomerScores[]): Promise<number>;
}

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
