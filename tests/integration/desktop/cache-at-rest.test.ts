import Database from 'better-sqlite3-multiple-ciphers';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '@shared/domain/customer';
import { createDesktopBackend } from '../../../src-main/services/create-backend';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import { FileKeyProvider } from '../../../src-main/services/key-provider';
import type { RunningServer } from '../../../src-server/routing-server';
import { startServer } from '../../support/stack';
import { unlockCache } from '../../../src-main/services/cache/cache-cipher';
import { makeTempDir } from '../../support/temp-dir';
import { until } from '../../support/desktops';

const permissions = (file: string): number => statSync(file).mode & 0o777;

/** Which of these strings appear, as stored (UTF-8), anywhere in these files. */
function plaintextIn(files: readonly string[], needles: readonly string[]): string[] {
  const contents = files.filter((f) => existsSync(f)).map((f) => readFileSync(f));
  return needles.filter((needle) => contents.some((bytes) => bytes.includes(Buffer.from(needle, 'utf8'))));
}

describe('the local cache at rest', () => {
  let server: RunningServer;
  let removeServer: () => void;
  let backend: DesktopBackend;
  let known: CustomerProfile;
  const dir = makeTempDir('at-rest');
  const keyFile = join(dir.path, 'cache.key');
  const cacheFile = join(dir.path, 'users', 'ava', 'cache.db');

  const login = async (): Promise<DesktopBackend> => {
    const desk = createDesktopBackend({ serverUrl: server.url, dataDir: dir.path, keys: new FileKeyProvider(keyFile) });
    expect((await desk.invoke('session.login', { username: 'ava', password: 'demo' })).ok).toBe(true);
    await until(async () => {
      const status = await desk.invoke('status.get', {});
      return status.ok && status.value.sync.phase === 'ready';
    }, 60_000, 'the cold sync');
    return desk;
  };

  beforeAll(async () => {
    ({ server, remove: removeServer } = await startServer({ demoCustomers: 30 }));
    known = (await server.store.snapshotPage(null, 30)).customers.find((c) => c.email && c.familyName.length >= 4 && c.phones.length > 0)!;
    backend = await login();
  });
  afterAll(async () => {
    await backend.close();
    await server.close();
    removeServer();
    dir.remove();
  });

  it('holds no plaintext of a cached customer, in the file or its write-ahead log', async () => {
    const needles = [known.familyName, known.email!, known.phones[0]!];
    // The customer is in the cache: the pop paints them from it.
    backend.receiveOffer({
      call: { id: `CALL-${randomUUID()}`, callerNumber: known.phones[0]!, accountId: null, language: 'en', intent: 'general', customerId: known.id, state: 'offered', agentId: null, createdAt: new Date().toISOString(), answeredAt: null, endedAt: null, priority: 0 },
      reservationDeadline: Date.now() + 15_000,
      match: { method: 'phone', confidence: 0.9, candidates: [{ customerId: known.id, confidence: 0.9 }] },
    });
    const current = await backend.invoke('call.current', {});
    expect(current.ok && current.value.current?.pop.customer?.familyName).toBe(known.familyName);

    // The check itself finds the name where it is stored in the clear.
    const control = join(dir.path, 'control.db');
    const plain = new Database(control);
    plain.exec('CREATE TABLE customers (id TEXT PRIMARY KEY, data TEXT NOT NULL)');
    plain.prepare('INSERT INTO customers VALUES (?, ?)').run(known.id, JSON.stringify(known));
    plain.close();
    expect(plaintextIn([control], needles)).toEqual(needles);

    // While the desktop runs (pages in the WAL too) and after it closed.
    expect(plaintextIn([cacheFile, `${cacheFile}-wal`], needles)).toEqual([]);
    await backend.close();
    expect(statSync(cacheFile).size).toBeGreaterThan(50_000);
    expect(plaintextIn([cacheFile, `${cacheFile}-wal`], needles)).toEqual([]);
  });

  it('cannot be opened without its key, nor with another one', () => {
    const tryOpen = (key: string | null): unknown => {
      const db = new Database(cacheFile, { readonly: true });
      try {
        if (key !== null) {
          unlockCache(db, key);
        }
        return db.prepare('SELECT COUNT(*) AS n FROM customers').get();
      } finally {
        db.close();
      }
    };
    expect(() => tryOpen(null)).toThrow(/not a database/);
    expect(() => tryOpen('0'.repeat(64))).toThrow(/not a database/);
    expect(tryOpen(readFileSync(keyFile, 'utf8').trim())).toEqual({ n: 30 });
  });

  it('keeps the browser-mode key file at 0600, and closes up one left readable by others', async () => {
    expect(permissions(keyFile)).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8');
    chmodSync(keyFile, 0o644);
    backend = await login();
    expect(permissions(keyFile)).toBe(0o600);
    // Same key: the cache opened as it was, no rebuild.
    expect(readFileSync(keyFile, 'utf8')).toBe(key);
    const status = await backend.invoke('status.get', {});
    expect(status.ok && status.value.sync.message).toBeNull();

    chmodSync(keyFile, 0o666);
    await new FileKeyProvider(keyFile).resetKey();
    expect(permissions(keyFile)).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).not.toBe(key);
  });
});
