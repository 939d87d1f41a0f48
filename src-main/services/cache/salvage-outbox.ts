import Database from 'better-sqlite3-multiple-ciphers';
import { wrapUpSchema } from '@shared/domain/wrap-up';
import { profileEditSchema } from '@shared/sync/profile-edits';
import type { NewOutboxEntry } from './rows/outbox';
import { CACHE_CIPHER, LEGACY_CACHE_CIPHERS, unlockCache, type CacheCipher } from './cache-cipher';

export type SalvagedEntry = NewOutboxEntry;

export interface Salvage {
  entries: SalvagedEntry[];
  /** Unsent entries that could not be read back; null when not even their number could be. */
  lost: number | null;
  /** The scheme the file could be opened with: a legacy one means it was set aside for an upgrade, not damage. */
  cipher: CacheCipher | null;
}

type Row = { id: string; kind: string; customer_id: string; payload: string };

/** Read-only, with the current scheme or, failing that, one an earlier version wrote. */
function openWithAnyCipher(file: string, key: string): { db: Database.Database; cipher: CacheCipher } | null {
  const ciphers: readonly CacheCipher[] = [CACHE_CIPHER, ...LEGACY_CACHE_CIPHERS];
  for (const cipher of ciphers) {
    let db: Database.Database | null = null;
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
      unlockCache(db, key, cipher);
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      return { db, cipher };
    } catch {
      db?.close();
    }
  }
  return null;
}

/** Rows up to the first unreadable page; a damaged page ends the scan, not the salvage. */
function readable<T>(db: Database.Database, sql: string): { rows: T[]; complete: boolean } {
  const rows: T[] = [];
  try {
    for (const row of db.prepare<[], T>(sql).iterate()) rows.push(row);
    return { rows, complete: true };
  } catch {
    return { rows, complete: false };
  }
}

function parse(row: Row): SalvagedEntry | null {
  try {
    const payload: unknown = JSON.parse(row.payload);
    if (row.kind === 'wrapup') {
      const wrapUp = wrapUpSchema.safeParse(payload);
      return wrapUp.success ? { id: wrapUp.data.id, kind: 'wrapup', customerId: wrapUp.data.customerId, payload: wrapUp.data } : null;
    }
    const edit = profileEditSchema.safeParse(payload);
    return edit.success ? { id: edit.data.id, kind: 'profile_edit', customerId: edit.data.customerId, payload: edit.data } : null;
  } catch {
    return null;
  }
}

/**
 * Reads what it can of the unsent outbox of a cache file that was set aside
 * as unreadable (opened read-only, with the key it was written with). If the
 * outbox itself is damaged, the saved wrap-ups are taken from their own table
 * too, except those known to be acknowledged: sending one the server already
 * has is safe, since it applies each id once.
 */
export function salvageOutbox(file: string, key: string): Salvage {
  const opened = openWithAnyCipher(file, key);
  if (!opened) return { entries: [], lost: null, cipher: null };
  const { db, cipher } = opened;
  try {
    let expected: number | null = null;
    try {
      expected = Number(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE acked_at IS NULL').get()?.n ?? 0);
    } catch {
      // The count needs the same pages as the rows; the scan below still reads what it can.
    }
    const pending = readable<Row>(db, 'SELECT id, kind, customer_id, payload FROM outbox WHERE acked_at IS NULL ORDER BY position');
    const entries = pending.rows.map(parse).filter((e): e is SalvagedEntry => e !== null);
    const unparsed = pending.rows.length - entries.length;
    if (pending.complete && expected !== null) return { entries, lost: Math.max(unparsed, expected - entries.length), cipher };

    const acked = new Set(readable<{ id: string }>(db, 'SELECT id FROM outbox WHERE acked_at IS NOT NULL').rows.map((r) => r.id));
    const have = new Set(entries.map((e) => e.id));
    const wrapUps = readable<{ id: string; customer_id: string; data: string }>(db, 'SELECT id, customer_id, data FROM wrapups ORDER BY created_at');
    for (const row of wrapUps.rows) {
      if (have.has(row.id) || acked.has(row.id)) continue;
      const entry = parse({ id: row.id, kind: 'wrapup', customer_id: row.customer_id, payload: row.data });
      if (entry) {
        entries.push(entry);
        have.add(entry.id);
      }
    }
    return { entries, lost: expected === null ? null : Math.max(0, expected - entries.length), cipher };
  } finally {
    db.close();
  }
}

/** The line the status bar shows after a rebuild: why, what was kept and what was not. */
export function describeRebuild(salvage: Salvage): string {
  const why = salvage.cipher !== null && salvage.cipher !== CACHE_CIPHER
    ? 'The local cache was written by an earlier version and is being rebuilt from the server with its current encryption.'
    : 'The local cache could not be read and is being rebuilt from the server.';
  return `${why} ${describeSalvage(salvage)}`;
}

/** What was kept and what was not. */
export function describeSalvage(salvage: Salvage): string {
  const kept = salvage.entries.length;
  const keptText = kept === 1 ? '1 unsent change was recovered and will be sent' : `${kept} unsent changes were recovered and will be sent`;
  if (salvage.lost === null) return kept > 0 ? `${keptText}; the rest of its outbox could not be read.` : 'Its unsent changes, if it had any, could not be recovered.';
  if (salvage.lost === 0) return kept > 0 ? `${keptText}; none were lost.` : 'No unsent changes were lost.';
  return `${keptText}; ${salvage.lost} could not be read and are lost.`;
}
