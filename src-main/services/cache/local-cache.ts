import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { runMigrations } from '@shared/storage/migrations';
import { CACHE_MIGRATIONS } from './cache-migrations';
import { unlockCache } from './cache-cipher';
import { FeedWriter } from './feed';
import { carryLocalTables, completeAdoptedImage, type PreparedImage } from './image-install';
import { AiAuditRows } from './rows/ai-audit';
import { CustomerRows } from './rows/customers';
import { MetaRows } from './rows/meta';
import { ModelRows } from './rows/models';
import { OutboxRows } from './rows/outbox';
import { ReferenceRows } from './rows/reference';
import { SettingsRows } from './rows/settings';
import { WrapUpDraftRows } from './rows/wrap-up-drafts';
import { privateDatabaseFile, privateDir } from './private-files';

export class CacheUnreadableError extends Error {
  constructor(readonly file: string, cause: unknown) {
    super(`The local cache at ${file} cannot be read (${cause instanceof Error ? cause.message : String(cause)}). It will be rebuilt from the server.`);
    this.name = 'CacheUnreadableError';
  }
}

/** Makes a rename in `folder` durable (POSIX); where a folder cannot be opened for it (Windows), the rename is already. */
function syncFolder(folder: string): void {
  let fd: number;
  try {
    fd = openSync(folder, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a folder; the rename stands either way.
  } finally {
    closeSync(fd);
  }
}

/** The row modules of one open connection: made together, replaced together when an image is adopted. */
interface CacheRows {
  meta: MetaRows;
  customers: CustomerRows;
  reference: ReferenceRows;
  models: ModelRows;
  outbox: OutboxRows;
  feed: FeedWriter;
  aiAudit: AiAuditRows;
  wrapUpDrafts: WrapUpDraftRows;
  settings: SettingsRows;
}

function rowsOf(db: Database.Database): CacheRows {
  const meta = new MetaRows(db);
  // A customer's merge on sync asks the outbox whether it holds an unacknowledged edit of theirs.
  const customers: CustomerRows = new CustomerRows(db, (customerId) => outbox.hasPendingEdit(customerId));
  const reference = new ReferenceRows(db);
  const models = new ModelRows(db, meta);
  const outbox = new OutboxRows(db, customers, meta);
  const feed = new FeedWriter(db, { meta, customers, reference, models });
  return { meta, customers, reference, models, outbox, feed, aiAudit: new AiAuditRows(db), wrapUpDrafts: new WrapUpDraftRows(db), settings: new SettingsRows(db) };
}

/**
 * The desktop's encrypted SQLite cache (better-sqlite3-multiple-ciphers;
 * the scheme is in cache-cipher.ts): one connection, opened, checked and
 * migrated here, and the row modules that own each table's SQL and JSON
 * (rows/*.ts). Each module prepares its statements once, when the cache
 * opens: cold sync runs them hundreds of thousands of times. Callers reach
 * them through this object each time (`cache.outbox.…`), never keep one:
 * adopting a cold-sync image reopens the connection and makes them anew.
 */
export class LocalCache {
  private db: Database.Database;
  private rows: CacheRows;

  /**
   * `verify: false` skips the page check, for a second connection to a file the first one just checked.
   * `bulk: true` is for the cold-sync connection: it checkpoints the WAL every 40 MB rather than every 4 MB.
   * Each checkpoint decrypts, re-encrypts and fsyncs what it copies, and at the default it ran
   * once per snapshot page; measured on 30,000 customers, this cut the page writes by a fifth.
   * Its page cache is smaller (8 MB): it writes pages in key order and rarely reads one back.
   */
  constructor(readonly file: string, private readonly key: string, private readonly options: { verify?: boolean; bulk?: boolean } = {}) {
    // Owner only (0700 folder, 0600 files), before SQLite makes its -wal and -shm beside the file.
    privateDir(dirname(file));
    privateDatabaseFile(file);
    try {
      this.db = this.connect(options.verify !== false);
      this.rows = rowsOf(this.db);
    } catch (error) {
      if (error instanceof Error && error.name === 'DatabaseTooNewError') throw error;
      throw new CacheUnreadableError(file, error);
    }
  }

  private connect(verify: boolean): Database.Database {
    const db = new Database(this.file);
    try {
      unlockCache(db, this.key);
      // Touch the schema now: a wrong key or a damaged file fails here, not mid-call.
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      // And every page: a damaged page deep in the file would otherwise fail later, inside a sync or a save.
      if (verify) {
        const problems = db.pragma('quick_check') as { quick_check: string }[];
        if (problems.length !== 1 || problems[0]?.quick_check !== 'ok') throw new Error(`integrity check failed: ${problems[0]?.quick_check ?? 'no answer'}`);
      }
      db.pragma('journal_mode = WAL');
      // The outbox is written here: a saved wrap-up must survive power loss.
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      // Every page is decrypted on read and encrypted on write: keep the working set in memory (32 MB).
      db.pragma(this.options.bulk ? 'cache_size = -8192' : 'cache_size = -32768');
      // By bytes, not SQLite's count of pages: a cache adopted from an image has 64 KB pages, and 1,000
      // of them would let 64 MB pile up for one checkpoint, run on the thread that commits.
      const checkpointBytes = (this.options.bulk ? 40 : 4) * 2 ** 20;
      db.pragma(`wal_autocheckpoint = ${Math.ceil(checkpointBytes / Number(db.pragma('page_size', { simple: true })))}`);
      runMigrations(db, CACHE_MIGRATIONS, 'local cache');
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  get meta(): MetaRows {
    return this.rows.meta;
  }
  /** Customers, their phones, scores and interactions; holds the cache's scope. */
  get customers(): CustomerRows {
    return this.rows.customers;
  }
  /** Agents, the playbook and offer statistics. */
  get reference(): ReferenceRows {
    return this.rows.reference;
  }
  get models(): ModelRows {
    return this.rows.models;
  }
  get outbox(): OutboxRows {
    return this.rows.outbox;
  }
  /** Snapshot pages and change-feed batches, written across the tables above. */
  get feed(): FeedWriter {
    return this.rows.feed;
  }
  get aiAudit(): AiAuditRows {
    return this.rows.aiAudit;
  }
  get wrapUpDrafts(): WrapUpDraftRows {
    return this.rows.wrapUpDrafts;
  }
  get settings(): SettingsRows {
    return this.rows.settings;
  }

  /**
   * Makes a cold-sync image, already encrypted with this cache's key
   * (prepareCacheImage, on the cold-sync thread), the cache file: this
   * cache's own tables are carried into it, the connection closes, the image
   * replaces the file, and the connection and its row modules open again on
   * it. Synchronous, so nothing is written between the copy and the swap.
   * No other connection may be open on the file (the cold-sync thread has
   * closed its own). If anything fails before the swap, the cache is as it
   * was; the image file is the caller's to remove.
   */
  adoptImage(prepared: PreparedImage): { customers: number } {
    const scope = this.rows.customers.scope;
    const carried = carryLocalTables(this.db, this.rows, prepared, this.key);
    this.db.close();
    try {
      // A -wal left beside the cache would be replayed into the new file: the clean close above removed it, this makes sure.
      for (const suffix of ['-wal', '-shm', '-journal']) rmSync(this.file + suffix, { force: true });
      renameSync(prepared.file, this.file);
      syncFolder(dirname(this.file));
    } finally {
      // Whichever file is there now (the image, or the cache as it was), this object stays usable.
      this.db = this.connect(false);
      this.rows = rowsOf(this.db);
      this.rows.customers.setScope(scope);
    }
    return completeAdoptedImage(this.db, this.rows, prepared, carried);
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
}
