import { closeSync, fsyncSync, openSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import type { CustomerProfile } from '@shared/domain/customer';
import { CACHE_MIGRATIONS } from '@shared/storage/cache-migrations';
import { IMAGE_AS_OF_KEY, IMAGE_CLOCK_HIGH_KEY, IMAGE_TABLES } from '@shared/storage/cache-image';
import { latestVersion, runMigrations } from '@shared/storage/migrations';
import { mergeIncomingProfile } from '@shared/sync/profile-edits';
import { attachEncrypted, encryptInPlace } from './cache-cipher';
import type { CustomerRows } from './rows/customers';
import type { MetaRows } from './rows/meta';
import type { ModelRows } from './rows/models';

/*
 * A cold-sync image becomes the desktop's cache in two steps:
 *
 * 1. prepareCacheImage (on the cold-sync thread): the downloaded plain file
 *    is checked (schema, feed position), cut to the desk's scope, and
 *    encrypted in place with the cache's key, one pass over its pages.
 * 2. adoptCacheImage (on the cache's own connection, image-adoption in
 *    LocalCache): what the desktop keeps for itself (outbox, wrap-ups,
 *    drafts, settings, meta, its model files) is copied from the open cache
 *    into the image, the image replaces the cache file, and the desktop's
 *    own bookkeeping is derived on the reopened file.
 *
 * Copying the image's rows into the open cache instead (ATTACH and INSERT …
 * SELECT) rebuilt every table and index through the WAL and cost about
 * 5.6 s on 100,000 customers against about 1 s to encrypt in place
 * (docs/design/sync.md).
 */

export class CacheImageRejectedError extends Error {
  constructor(reason: string) {
    super(`The cold-sync image was refused: ${reason}`);
    this.name = 'CacheImageRejectedError';
  }
}

/** What the cold-sync thread learnt of a prepared image, for the adoption. */
export interface PreparedImage {
  /** The encrypted image, beside the cache. */
  file: string;
  asOfSeq: number;
  /** The highest field stamp on the image's profiles, as the server noted it (the desktop's meta checks its form). */
  clockHigh: string | null;
}

/** Keys a snapshot leaves in meta (apply-snapshot.ts); an adopted image completes the snapshot. */
const SNAPSHOT_META = { snapshot_cursor: '', snapshot_as_of: '', snapshot_done: '', snapshot_complete: '1' };

/** Every table, index and trigger of a schema, as SQLite stores their definitions. */
const schemaOf = (db: Database.Database, schema = 'main'): Map<string, string> =>
  new Map(db.prepare<[], { name: string; sql: string | null }>(`SELECT name, sql FROM ${schema}.sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`).all().map((r) => [r.name, r.sql ?? '']));

/** The image becomes the cache file, so all of its schema must be this app's, not just the tables the server fills. */
function checkSchema(image: Database.Database): void {
  const version = Number(image.pragma('user_version', { simple: true }));
  const expected = latestVersion(CACHE_MIGRATIONS);
  if (version !== expected) throw new CacheImageRejectedError(`its schema is version ${version}, this app's cache is ${expected}`);
  const reference = new Database(':memory:');
  try {
    runMigrations(reference, CACHE_MIGRATIONS, 'cache image reference');
    const want = schemaOf(reference);
    const have = schemaOf(image);
    for (const [name, sql] of want) {
      if (have.get(name) !== sql) throw new CacheImageRejectedError(`its ${IMAGE_TABLES.includes(name as never) ? 'table' : 'object'} ${name} differs from this app's cache`);
    }
    const extra = [...have.keys()].find((name) => !want.has(name));
    if (extra !== undefined) throw new CacheImageRejectedError(`it holds ${extra}, which this app's cache does not`);
  } finally {
    reference.close();
  }
}

/**
 * Step 1, on the cold-sync thread: checks the downloaded plain image, keeps
 * only the desk's languages where it is scoped, and encrypts the file in
 * place with the cache's key. The file is private to this run (no journal,
 * no fsync: a crash leaves a file the next run deletes).
 */
export function prepareCacheImage(imageFile: string, key: string, { asOfSeq, languages }: { asOfSeq: number; languages: readonly string[] | null }): PreparedImage {
  const db = new Database(imageFile);
  let clockHigh: string | null;
  try {
    checkSchema(db);
    const metaValue = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    const imageAsOf = metaValue.get(IMAGE_AS_OF_KEY)?.value;
    if (imageAsOf !== String(asOfSeq)) throw new CacheImageRejectedError(`it was read at feed position ${imageAsOf ?? 'none'}, its manifest says ${asOfSeq}`);
    clockHigh = metaValue.get(IMAGE_CLOCK_HIGH_KEY)?.value ?? null;
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('locking_mode = EXCLUSIVE');
    if (languages) {
      // A desk that keeps only its queues' customers keeps only those of the image (the language is in each profile).
      db.transaction(() => {
        db.prepare(`DELETE FROM customers WHERE json_extract(data, '$.language') NOT IN (${languages.map(() => '?').join(', ')})`).run(...languages);
        for (const table of ['customer_phones', 'scores', 'interactions']) db.exec(`DELETE FROM ${table} WHERE customer_id NOT IN (SELECT id FROM customers)`);
      })();
    }
    encryptInPlace(db, key);
  } finally {
    db.close();
  }
  // On disk before it replaces the cache (a rename can outlive a crash the data did not), and here rather than on the cache's thread.
  const fd = openSync(imageFile, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { file: imageFile, asOfSeq, clockHigh };
}

/** The open cache's rows the adoption reads before the swap and completes after it. */
export interface AdoptionRows {
  meta: MetaRows;
  customers: CustomerRows;
  models: ModelRows;
}

/** What the open cache hands to the adopted file: its customers with unacknowledged edits, and the image's model files to check. */
export interface CarriedState {
  edited: Map<string, CustomerProfile>;
  models: { kind: string; data: string }[];
}

/**
 * Step 2a, on the open cache's connection: copies every table the desktop
 * keeps for itself (all but the image's) into the prepared image, in one
 * transaction on the image. The image's model files are taken out, to pass
 * the same check as from the feed once the file is open; the playbook, and
 * the rows the server filled, stay. The image's snapshot is marked
 * incomplete until step 2b: a crash between the two takes a fresh cold sync
 * and loses nothing, as the outbox is already in the file.
 */
export function carryLocalTables(db: Database.Database, rows: AdoptionRows, prepared: PreparedImage, key: string): CarriedState {
  // Customers edited here and not yet acknowledged: their local fields win over the image's, as over a feed write.
  const edited = new Map<string, CustomerProfile>();
  for (const { customer_id: id } of db.prepare<[], { customer_id: string }>("SELECT DISTINCT customer_id FROM outbox WHERE kind = 'profile_edit' AND acked_at IS NULL").all()) {
    const local = rows.customers.get(id);
    if (local) edited.set(id, local);
  }
  attachEncrypted(db, prepared.file, 'image', key);
  try {
    const local = db.prepare<[], { name: string }>("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").all()
      .map((r) => r.name).filter((name) => !IMAGE_TABLES.includes(name as never));
    return db.transaction(() => {
      const models = db.prepare<[], { kind: string; data: string }>("SELECT kind, data FROM image.documents WHERE kind LIKE 'model:%'").all();
      db.exec("DELETE FROM image.documents WHERE kind <> 'playbook'");
      db.exec("INSERT INTO image.documents SELECT * FROM main.documents WHERE kind <> 'playbook'");
      for (const table of local) db.exec(`DELETE FROM image.${table}; INSERT INTO image.${table} SELECT * FROM main.${table}`);
      // AUTOINCREMENT's high-water marks: the outbox's positions keep rising across the swap.
      db.exec('DELETE FROM image.sqlite_sequence; INSERT INTO image.sqlite_sequence SELECT * FROM main.sqlite_sequence');
      db.prepare("INSERT INTO image.meta (key, value) VALUES ('snapshot_complete', '0') ON CONFLICT (key) DO UPDATE SET value = excluded.value").run();
      return { edited, models };
    })();
  } finally {
    db.exec('DETACH DATABASE image');
  }
}

/**
 * Step 2b, on the reopened cache (the adopted file): what the desktop keeps
 * for itself is derived here, in one transaction. Its feed position comes
 * from the manifest (checked against the image), its clock high-water mark
 * from the stamps on the image's profiles, model files go through the same
 * check as from the feed, and a customer with an unacknowledged local edit
 * keeps it (merged field by field, as a feed write does).
 */
export function completeAdoptedImage(db: Database.Database, rows: AdoptionRows, prepared: PreparedImage, carried: CarriedState): { customers: number } {
  return db.transaction(() => {
    for (const { kind, data } of carried.models) rows.models.put(kind.slice('model:'.length), JSON.parse(data) as unknown);
    for (const [id, local] of carried.edited) {
      const incoming = rows.customers.get(id);
      if (incoming) rows.customers.update(id, mergeIncomingProfile(local, incoming));
    }
    if (prepared.clockHigh) rows.meta.noteStamps([prepared.clockHigh]);
    for (const [key, value] of Object.entries(SNAPSHOT_META)) rows.meta.set(key, value);
    // The tables now hold the image's state: the feed resumes from its position, whatever this cache had followed before.
    rows.meta.set('last_seq', String(prepared.asOfSeq));
    return { customers: rows.customers.count() };
  })();
}

/** A prepared image that was not adopted holds customer records: removed with whatever SQLite left beside it. */
export function removeImageFile(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}
