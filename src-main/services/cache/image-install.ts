import type Database from 'better-sqlite3-multiple-ciphers';
import type { CustomerProfile } from '@shared/domain/customer';
import { CACHE_MIGRATIONS } from '@shared/storage/cache-migrations';
import { IMAGE_AS_OF_KEY, IMAGE_TABLES } from '@shared/storage/cache-image';
import { latestVersion } from '@shared/storage/migrations';
import { mergeIncomingProfile } from '@shared/sync/profile-edits';
import type { CustomerRows } from './rows/customers';
import type { MetaRows } from './rows/meta';
import type { ModelRows } from './rows/models';

export class CacheImageRejectedError extends Error {
  constructor(reason: string) {
    super(`The cold-sync image was refused: ${reason}`);
    this.name = 'CacheImageRejectedError';
  }
}

/** Keys a snapshot leaves in meta (apply-snapshot.ts); an installed image completes the snapshot. */
const SNAPSHOT_META = { snapshot_cursor: '', snapshot_as_of: '', snapshot_done: '', snapshot_complete: '1' };

const columnsOf = (db: Database.Database, schema: string, table: string): string =>
  db.prepare<[], { sql: string | null }>(`SELECT sql FROM ${schema}.sqlite_master WHERE tbl_name = '${table}' ORDER BY type, name`).all().map((r) => r.sql ?? '').join(';');

/**
 * Replaces the server's part of the cache (customers, their phones, scores
 * and history; agents, the playbook, offer statistics and model files) with
 * a downloaded image, in one transaction on the cache's own encrypted
 * connection: the image is attached unencrypted, read, and detached; the
 * rows land encrypted. Measured against encrypting a copy of the image
 * whole (PRAGMA rekey) in docs/design/sync.md: this keeps the outbox,
 * wrap-ups and settings of the file the app has open, with no swap of files.
 *
 * What the desktop keeps for itself is not taken from the image: its
 * feed position comes from the manifest (checked against the image), its
 * clock high-water mark from the stamps on the copied profiles, model
 * files go through the same check as from the feed, and a customer with an
 * unacknowledged local edit keeps it (merged field by field, as a feed
 * write does).
 */
export function installCacheImage(
  db: Database.Database,
  rows: { meta: MetaRows; customers: CustomerRows; models: ModelRows },
  imageFile: string,
  asOfSeq: number,
): { customers: number } {
  db.prepare("ATTACH DATABASE ? AS image KEY ''").run(imageFile);
  try {
    const version = Number(db.pragma('image.user_version', { simple: true }));
    if (version !== latestVersion(CACHE_MIGRATIONS)) throw new CacheImageRejectedError(`its schema is version ${version}, this app's cache is ${latestVersion(CACHE_MIGRATIONS)}`);
    for (const table of IMAGE_TABLES) {
      if (columnsOf(db, 'image', table) !== columnsOf(db, 'main', table)) throw new CacheImageRejectedError(`its table ${table} differs from this app's cache`);
    }
    const imageAsOf = db.prepare<[string], { value: string }>('SELECT value FROM image.meta WHERE key = ?').get(IMAGE_AS_OF_KEY)?.value;
    if (imageAsOf !== String(asOfSeq)) throw new CacheImageRejectedError(`it was read at feed position ${imageAsOf ?? 'none'}, its manifest says ${asOfSeq}`);

    const scope = rows.customers.scope;
    const languages = scope ? [...scope.languages] : null;
    db.pragma('synchronous = NORMAL');
    try {
      return db.transaction(() => {
        // Customers edited here and not yet acknowledged: their local fields win over the image's, as over a feed write.
        const edited = new Map<string, CustomerProfile>();
        for (const { customer_id: id } of db.prepare<[], { customer_id: string }>("SELECT DISTINCT customer_id FROM outbox WHERE kind = 'profile_edit' AND acked_at IS NULL").all()) {
          const local = rows.customers.get(id);
          if (local) edited.set(id, local);
        }
        for (const table of IMAGE_TABLES) db.exec(table === 'documents' ? "DELETE FROM main.documents WHERE kind = 'playbook'" : `DELETE FROM main.${table}`);
        // A desk that keeps only its queues' customers keeps only those of the image (the language is in each profile).
        const inScope = languages ? ` WHERE json_extract(data, '$.language') IN (${languages.map(() => '?').join(', ')})` : '';
        db.prepare(`INSERT INTO main.customers SELECT * FROM image.customers${inScope}`).run(...(languages ?? []));
        const ofCached = languages ? ' WHERE customer_id IN (SELECT id FROM main.customers)' : '';
        for (const table of ['customer_phones', 'scores', 'interactions']) db.exec(`INSERT INTO main.${table} SELECT * FROM image.${table}${ofCached}`);
        db.exec('INSERT INTO main.agents SELECT * FROM image.agents');
        db.exec('INSERT INTO main.offer_stats SELECT * FROM image.offer_stats');
        db.exec("INSERT INTO main.documents SELECT * FROM image.documents WHERE kind = 'playbook'");
        for (const { kind, data } of db.prepare<[], { kind: string; data: string }>("SELECT kind, data FROM image.documents WHERE kind LIKE 'model:%'").all()) {
          rows.models.put(kind.slice('model:'.length), JSON.parse(data) as unknown);
        }
        for (const [id, local] of edited) {
          const incoming = rows.customers.get(id);
          if (incoming) rows.customers.update(id, mergeIncomingProfile(local, incoming));
        }
        const high = db.prepare<[], { high: string | null }>("SELECT max(clock.value) AS high FROM main.customers, json_each(main.customers.data, '$.fieldClocks') AS clock").get()?.high;
        if (high) rows.meta.noteStamps([high]);
        for (const [key, value] of Object.entries(SNAPSHOT_META)) rows.meta.set(key, value);
        // The tables now hold the image's state: the feed resumes from its position, whatever this cache had followed before.
        rows.meta.set('last_seq', String(asOfSeq));
        return { customers: rows.customers.count() };
      })();
    } finally {
      db.pragma('synchronous = FULL');
    }
  } finally {
    db.exec('DETACH DATABASE image');
  }
}
