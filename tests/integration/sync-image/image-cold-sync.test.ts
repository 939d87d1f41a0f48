import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src-server/routing-server';
import { zstdCopyOf } from '../../../src-server/sync-image/compress-image';
import { api, startServer } from '../../support/stack';
import { signInAndSync } from '../../support/desktops';
import { desktop, metaValue, serverRows } from './support';

const CUSTOMERS = 400;
/** Two desktops' cold syncs and sign-ins (scrypt) per test: slow on a shared two-core machine; the tests check what, not how fast. */
const SLOW = 240_000;

describe('cold sync from the server image', () => {
  let server: RunningServer;
  let removeServer: () => void;

  beforeAll(async () => {
    ({ server, remove: removeServer } = await startServer({ demoCustomers: CUSTOMERS }));
  });
  afterAll(async () => {
    await server.close();
    removeServer();
  });

  it('fills the cache with exactly what paged JSON does, and follows the feed from the image position', async () => {
    // An edit the image does not hold: built first, then the feed moves (within the window, so the image is still served).
    const first = await api(server, 'GET', '/api/sync/image', undefined, (await loginToken(server, 'ava')));
    expect(first.status).toBe(200);
    const asOfSeq = Number(first.body.asOfSeq);
    const customers = (await server.store.snapshotPage(null, 5)).customers;
    const edited = customers[1]!;
    expect((await api(server, 'PATCH', `/api/customers/${edited.id}`, { field: 'email', value: 'after-image@example.com' })).status).toBe(200);
    expect(await server.store.lastSeq()).toBeGreaterThan(asOfSeq);

    const viaJson = desktop(server.url, { coldSyncImages: false });
    const viaImage = desktop(server.url);
    try {
      await signInAndSync(viaJson.backend, 'ava', SLOW / 2);
      await signInAndSync(viaImage.backend, 'ava', SLOW / 2);
      expect(viaImage.lines.find((l) => l.message === 'cold sync from the server image')?.fields).toMatchObject({ customers: CUSTOMERS, asOfSeq });
      expect(viaImage.lines.some((l) => l.message.includes('falling back'))).toBe(false);
      expect(server.syncImages?.buildCount).toBe(1);

      // A change after sync arrives through the feed too.
      const later = customers[2]!.id;
      const arrived = [viaJson, viaImage].map((d) => new Promise<void>((resolve) => {
        const off = d.backend.onFeedApplied((changes) => {
          if (changes.some((c) => c.entity === 'customer' && c.data.id === later && c.data.email === 'later@example.com')) {
            off();
            resolve();
          }
        });
      }));
      expect((await api(server, 'PATCH', `/api/customers/${later}`, { field: 'email', value: 'later@example.com' })).status).toBe(200);
      await Promise.all(arrived);
    } finally {
      await viaJson.close();
      await viaImage.close();
    }
    const json = await viaJson.openCache('ava');
    const image = await viaImage.openCache('ava');
    try {
      const jsonRows = serverRows(json);
      expect((jsonRows.customers as unknown[]).length).toBe(CUSTOMERS);
      expect(serverRows(image)).toEqual(jsonRows);
      const emailOf = (db: typeof json): unknown => (JSON.parse((db.prepare('SELECT data FROM customers WHERE id = ?').get(edited.id) as { data: string }).data) as { email: string }).email;
      expect(emailOf(image)).toBe('after-image@example.com');
      for (const key of ['last_seq', 'hlc_high', 'snapshot_complete']) expect([key, metaValue(image, key)]).toEqual([key, metaValue(json, key)]);
      // The model summaries too, but for when each desktop received its file.
      const model = (db: typeof json, kind: string): unknown => ({ ...JSON.parse(metaValue(db, `model_active:${kind}`) ?? '{}'), receivedAt: undefined });
      for (const kind of ['churn', 'value']) expect(model(image, kind)).toEqual(model(json, kind));
      expect(model(image, 'churn')).toHaveProperty('modelVersion');
      expect(metaValue(image, 'snapshot_complete')).toBe('1');
    } finally {
      json.close();
      image.close();
      viaJson.dir.remove();
      viaImage.dir.remove();
    }
  }, SLOW);

  it('falls back to paged JSON, with a clear log line, when the image fails its hash', async () => {
    const manifest = await api(server, 'GET', '/api/sync/image', undefined, await loginToken(server, 'noa'));
    const image = server.syncImages!.imageById(null, String(manifest.body.sha256))!;
    // Same size, one byte changed: only the hash can tell.
    const bytes = readFileSync(image.file);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10]! + 1) % 256;
    writeFileSync(image.file, bytes);
    // The compressed copy desktops are sent is made again from the changed file.
    image.zstd = await zstdCopyOf(image.file);

    const d = desktop(server.url);
    try {
      await signInAndSync(d.backend, 'noa', SLOW / 2);
      const fallback = d.lines.find((l) => l.message === 'cold sync image not used; falling back to paged JSON');
      expect(fallback?.level).toBe('warn');
      expect(String(fallback?.fields.reason)).toMatch(/failed its check \(compressed SHA-256/);
      expect(d.lines.some((l) => l.message === 'cold sync from the server image')).toBe(false);
      const status = await d.backend.invoke('status.get', {});
      expect(status.ok && status.value.sync.phase).toBe('ready');
    } finally {
      await d.close();
    }
    const cache = await d.openCache('noa');
    try {
      expect((cache.prepare('SELECT COUNT(*) AS n FROM customers').get() as { n: number }).n).toBe(CUSTOMERS);
      // Nothing of the downloaded file is left beside the cache.
      expect(readdir(d.dir.path).filter((name) => name.includes('sync-image'))).toEqual([]);
    } finally {
      cache.close();
      d.dir.remove();
    }
  }, SLOW);
  it('stops a cold sync under way when the agent signs out: its thread ends, leaves no plain image, and writes no more', async () => {
    const d = desktop(server.url);
    const folder = join(d.dir.path, 'users', 'grace');
    try {
      const login = await d.backend.invoke('session.login', { username: 'grace', password: 'demo' });
      expect(login.ok).toBe(true);
      // At once: the cold sync's thread has only just started.
      const out = await d.backend.invoke('session.logout', {});
      expect(out.ok).toBe(true);
      const cacheFile = join(folder, 'cache.db');
      const sizes = (): number[] => readdirSync(folder).filter((name) => name.startsWith('cache.db')).sort().map((name) => statSync(join(folder, name)).size);
      const after = sizes();
      expect(readdirSync(folder).filter((name) => name.includes('sync-image'))).toEqual([]);
      await new Promise((r) => setTimeout(r, 1_500));
      // Nothing writes into the cache once sign-out has returned.
      expect(sizes()).toEqual(after);
      expect(statSync(cacheFile).size).toBe(after[0]);
      // Stopped, not failed: no retry, no fallback to paged JSON.
      expect(d.lines.filter((l) => /cold sync image (failed|not used)/.test(l.message))).toEqual([]);
    } finally {
      await d.close();
    }
    const cache = await d.openCache('grace');
    try {
      // It was stopped part way: the next sign-in finishes it.
      expect(metaValue(cache, 'snapshot_complete')).not.toBe('1');
    } finally {
      cache.close();
      d.dir.remove();
    }
  }, SLOW);
});

async function loginToken(server: RunningServer, username: string): Promise<string> {
  const response = await api(server, 'POST', '/api/auth/login', { username, password: 'demo' }, '');
  return String(response.body.token);
}

/** Every file under a folder (the cache lives under users/<name>/). */
function readdir(root: string): string[] {
  return readdirSync(root, { recursive: true }).map(String);
}
