import Database from 'better-sqlite3-multiple-ciphers';
import type { CustomerProfile } from '@shared/domain/customer';
import type { WrapUp } from '@shared/domain/wrapup';
import { applyProfileEdit, type ProfileEdit } from '@shared/sync/profile-edits';
import { runMigrations } from '@shared/storage/migrations';
import { CACHE_MIGRATIONS } from './cache-migrations';
import { unlockCache } from './cache-cipher';
import { FeedWriter } from './feed';
import { AiAuditRows } from './rows/ai-audit';
import { CustomerRows } from './rows/customers';
import { MetaRows } from './rows/meta';
import { ModelRows } from './rows/models';
import { ReferenceRows } from './rows/reference';
import { SettingsRows } from './rows/settings';
import { WrapUpDraftRows } from './rows/wrapup-drafts';

type Row = Record<string, unknown>;
const json = (value: unknown): string => JSON.stringify(value);

export type OutboxEntry =
  | { position: number; id: string; kind: 'wrapup'; customerId: string; payload: WrapUp; attempts: number }
  | { position: number; id: string; kind: 'profile_edit'; customerId: string; payload: ProfileEdit; attempts: number };

/** An outbox entry as written, before the queue gives it a position. */
export type NewOutboxEntry = { [K in OutboxEntry['kind']]: Omit<Extract<OutboxEntry, { kind: K }>, 'position' | 'attempts'> }[OutboxEntry['kind']];

export class CacheUnreadableError extends Error {
  constructor(readonly file: string, cause: unknown) {
    super(`The local cache at ${file} cannot be read (${cause instanceof Error ? cause.message : String(cause)}). It will be rebuilt from the server.`);
    this.name = 'CacheUnreadableError';
  }
}

/**
 * The desktop's encrypted SQLite cache (better-sqlite3-multiple-ciphers;
 * the scheme is in cache-cipher.ts): one connection, opened, checked and
 * migrated here, and the row modules that own each table's SQL and JSON
 * (rows/*.ts). Each module prepares its statements once, when the cache
 * opens: cold sync runs them hundreds of thousands of times.
 */
export class LocalCache {
  private readonly db: Database.Database;
  /** Prepared once per SQL text: cold sync runs these statements hundreds of thousands of times. */
  private readonly statements = new Map<string, Database.Statement>();
  /** Customers with a local field edit the server has not acknowledged; only these need a merge on sync. */
  private readonly pendingEdits = new Set<string>();
  readonly meta: MetaRows;
  /** Customers, their phones, scores and interactions; holds the cache's scope. */
  readonly customers: CustomerRows;
  /** Agents, the playbook and offer statistics. */
  readonly reference: ReferenceRows;
  readonly models: ModelRows;
  /** Snapshot pages and change-feed batches, written across the tables above. */
  readonly feed: FeedWriter;
  readonly aiAudit: AiAuditRows;
  readonly wrapUpDrafts: WrapUpDraftRows;
  readonly settings: SettingsRows;

  /**
   * `verify: false` skips the page check, for a second connection to a file the first one just checked.
   * `bulk: true` is for the cold-sync connection: it checkpoints the WAL every 40 MB rather than every 4 MB.
   * Each checkpoint decrypts, re-encrypts and fsyncs what it copies, and at the default it ran
   * once per snapshot page; measured on 30,000 customers, this cut the page writes by a fifth.
   * Its page cache is smaller (8 MB): it writes pages in key order and rarely reads one back.
   */
  constructor(readonly file: string, private readonly key: string, options: { verify?: boolean; bulk?: boolean } = {}) {
    try {
      this.db = new Database(file);
      unlockCache(this.db, key);
      // Touch the schema now: a wrong key or a damaged file fails here, not mid-call.
      this.db.prepare('SELECT count(*) FROM sqlite_master').get();
      // And every page: a damaged page deep in the file would otherwise fail later, inside a sync or a save.
      if (options.verify !== false) {
        const problems = this.db.pragma('quick_check') as { quick_check: string }[];
        if (problems.length !== 1 || problems[0]?.quick_check !== 'ok') throw new Error(`integrity check failed: ${problems[0]?.quick_check ?? 'no answer'}`);
      }
      this.db.pragma('journal_mode = WAL');
      // The outbox is written here: a saved wrap-up must survive power loss.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      // Every page is decrypted on read and encrypted on write: keep the working set in memory (32 MB).
      this.db.pragma(options.bulk ? 'cache_size = -8192' : 'cache_size = -32768');
      if (options.bulk) this.db.pragma('wal_autocheckpoint = 10000');
      runMigrations(this.db, CACHE_MIGRATIONS, 'local cache');
      this.meta = new MetaRows(this.db);
      this.customers = new CustomerRows(this.db, (customerId) => this.pendingEdits.has(customerId));
      this.reference = new ReferenceRows(this.db);
      this.models = new ModelRows(this.db, this.meta);
      this.feed = new FeedWriter(this.db, { meta: this.meta, customers: this.customers, reference: this.reference, models: this.models });
      this.aiAudit = new AiAuditRows(this.db);
      this.wrapUpDrafts = new WrapUpDraftRows(this.db);
      this.settings = new SettingsRows(this.db);
      for (const row of this.db.prepare<[], { customer_id: string }>("SELECT DISTINCT customer_id FROM outbox WHERE kind = 'profile_edit' AND acked_at IS NULL").all()) {
        this.pendingEdits.add(row.customer_id);
      }
    } catch (error) {
      if (error instanceof Error && error.name === 'DatabaseTooNewError') throw error;
      throw new CacheUnreadableError(file, error);
    }
  }

