import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncImageManifestSchema } from '@shared/contract/sync-image';
import type { RunningServer } from '../../../src-server/routing-server';
import { downloadToFile } from '../../../src-main/services/server-link/download-file';
import { api, login, startServer } from '../../support/stack';
import { makeTempDir } from '../../support/temp-dir';

async function download(server: RunningServer, token: string, sha256: string): Promise<{ status: number; bytes: Buffer }> {
  const response = await fetch(new URL(`/api/sync/image/${sha256}`, server.url), { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('server: cold-sync images per scope', () => {
  let server: RunningServer;
  let remove: () => void;
  const dir = makeTempDir('image-scope');

  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 300, agentCustomerScope: 'languages', syncImage: { maxLagChanges: 2 } }));
  });
  afterAll(async () => {
    await server.close();
    remove();
    dir.remove();
  });

  it('builds once for many desktops of one scope asking at once', async () => {
    const tokens = await Promise.all(['rachel', 'marcus'].map(async (u) => (await login(server, u)).token));
    // Supervisors both get the whole book: one scope.
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => api(server, 'GET', '/api/sync/image', undefined, tokens[i % 2])));
    expect(answers.map((a) => a.status)).toEqual(Array(16).fill(200));
    const hashes = new Set(answers.map((a) => syncImageManifestSchema.parse(a.body).sha256));
    expect(hashes.size).toBe(1);
    expect(server.syncImages!.buildCount).toBe(1);
  });

  it("gives an agent only its own scope's image, and keeps the files private", async () => {
    const supervisor = (await login(server, 'rachel')).token;
    const agent = (await login(server, 'ava')).token;
    const whole = syncImageManifestSchema.parse((await api(server, 'GET', '/api/sync/image', undefined, supervisor)).body);
    const own = syncImageManifestSchema.parse((await api(server, 'GET', '/api/sync/image', undefined, agent)).body);
    expect(own.sha256).not.toBe(whole.sha256);
    expect(own.totalCustomers).toBeLessThan(whole.totalCustomers);

    // The whole book's image, by its hash, is not the agent's to download.
    expect((await download(server, agent, whole.sha256)).status).toBe(404);
    expect((await api(server, 'GET', '/api/sync/image', undefined, '')).status).toBe(401);
    expect((await api(server, 'GET', '/api/sync/image')).status).toBe(403);
    expect((await api(server, 'GET', '/api/sync/image/not-a-hash', undefined, agent)).status).toBe(400);

    const got = await download(server, agent, own.sha256);
    expect(got.status).toBe(200);
    expect(got.bytes.length).toBe(own.bytes);
    const file = join(dir.path, 'ava.sqlite');
    writeFileSync(file, got.bytes);
    const db = new Database(file, { readonly: true });
    try {
      const languages = db.prepare("SELECT DISTINCT json_extract(data, '$.language') AS l FROM customers ORDER BY l").pluck().all();
      expect(languages.length).toBeGreaterThan(0);
      expect(languages.every((l) => l === 'en' || l === 'es')).toBe(true);
      expect(db.prepare('SELECT COUNT(*) FROM customers').pluck().get()).toBe(own.totalCustomers);
      // Scores and history only for the customers in the image.
      expect(db.prepare('SELECT COUNT(*) FROM interactions WHERE customer_id NOT IN (SELECT id FROM customers)').pluck().get()).toBe(0);
    } finally {
      db.close();
    }

    const served = server.syncImages!.imageById({ languages: ['es', 'en'] }, own.sha256)!;
    expect(statSync(served.file).mode & 0o777).toBe(0o600);
    expect(statSync(served.zstd!.file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(served.file)).mode & 0o777).toBe(0o700);
  });

  it('sends the image zstd-compressed to a desktop that asks, and the same file once inflated', async () => {
    const agent = (await login(server, 'ava')).token;
    const manifest = syncImageManifestSchema.parse((await api(server, 'GET', '/api/sync/image', undefined, agent)).body);
    const served = server.syncImages!.imageById({ languages: ['en', 'es'] }, manifest.sha256)!;
    // A SQLite file of JSON text: far fewer bytes on the wire.
    expect(served.zstd!.bytes).toBeLessThan(manifest.bytes / 4);
    const url = new URL(`/api/sync/image/${manifest.sha256}`, server.url);
    const packed = await downloadToFile(url, agent, join(dir.path, 'packed.sqlite'), {}, { acceptZstd: true });
    const hashedPacked = await downloadToFile(url, agent, join(dir.path, 'hashed-packed.sqlite'), {}, { acceptZstd: true, hashPacked: true });
    const plain = await downloadToFile(url, agent, join(dir.path, 'plain.sqlite'), {});
    expect(packed).toEqual({ sha256: manifest.sha256, bytes: manifest.bytes, encoding: 'zstd', hashed: 'identity' });
    // The manifest names the compressed copy's hash, which is what a desktop checks as the bytes arrive.
    expect(manifest.zstd).toEqual({ sha256: served.zstd!.sha256, bytes: served.zstd!.bytes });
    expect(createHash('sha256').update(readFileSync(served.zstd!.file)).digest('hex')).toBe(manifest.zstd!.sha256);
    expect(hashedPacked).toEqual({ sha256: manifest.zstd!.sha256, bytes: manifest.bytes, encoding: 'zstd', hashed: 'zstd' });
    expect(plain).toEqual({ sha256: manifest.sha256, bytes: manifest.bytes, encoding: 'identity', hashed: 'identity' });
    for (const copy of ['packed.sqlite', 'hashed-packed.sqlite']) expect(readFileSync(join(dir.path, copy)).equals(readFileSync(join(dir.path, 'plain.sqlite')))).toBe(true);
    // The wire really carried the compressed copy.
    const raw = await new Promise<{ encoding: string | undefined; length: number }>((resolve, reject) => {
      httpGet(url, { headers: { authorization: `Bearer ${agent}`, 'accept-encoding': 'gzip, zstd' } }, (response) => {
        let length = 0;
        response.on('data', (chunk: Buffer) => { length += chunk.length; });
        response.on('end', () => resolve({ encoding: response.headers['content-encoding'], length }));
      }).on('error', reject);
    });
    expect(raw).toEqual({ encoding: 'zstd', length: served.zstd!.bytes });
  });

  it('builds a new image once the feed has moved past the window, and stops serving the old one', async () => {
    const supervisor = (await login(server, 'rachel')).token;
    const before = syncImageManifestSchema.parse((await api(server, 'GET', '/api/sync/image', undefined, supervisor)).body);
    const builds = server.syncImages!.buildCount;
    const customers = (await server.store.snapshotPage(null, 3)).customers;
    for (const [i, c] of customers.entries()) {
      expect((await api(server, 'PATCH', `/api/customers/${c.id}`, { field: 'email', value: `moved-${i}@example.com` })).status).toBe(200);
    }
    const after = syncImageManifestSchema.parse((await api(server, 'GET', '/api/sync/image', undefined, supervisor)).body);
    expect(after.asOfSeq).toBeGreaterThan(before.asOfSeq);
    expect(after.sha256).not.toBe(before.sha256);
    expect(server.syncImages!.buildCount).toBe(builds + 1);
    expect((await download(server, supervisor, before.sha256)).status).toBe(404);
    expect((await download(server, supervisor, after.sha256)).status).toBe(200);
  });
});
