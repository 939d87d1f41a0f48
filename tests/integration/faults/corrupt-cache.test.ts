import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src-server/routing-server';
import { startServer } from '../../support/stack';
import { unlockCache } from '../../../src-main/services/cache/cache-cipher';
import { makeTempDir } from '../../support/temp-dir';
import { TsProcess } from '../../support/child-process';
import { TcpProxy } from '../../support/tcp-proxy';
import { burstCalls, demoAgentId, putCallsOnRecord } from '../../support/calls-on-record';

const CUSTOMERS = 200;

type Status = { connection: string; outboxPending: number; sync: { phase: string; total: number; message: string | null } };

async function status(desktop: TsProcess): Promise<Status> {
  const from = desktop.lines.length;
  desktop.send({ cmd: 'status' });
  const line = await desktop.waitForLine((l) => 'status' in l && desktop.lines.indexOf(l) >= from);
  return line.status as Status;
}

async function runDesktop(serverUrl: string, dir: string): Promise<{ status: Status; process: TsProcess }> {
  const desktop = new TsProcess('tests/support/desktop-process.ts', [serverUrl, dir, 'ava']);
  await desktop.waitForLine((l) => l.event === 'ready' || 'error' in l, 60_000);
  const failure = desktop.lines.find((l) => 'error' in l);
  if (failure) throw new Error(String(failure.error));
  return { status: await status(desktop), process: desktop };
}

async function saveWrapUps(desktop: TsProcess, count: number, customerIds: string[]): Promise<string[]> {
  const from = desktop.lines.length;
  desktop.send({ cmd: 'burst', count, customerIds });
  await desktop.waitForLine((l) => l.event === 'burst-done' && desktop.lines.indexOf(l) >= from);
  return desktop.lines.slice(from).filter((l) => 'saved' in l).map((l) => String(l.saved));
}