  private sql<P extends unknown[] = unknown[], R = unknown>(source: string): Database.Statement<P, R> {
    let statement = this.statements.get(source);
    if (!statement) {
      statement = this.db.prepare(source);
      this.statements.set(source, statement);
    }
    return statement as unknown as Database.Statement<P, R>;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  /** What a second connection (the cold-sync worker) needs to open this cache as this one does. */
  connectionDetails(): { file: string; key: string; languages: string[] | null } {
    const scope = this.customers.scope;
    return { file: this.file, key: this.key, languages: scope ? [...scope.languages] : null };
  }

  /** Saves a wrap-up and queues it for the server in the same transaction. */
  saveWrapUp(wrapUp: WrapUp): void {
    this.db.transaction(() => {
      this.sql('INSERT INTO wrapups (id, call_id, customer_id, created_at, data) VALUES (?, ?, ?, ?, ?)')
        .run(wrapUp.id, wrapUp.callId, wrapUp.customerId, wrapUp.createdAt, json(wrapUp));
      this.sql(`INSERT INTO outbox (id, kind, customer_id, payload, created_at) VALUES (?, 'wrapup', ?, ?, ?)`)
        .run(wrapUp.id, wrapUp.customerId, json(wrapUp), wrapUp.createdAt);
    })();
  }

  /** Applies an agent's correction locally and queues it for the server, in one transaction. */
  saveProfileEdit(edit: ProfileEdit): CustomerProfile | null {
    return this.db.transaction(() => {
      const local = this.customers.get(edit.customerId);
      if (!local) return null;
      const { profile } = applyProfileEdit(local, edit);
      this.customers.update(edit.customerId, profile);
      this.sql(`INSERT INTO outbox (id, kind, customer_id, payload, created_at) VALUES (?, 'profile_edit', ?, ?, ?)`)
        .run(edit.id, edit.customerId, json(edit), new Date().toISOString());
      this.meta.noteStamps([edit.hlc]);
      this.pendingEdits.add(edit.customerId);
      return profile;
    })();
  }

  /** Unacknowledged entries in the order they were written (which keeps per-customer order). */
  pendingOutbox(limit: number): OutboxEntry[] {
    return this.sql<[number], Row>('SELECT position, id, kind, customer_id, payload, attempts FROM outbox WHERE acked_at IS NULL ORDER BY position LIMIT ?')
      .all(limit)
      .map((r) => ({ position: Number(r.position), id: String(r.id), kind: r.kind, customerId: String(r.customer_id), payload: JSON.parse(String(r.payload)), attempts: Number(r.attempts) }) as OutboxEntry);
  }

  /**
   * Queues entries saved out of a cache that had to be set aside. Their ids
   * are the ones the server has seen (or not), so whatever it already applied
   * comes back as a duplicate and nothing is applied twice.
   */
  requeueOutbox(entries: readonly NewOutboxEntry[]): void {
    this.db.transaction(() => {
      for (const entry of entries) {
        if (entry.kind === 'wrapup') {
          const w = entry.payload;
          this.sql('INSERT OR IGNORE INTO wrapups (id, call_id, customer_id, created_at, data) VALUES (?, ?, ?, ?, ?)').run(w.id, w.callId, w.customerId, w.createdAt, json(w));
        } else {
          this.pendingEdits.add(entry.customerId);
        }
        this.sql('INSERT OR IGNORE INTO outbox (id, kind, customer_id, payload, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(entry.id, entry.kind, entry.customerId, json(entry.payload), new Date().toISOString());
      }
    })();
  }

  pendingOutboxCount(): number {
    return Number(this.sql<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE acked_at IS NULL').get()?.n ?? 0);
  }

  /**
   * Records the server's answer to a batch in one transaction. Applied and
   * duplicate entries leave the queue; a rejected one (the server will never
   * take it) is parked with its reason, so the entries behind it move on.
   */
  settleOutbox(results: readonly { id: string; status: 'applied' | 'duplicate' | 'rejected'; message?: string }[]): void {
    const now = new Date().toISOString();
    const acked = this.sql('UPDATE outbox SET acked_at = ? WHERE id = ? AND acked_at IS NULL');
    const parked = this.sql('UPDATE outbox SET acked_at = ?, last_error = ? WHERE id = ? AND acked_at IS NULL');
    this.db.transaction(() => {
      for (const result of results) {
        if (result.status === 'rejected') parked.run(now, `rejected by the server: ${result.message ?? ''}`.slice(0, 500), result.id);
        else acked.run(now, result.id);
      }
    })();
    for (const customerId of [...this.pendingEdits]) {
      const left = this.sql<[string], { n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'profile_edit' AND customer_id = ? AND acked_at IS NULL").get(customerId);
      if (!left?.n) this.pendingEdits.delete(customerId);
    }
  }

  markFailed(id: string, error: string): void {
    this.sql('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?').run(error.slice(0, 500), id);
  }
}
