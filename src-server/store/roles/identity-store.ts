import type { CanonicalRecord } from '@shared/identity/canonical';

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

/** What identity resolution keeps: source records and agents' decisions. Server-private, not in the feed. */
export interface IdentityStore {
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
}