async function waitUntil(desktop: TsProcess, test: (s: Status) => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (test(await status(desktop))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** What the server holds of the wrap-ups the desktop reported saved. */
async function delivery(server: RunningServer, saved: readonly string[]): Promise<{ lost: number; duplicated: number; unexpected: number }> {
  const onServer = (await server.store.recentOutcomes(100_000)).map((o) => o.id);
  const ids = new Set(onServer);
  return { lost: saved.filter((id) => !ids.has(id)).length, duplicated: onServer.length - ids.size, unexpected: onServer.filter((id) => !saved.includes(id)).length };
}

describe('fault: a corrupt, truncated or unreadable cache', () => {
  let server: RunningServer;
  let removeServer: () => void;
  let customerIds: string[];
  const saved: string[] = [];
  const dir = makeTempDir('fault-corrupt');
  const cacheFile = join(dir.path, 'users', 'ava', 'cache.db');

  beforeAll(async () => {
    ({ server, remove: removeServer } = await startServer({ demoCustomers: CUSTOMERS }));
    customerIds = (await server.store.snapshotPage(null, 5)).customers.map((c) => c.id);
    await putCallsOnRecord(server.store, burstCalls(demoAgentId('ava'), customerIds));
  });
  afterAll(async () => {
    await server.close();
    removeServer();
    dir.remove();
  });

  it('builds a cache, then recovers from garbage written over it', async () => {
    const first = await runDesktop(server.url, dir.path);
    expect(first.status.sync.message).toBeNull();
    saved.push(...await saveWrapUps(first.process, 5, customerIds));
    await waitUntil(first.process, (s) => s.outboxPending === 0, 'the wrap-ups to be sent');
    await first.process.stop();
    expect(statSync(cacheFile).size).toBeGreaterThan(10_000);

    const fd = openSync(cacheFile, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, 0);
    closeSync(fd);

    const second = await runDesktop(server.url, dir.path);
    expect(second.status.sync.message).toMatch(/could not be read and is being rebuilt/);
    // The file's salt went with its first page: nothing in it can be decrypted, and the message says so.
    expect(second.status.sync.message).toMatch(/could not be recovered/);
    expect(second.status.sync.phase).toBe('ready');
    expect(second.status.sync.total).toBe(CUSTOMERS);
    expect(second.status.outboxPending).toBe(0);
    await second.process.stop();
    // The bad file was set aside, not deleted, and the rebuilt cache opens cleanly next time: no crash loop.
    expect(readdirSync(join(dir.path, 'users', 'ava')).some((f) => f.includes('.unreadable-'))).toBe(true);
    const third = await runDesktop(server.url, dir.path);
    expect(third.status.sync.message).toBeNull();
    await third.process.stop();
    expect(await delivery(server, saved)).toEqual({ lost: 0, duplicated: 0, unexpected: 0 });
  });

  it('recovers from a truncated file', async () => {
    truncateSync(cacheFile, 3000);
    const desktop = await runDesktop(server.url, dir.path);
    expect(desktop.status.sync.phase).toBe('ready');
    expect(desktop.status.sync.total).toBe(CUSTOMERS);
    await desktop.process.stop();
  });

  it('re-syncs, rather than crashing, when the key is lost', async () => {
    rmSync(join(dir.path, 'cache.key'));
    const desktop = await runDesktop(server.url, dir.path);
    expect(desktop.status.sync.message).toMatch(/rebuilt/);
    expect(desktop.status.sync.total).toBe(CUSTOMERS);
    await desktop.process.stop();
    expect(await delivery(server, saved)).toEqual({ lost: 0, duplicated: 0, unexpected: 0 });
  });

  it('detects pages damaged in the middle of the file when it opens, and sends the wrap-ups that were waiting in it exactly once', async () => {
    const proxy = new TcpProxy(server.port);
    const viaProxy = await proxy.start();
    const own = makeTempDir('fault-corrupt-mid');
    const file = join(own.path, 'users', 'ava', 'cache.db');
    try {
      const first = await runDesktop(viaProxy, own.path);
      // Offline, so the wrap-ups stay in the outbox of the file about to be damaged.
      proxy.cut();
      await waitUntil(first.process, (s) => s.connection !== 'online', 'the desktop to go offline');
      const waiting = await saveWrapUps(first.process, 7, customerIds);
      saved.push(...waiting);
      expect((await status(first.process)).outboxPending).toBe(7);
      await first.process.stop();
      expect(existsSync(`${file}-wal`)).toBe(false);

      // Damage three pages of customer data nearest the middle of the file (found with the key, as a disk fault would not need).
      const key = readFileSync(join(own.path, 'cache.key'), 'utf8').trim();
      const probe = new Database(file, { readonly: true });
      unlockCache(probe, key);
      const pageSize = Number(probe.pragma('page_size', { simple: true }));
      const pageCount = statSync(file).size / pageSize;
      const dataPages = probe.prepare<[], { pageno: number }>("SELECT pageno FROM dbstat WHERE name IN ('customers', 'interactions', 'scores', 'customer_phones')").all().map((r) => r.pageno);
      probe.close();
      const middle = pageCount / 2;
      const targets = dataPages.sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle)).slice(0, 3);
      expect(targets.length).toBe(3);
      // Deep in the file, never its first page (the header SQLite reads at once): only a page check finds these.
      // (A cache adopted from the image has 64 KB pages: the book is large enough for its data to fill the middle of the file.)
      for (const page of targets) expect(page).toBeGreaterThan(Math.max(2, pageCount * 0.2));
      const fd = openSync(file, 'r+');
      for (const page of targets) writeSync(fd, randomBytes(pageSize), 0, pageSize, (page - 1) * pageSize);
      closeSync(fd);

      proxy.restore();
      const second = await runDesktop(viaProxy, own.path);
      expect(second.status.sync.message).toMatch(/could not be read and is being rebuilt/);
      expect(second.status.sync.message).toMatch(/7 unsent changes were recovered and will be sent; none were lost/);
      expect(second.status.sync.total).toBe(CUSTOMERS);
      await waitUntil(second.process, (s) => s.outboxPending === 0, 'the recovered wrap-ups to be sent');
      await second.process.stop();
      expect(await delivery(server, saved)).toEqual({ lost: 0, duplicated: 0, unexpected: 0 });
    } finally {
      await proxy.stop();
      own.remove();
    }
  });
});
