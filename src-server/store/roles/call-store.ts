import type { Call } from '@shared/domain/call';

/** Call records, kept for restarts (open calls) and so that call ids are never reused. Not in the feed. */
export interface CallStore {
  saveCall(call: Call): Promise<void>;
  /** Whether a call with this id was ever saved (any state): call ids are never reused. */
  callExists(callId: string): Promise<boolean>;
  openCalls(): Promise<Call[]>;
  /** The record of one call (any state), or null: whose call it was and whose customer, for a wrap-up that arrives late. */
  callRecord(callId: string): Promise<Call | null>;
}
