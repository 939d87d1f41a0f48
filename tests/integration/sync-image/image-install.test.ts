import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HybridLogicalClock } from '@shared/sync/hlc';
import { LocalCache } from '../../../src-main/services/cache/local-cache';
import type { RunningServer } from '../../../src-server/routing-server';
import type { SyncImage } from '../../../src-server/sync-image/image-cache';
import { startServer } from '../../support/stack';
import { makeTempDir } from '../../support/temp-dir';

const CUSTOMERS = 60;

describe('installing a cold-sync image into an encrypted cache', () => {
  let server: RunningServer;
  let removeServer: () => void;
  let image: SyncImage;
  const dir = makeTempDir('image-install');
  const key = randomBytes(32).toString('hex');

  beforeAll(async () => {
    ({ server, remove: removeServer } = await startServer({ demoCustomers: CUSTOMERS }));
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
      expect(cache.installImage(image.file, image.manifest.asOfSeq).customers).toBe(CUSTOMERS);
      expect(cache.feed.lastAppliedSeq()).toBe(image.manifest.asOfSeq);
      const customerId = firstId(cache);
      const edited = cache.outbox.saveProfileEdit({
        id: randomUUID(), customerId, field: 'email', value: 'kept-locally@example.com', hlc: new HybridLogicalClock('desk1').tick(), author: 'ava',
      });
      expect(edited?.email).toBe('kept-locally@example.com');
      const pendingBefore = cache.outbox.pendingCount();

      // The server asked for a fresh snapshot: the image is installed again over the filled cache.
      expect(cache.installImage(image.file, image.manifest.asOfSeq).customers).toBe(CUSTOMERS);
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
      cache.installImage(image.file, image.manifest.asOfSeq);
      const altered = join(dir.path, 'altered.sqlite');
      copyFileSync(image.file, altered);
      const db = new Database(altered);
      db.exec('ALTER TABLE customers ADD COLUMN extra TEXT; DELETE FROM customers');
      db.close();
      expect(() => cache.installImage(altered, image.manifest.asOfSeq)).toThrow(/table customers differs/);
      expect(() => cache.installImage(image.file, image.manifest.asOfSeq + 1)).toThrow(/feed position/);
      expect(cache.customers.count()).toBe(CUSTOMERS);
      expect(cache.feed.lastAppliedSeq()).toBe(image.manifest.asOfSeq);
    } finally {
      cache.close();
    }
  });

  it('keeps only the queues’ customers on a desk scoped to its languages', () => {
    const cache = new LocalCache(join(dir.path, 'scoped', 'cache.db'), key);
    try {
      cache.customers.setScope({ languages: new Set(['he']) });
      const kept = cache.installImage(image.file, image.manifest.asOfSeq).customers;
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
