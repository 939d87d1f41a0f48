import type { Call } from '@shared/domain/call';

/** Call records, kept for restarts (open calls) and so that call ids are never reused. Not in the feed. */
export interface CallStore {
  saveCall(call: Call): Promise<void>;
  /** Whether a call with this id was ever saved (any state): call ids are never reused. */
  callExists(callId: string): Promise<boolean>;
  openCalls(): Promise<Call[]>;
}
