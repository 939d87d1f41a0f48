import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { IMAGE_CLOCK_HIGH_KEY, IMAGE_PAGE_RESERVE_BYTES } from '@shared/storage/cache-image';
import { HybridLogicalClock } from '@shared/sync/hlc';
import { prepareCacheImage, removeImageFile } from '../../../src-main/services/cache/image-install';
import { LocalCache } from '../../../src-main/services/cache/local-cache';
import type { RunningServer } from '../../../src-server/routing-server';
import type { SyncImage } from '../../../src-server/sync-image/image-cache';
import { api, startServer } from '../../support/stack';
import { makeTempDir } from '../../support/temp-dir';

const CUSTOMERS = 60;

describe('adopting a cold-sync image as the encrypted cache', () => {
  let server: RunningServer;
  let removeServer: () => void;
  let image: SyncImage;
  const dir = makeTempDir('image-install');
  const key = randomBytes(32).toString('hex');

  beforeAll(async () => {
    ({ server, remove: removeServer } = await startServer({ demoCustomers: CUSTOMERS }));
    // An edit before the build: the image's profiles then carry a field stamp.
    const [someone] = (await server.store.snapshotPage(null, 1)).customers;
    expect((await api(server, 'PATCH', `/api/customers/${someone!.id}`, { field: 'email', value: 'stamped@example.com' })).status).toBe(200);
    image = await server.syncImages!.imageFor(null);
  });
  afterAll(async () => {
    await server.close();
    removeServer();
    dir.remove();
  });

  it('keeps the outbox and an unacknowledged local edit when an image replaces the server tables', () => {
    const cache = new LocalCache(join(dir.path, 'edits', 'cache.db'), key);
    try {
      expect(install(cache, image.file, image.manifest.asOfSeq).customers).toBe(CUSTOMERS);
      expect(cache.feed.lastAppliedSeq()).toBe(image.manifest.asOfSeq);
      const customerId = firstId(cache);
      const edited = cache.outbox.saveProfileEdit({
        id: randomUUID(), customerId, field: 'email', value: 'kept-locally@example.com', hlc: new HybridLogicalClock('desk1').tick(), author: 'ava',
      });
      expect(edited?.email).toBe('kept-locally@example.com');
      const pendingBefore = cache.outbox.pendingCount();

      // The server asked for a fresh snapshot: the image is installed again over the filled cache.
      expect(install(cache, image.file, image.manifest.asOfSeq).customers).toBe(CUSTOMERS);
      expect(cache.customers.get(customerId)?.email).toBe('kept-locally@example.com');
      expect(cache.outbox.pendingCount()).toBe(pendingBefore);
      expect(cache.meta.get('snapshot_complete')).toBe('1');
      // The high-water mark covers the local edit's stamp, not just the image's.
      expect(cache.meta.clockHighWater()! >= edited!.fieldClocks!.email!).toBe(true);
    } finally {
      cache.close();
    }
  });

  it('refuses an image whose tables differ from this app, or whose position disagrees with its manifest, and leaves the cache as it was', () => {
    const cache = new LocalCache(join(dir.path, 'refused', 'cache.db'), key);
    try {
      install(cache, image.file, image.manifest.asOfSeq);
      const altered = join(dir.path, 'altered.sqlite');
      copyFileSync(image.file, altered);
      const db = new Database(altered);
      db.exec('ALTER TABLE customers ADD COLUMN extra TEXT; DELETE FROM customers');
      db.close();
      expect(() => install(cache, altered, image.manifest.asOfSeq)).toThrow(/table customers differs/);
      expect(() => install(cache, image.file, image.manifest.asOfSeq + 1)).toThrow(/feed position/);
      expect(cache.customers.count()).toBe(CUSTOMERS);
      expect(cache.feed.lastAppliedSeq()).toBe(image.manifest.asOfSeq);
    } finally {
      cache.close();
    }
  });

  it('carries the desk’s own tables across the swap, and leaves the file encrypted and whole', () => {
    const cache = new LocalCache(join(dir.path, 'carried', 'cache.db'), key);
    try {
      install(cache, image.file, image.manifest.asOfSeq);
      const customerId = firstId(cache);
      const hlc = new HybridLogicalClock('desk1');
      cache.outbox.saveProfileEdit({ id: randomUUID(), customerId, field: 'email', value: 'one@example.com', hlc: hlc.tick(), author: 'ava' });
      cache.outbox.saveProfileEdit({ id: randomUUID(), customerId, field: 'email', value: 'two@example.com', hlc: hlc.tick(), author: 'ava' });
      const sent = cache.outbox.pending(10);
      cache.outbox.settle([{ id: sent[0]!.id, status: 'applied' }]);
      cache.settings.put('theme', 'dark');
      const positionsBefore = cache.outbox.pending(10).map((entry) => entry.position);
      const hlcHigh = cache.meta.clockHighWater();

      install(cache, image.file, image.manifest.asOfSeq);
      expect(cache.outbox.pending(10).map((entry) => entry.position)).toEqual(positionsBefore);
      expect(cache.settings.get('theme', z.string())).toBe('dark');
      expect(cache.meta.clockHighWater()).toBe(hlcHigh);
      // AUTOINCREMENT went on from where it was: a new entry never reuses an acknowledged one's position.
      cache.outbox.saveProfileEdit({ id: randomUUID(), customerId, field: 'email', value: 'three@example.com', hlc: hlc.tick(), author: 'ava' });
      expect(Math.min(...cache.outbox.pending(10).map((entry) => entry.position).slice(1))).toBeGreaterThan(Math.max(...sent.map((entry) => entry.position)));
      expect(readFileSync(cache.file).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
      const check = new Database(cache.file, { readonly: true });
      check.pragma("cipher='aegis'");
      check.pragma(`key='${key}'`);
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      check.close();
    } finally {
      cache.close();
    }
  });

  it('checkpoints an adopted cache by bytes: its 64 KB pages do not let the WAL grow to 1,000 of them', () => {
    const cache = new LocalCache(join(dir.path, 'checkpoints', 'cache.db'), key);
    try {
      install(cache, image.file, image.manifest.asOfSeq);
      const customerId = firstId(cache);
      for (let i = 0; i < 300; i++) {
        cache.outbox.saveWrapUp({
          id: randomUUID(), callId: `CALL-wal-${i}`, customerId, agentId: 'A-1', disposition: 'retained', offerId: null,
          offerOutcome: 'no_offer', notes: 'n', summary: '', summaryAuthor: 'agent', createdAt: new Date().toISOString(),
        });
      }
      // 300 saves log well over 1,000 pages; checkpointed every 4 MB, the WAL (reused, never shrunk) stays near that.
      expect(statSync(`${cache.file}-wal`).size).toBeLessThan(8 * 2 ** 20);
      expect(cache.outbox.pending(1000)).toHaveLength(300);
    } finally {
      cache.close();
    }
  });

  it('encrypts the image page by page, in room the server left in each page', () => {
    const copy = join(dir.path, 'in-place.sqlite');
    copyFileSync(image.file, copy);
    const before = statSync(copy).size;
    prepareCacheImage(copy, key, { asOfSeq: image.manifest.asOfSeq, languages: null });
    // A rebuild to make room for the cipher would have added pages; a pass over them keeps the size.
    expect(statSync(copy).size).toBe(before);
    expect(() => new Database(copy, { readonly: true }).prepare('SELECT count(*) FROM customers').get()).toThrow(/not a database/);
  });

  it('raises the desk’s clock to the highest stamp the server noted on the image’s profiles', () => {
    const plain = new Database(image.file, { readonly: true });
    const stamps = plain.prepare("SELECT clock.value FROM customers, json_each(customers.data, '$.fieldClocks') AS clock").pluck().all() as string[];
    const noted = plain.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(IMAGE_CLOCK_HIGH_KEY);
    plain.close();
    expect(stamps.length).toBeGreaterThan(0);
    expect(noted).toBe(stamps.sort().at(-1));
    const cache = new LocalCache(join(dir.path, 'clock', 'cache.db'), key);
    try {
      install(cache, image.file, image.manifest.asOfSeq);
      expect(cache.meta.clockHighWater()).toBe(noted);
    } finally {
      cache.close();
    }
  });

  it('leaves in each page the room the cache’s cipher takes', () => {
    const cache = new LocalCache(join(dir.path, 'reserve', 'cache.db'), key);
    cache.close();
    // Byte 20 of the header (reserved bytes per page) stays readable in an encrypted file.
    expect(readFileSync(cache.file)[20]).toBe(IMAGE_PAGE_RESERVE_BYTES);
    expect(readFileSync(image.file)[20]).toBe(IMAGE_PAGE_RESERVE_BYTES);
  });

  it('refuses an image that holds anything this app’s cache does not', () => {
    const cache = new LocalCache(join(dir.path, 'trigger', 'cache.db'), key);
    try {
      const altered = join(dir.path, 'with-trigger.sqlite');
      copyFileSync(image.file, altered);
      const db = new Database(altered);
      db.exec("CREATE TRIGGER sneaky AFTER INSERT ON outbox BEGIN DELETE FROM outbox; END");
      db.close();
      expect(() => install(cache, altered, image.manifest.asOfSeq)).toThrow(/holds sneaky/);
      expect(cache.customers.count()).toBe(0);
    } finally {
      cache.close();
    }
  });

  it('keeps only the queues’ customers on a desk scoped to its languages', () => {
    const cache = new LocalCache(join(dir.path, 'scoped', 'cache.db'), key);
    try {
      cache.customers.setScope({ languages: new Set(['he']) });
      const kept = install(cache, image.file, image.manifest.asOfSeq).customers;
      const plain = new Database(image.file, { readonly: true });
      const hebrew = plain.prepare("SELECT COUNT(*) FROM customers WHERE json_extract(data, '$.language') = 'he'").pluck().get();
      plain.close();
      expect(kept).toBe(hebrew);
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(CUSTOMERS);
    } finally {
      cache.close();
    }
  });
});

/** What the cold-sync thread and the cache's own connection do with a downloaded image, on a copy of it. */
function install(cache: LocalCache, imageFile: string, asOfSeq: number): { customers: number } {
  const { file, key: cacheKey, languages } = cache.connectionDetails();
  const copy = join(dirname(file), `sync-image-${randomUUID()}.sqlite`);
  copyFileSync(imageFile, copy);
  try {
    return cache.adoptImage(prepareCacheImage(copy, cacheKey, { asOfSeq, languages }));
  } finally {
    removeImageFile(copy);
  }
}

function firstId(cache: LocalCache): string {
  // Any cached customer will do; the row modules read by id, so take one the image brought.
  const probe = cache.connectionDetails();
  const db = new Database(probe.file, { readonly: true });
  db.pragma("cipher='aegis'");
  db.pragma(`key='${probe.key}'`);
  try {
    return db.prepare('SELECT id FROM customers ORDER BY id LIMIT 1').pluck().get() as string;
  } finally {
    db.close();
  }
}
