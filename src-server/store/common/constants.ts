import type { CallState } from '@shared/domain/call';
import type { Disposition } from '@shared/domain/wrap-up';

/**
 * What both stores (SQLite and PostgreSQL) agree on, in one place: figures
 * the contract tests hold them to, and the names stored in their rows.
 */

/** Past this many pending changes a desktop is told to take a snapshot instead. */
export const SNAPSHOT_THRESHOLD = 50_000;

/** The documents row holding the playbook (a feed document). */
export const PLAYBOOK_DOCUMENT = 'playbook';
/** Model files are documents under this prefix (feed documents: `model:churn`, `model:value`). */
export const MODEL_DOCUMENT_PREFIX = 'model:';
/** Every model file with its kind, in kind order (the first snapshot page carries them). */
export const MODEL_DOCUMENTS_SQL = `SELECT kind, data FROM documents WHERE kind LIKE '${MODEL_DOCUMENT_PREFIX}%' ORDER BY kind`;

/** Calls that are not over: restored into the router after a restart. */
export const OPEN_CALL_STATES: readonly CallState[] = ['queued', 'offered', 'connected', 'wrap_up'];
/** SQL for `state IN (...)` over OPEN_CALL_STATES. */
export const OPEN_CALL_STATES_SQL = `(${OPEN_CALL_STATES.map((state) => `'${state}'`).join(', ')})`;

/** The outcome counted as a save in the per-agent totals. */
export const SAVED_DISPOSITION: Disposition = 'retained';

/** A page (of the feed, a snapshot, scoring inputs) holds at least one row. */
export function assertPositiveLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`A page limit must be a positive integer, not ${limit}`);
}
