import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WrapUp } from '@shared/domain/wrap-up';
import { runMigrations } from '@shared/storage/migrations';
import { CACHE_MIGRATIONS } from '../../../src-main/services/cache/cache-migrations';
import { CacheUnreadableError, LocalCache } from '../../../src-main/services/cache/local-cache';
import { describeRebuild, describeSalvage, salvageOutbox } from '../../../src-main/services/cache/salvage-outbox';
import { unlockCache } from '../../../src-main/services/cache/cache-cipher';
import { makeTempDir } from '../../support/temp-dir';

const KEY = 'a'.repeat(64);
const wrapUp = (n: number): WrapUp => ({
  id: randomUUID(), callId: `CALL-${n}`, customerId: `C${n % 7}`, agentId: 'A1', disposition: 'retained', offerId: null, offerOutcome: 'no_offer',
  notes: `notes ${n} ${'x'.repeat(300)}`, summary: '', summaryAuthor: 'agent', createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
});

/** A closed cache with `sent` acknowledged wrap-ups and then `waiting` unsent ones. */
function cacheWith(file: string, sent: number, waiting: number): { unsent: string[] } {
  const cache = new LocalCache(file, KEY);
  const all = Array.from({ length: sent + waiting }, (_, n) => wrapUp(n));
  for (const w of all) cache.outbox.saveWrapUp(w);
  cache.outbox.settle(all.slice(0, sent).map((w) => ({ id: w.id, status: 'applied' as const })));
  cache.close();
  return { unsent: all.slice(sent).map((w) => w.id) };
}

function damage(file: string, table: string): number {
  const db = new Database(file, { readonly: true });
  unlockCache(db, KEY);
  // Leaf pages only: the scan reaches the rows before and after them through the interior page.
  const pages = db.prepare<[string], { pageno: number }>("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'").all(table).map((r) => r.pageno);
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  db.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, randomBytes(pageSize), 0, pageSize, (pages[Math.floor(pages.length / 2)]! - 1) * pageSize);
  closeSync(fd);
  return pages.length;
}

describe('salvaging the outbox of a cache that was set aside', () => {
  const dir = makeTempDir('salvage');
  afterAll(() => dir.remove());

  it('reads back every unsent entry of a readable outbox, and nothing already acknowledged', () => {
    const file = join(dir.path, 'whole.db');
    const { unsent } = cacheWith(file, 20, 9);
    const salvage = salvageOutbox(file, KEY);
    expect(salvage.entries.map((e) => e.id)).toEqual(unsent);
    expect(salvage.lost).toBe(0);
    expect(describeSalvage(salvage)).toBe('9 unsent changes were recovered and will be sent; none were lost.');
  });

  it('falls back to the saved wrap-ups when the outbox itself is damaged, so none of the unsent ones is missed', () => {
    const file = join(dir.path, 'outbox-damaged.db');
    const { unsent } = cacheWith(file, 30, 40);
    expect(damage(file, 'outbox')).toBeGreaterThan(3);
    // The outbox alone can no longer be read to the end.
    const db = new Database(file, { readonly: true });
    unlockCache(db, KEY);
    expect(() => db.prepare('SELECT id, payload FROM outbox WHERE acked_at IS NULL ORDER BY position').all()).toThrow(/malformed/);
    db.close();
    const salvage = salvageOutbox(file, KEY);
    const ids = new Set(salvage.entries.map((e) => e.id));
    expect(unsent.filter((id) => !ids.has(id))).toEqual([]);
    expect(ids.size).toBe(salvage.entries.length);
  });

  it('reports the loss when the file cannot be decrypted at all', () => {
    const file = join(dir.path, 'other-key.db');
    cacheWith(file, 0, 3);
    const salvage = salvageOutbox(file, 'b'.repeat(64));
    expect(salvage).toEqual({ entries: [], lost: null, cipher: null });
    expect(describeSalvage(salvage)).toMatch(/could not be recovered/);
  });

  it('makes a rebuilt cache send them again', () => {
    const file = join(dir.path, 'whole-2.db');
    const { unsent } = cacheWith(file, 2, 4);
    const rebuilt = new LocalCache(join(dir.path, 'rebuilt.db'), KEY);
    rebuilt.outbox.requeue(salvageOutbox(file, KEY).entries);
    expect(rebuilt.outbox.pending(100).map((e) => e.id)).toEqual(unsent);
    rebuilt.close();
  });

  it('upgrades a cache an earlier version encrypted with the SQLCipher scheme: refused as it is, its unsent work read back, then rebuilt', () => {
    const file = join(dir.path, 'legacy-sqlcipher.db');
    const legacy = new Database(file);
    unlockCache(legacy, KEY, 'sqlcipher');
    runMigrations(legacy, CACHE_MIGRATIONS, 'local cache');
    const waiting = [wrapUp(1), wrapUp(2), wrapUp(3)];
    for (const w of waiting) {
      legacy.prepare("INSERT INTO outbox (id, kind, customer_id, payload, created_at) VALUES (?, 'wrapup', ?, ?, ?)").run(w.id, w.customerId, JSON.stringify(w), w.createdAt);
    }
    legacy.close();

    expect(() => new LocalCache(file, KEY)).toThrow(CacheUnreadableError);
    const salvage = salvageOutbox(file, KEY);
    expect(salvage.cipher).toBe('sqlcipher');
    expect(salvage.entries.map((e) => e.id)).toEqual(waiting.map((w) => w.id));
    expect(describeRebuild(salvage)).toBe('The local cache was written by an earlier version and is being rebuilt from the server with its current encryption. 3 unsent changes were recovered and will be sent; none were lost.');
    expect(describeRebuild({ entries: [], lost: null, cipher: null })).toMatch(/^The local cache could not be read and is being rebuilt/);
  });
});
