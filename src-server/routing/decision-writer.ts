import type { Call } from '@shared/domain/call';

/**
 * Where a routing authority in a cluster writes its decisions (cluster/fenced-decisions.ts).
 * A single server has none: it writes straight to its store.
 */
export interface DecisionWriter {
  /** Queues a call record to store (kept in order: the latest state of each call wins). */
  saveCall(call: Call): void;
  /** Runs `run` once every call record queued before it is stored; never, if the writer was fenced off. */
  afterSaved(run: () => void): void;
  /** Resolves once every call record queued so far is stored; rejects if the writer was fenced off. */
  stored(): Promise<void>;
  /**
   * Stores the router's state document, once every call record queued before it is stored: the document
   * never knows of a call the calls table does not have (a restore would take it for abandoned).
   */
  saveState(kind: string, state: unknown): Promise<void>;
  /**
   * Routing stopped: from now on `stored()` rejects, so no answer says "done" for a decision made after the
   * stop (the stopped router stores none). Records queued before it are still written by `drain()`.
   */
  seal(): void;
  /** Resolves once everything queued is stored (or can never be). */
  drain(): Promise<void>;
}
