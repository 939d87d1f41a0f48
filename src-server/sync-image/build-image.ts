import Database from 'better-sqlite3-multiple-ciphers';
import { snapshotPageSchema, type SnapshotPage } from '@shared/contract/sync';
import { CACHE_MIGRATIONS } from '@shared/storage/cache-migrations';
import { IMAGE_AS_OF_KEY, IMAGE_CLOCK_HIGH_KEY, IMAGE_PAGE_RESERVE_BYTES, IMAGE_PAGE_SIZE } from '@shared/storage/cache-image';
import { runMigrations } from '@shared/storage/migrations';
import { prepareRows } from '@shared/storage/prepared-rows';
import { privateDatabaseFile } from '../private-files';
import { writeEmptyDatabase } from './empty-database';
import type { CustomerScope, FeedStore } from '../store/roles/feed-store';

/** Customers per page read from the store while building; each page is one short transaction and one turn of the event loop. */
const BUILD_PAGE = 1000;

export interface BuiltImage {
  asOfSeq: number;
  totalCustomers: number;
}

/**
 * Writes a cold-sync image of `scope` into `file` (a new file): the
 * desktop cache's schema, and the rows a desktop would write for the same
 * snapshot pages, in pages that leave room for the desktop's cipher. The pages go through the contract's schema here, as a
 * desktop's would, so the texts are the ones the JSON path caches; that
 * costs CPU once per image rather than once per desktop.
 *
 * Pages are read one transaction each, like a desktop's paged snapshot: a
 * row changed while the image is built may be newer than the first page's
 * feed position, which is harmless (the desktop replays the feed from that
 * position, and every change is idempotent).
 */
export async function buildCacheImage(store: Pick<FeedStore, 'snapshotPageJson'>, scope: CustomerScope, file: string): Promise<BuiltImage> {
  writeEmptyDatabase(file, { pageSize: IMAGE_PAGE_SIZE, reserveBytes: IMAGE_PAGE_RESERVE_BYTES });
  // Customer records: owner-only, like the store itself (SECURITY.md).
  privateDatabaseFile(file);
  const db = new Database(file);
  try {
    // A half-written image is thrown away, never served: no journal, no fsync until the end.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    runMigrations(db, CACHE_MIGRATIONS, 'cache image');
    const insert = {
      customer: db.prepare<[string, string]>('INSERT INTO customers (id, data) VALUES (?, ?)'),
      phone: db.prepare<[string, string]>('INSERT OR IGNORE INTO customer_phones (phone, customer_id) VALUES (?, ?)'),
      scores: db.prepare<[string, string]>('INSERT OR REPLACE INTO scores (customer_id, data) VALUES (?, ?)'),
      interaction: db.prepare<[string, string, string, string]>('INSERT OR REPLACE INTO interactions (id, customer_id, occurred_at, data) VALUES (?, ?, ?, ?)'),
      agent: db.prepare<[string, string]>('INSERT OR REPLACE INTO agents (id, data) VALUES (?, ?)'),
      document: db.prepare<[string, string]>('INSERT OR REPLACE INTO documents (kind, data) VALUES (?, ?)'),
      offerStat: db.prepare('INSERT OR REPLACE INTO offer_stats (offer_id, segment, made, accepted) VALUES (@offerId, @segment, @made, @accepted)'),
      meta: db.prepare<[string, string]>('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
    };
    let clockHigh = '';
    const write = db.transaction((page: SnapshotPage) => {
      const rows = prepareRows(page);
      for (const c of rows.customers) {
        insert.customer.run(c.id, c.data);
        for (const stamp of c.stamps) if (stamp > clockHigh) clockHigh = stamp;
        for (const phone of c.phones) insert.phone.run(phone, c.id);
      }
      for (const s of rows.scores) insert.scores.run(s.customerId, s.data);
      for (const i of rows.interactions) insert.interaction.run(i.id, i.customerId, i.occurredAt, i.data);
      // As the desktop's ReferenceRows and ModelRows store them (the desktop checks each model file again on install).
      for (const agent of rows.agents ?? []) insert.agent.run(agent.id, JSON.stringify(agent));
      if (rows.playbook) insert.document.run('playbook', JSON.stringify(rows.playbook));
      for (const stat of rows.offerStats ?? []) insert.offerStat.run(stat);
      for (const { kind, model } of rows.models ?? []) insert.document.run(`model:${kind}`, JSON.stringify(model));
    });
    let cursor: string | null = null;
    let asOfSeq: number | null = null;
    let totalCustomers = 0;
    do {
      const page = snapshotPageSchema.parse(JSON.parse(await store.snapshotPageJson(cursor, BUILD_PAGE, scope)));
      asOfSeq ??= page.asOfSeq;
      totalCustomers += page.customers.length;
      write(page);
      cursor = page.nextCursor;
      // Routing shares this thread: offers go out between pages.
      await new Promise((resolve) => setImmediate(resolve));
    } while (cursor !== null);
    insert.meta.run(IMAGE_AS_OF_KEY, String(asOfSeq ?? 0));
    if (clockHigh) insert.meta.run(IMAGE_CLOCK_HIGH_KEY, clockHigh);
    return { asOfSeq: asOfSeq ?? 0, totalCustomers };
  } finally {
    db.close();
  }
}
