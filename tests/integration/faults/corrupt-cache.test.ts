import { openSync, readdirSync, rmSync, statSync, truncateSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src-server/routing-server';
import { startServer } from '../../support/stack';
import { makeTempDir } from '../../support/temp-dir';
import { TsProcess } from '../../support/child-process';

async function runDesktop(serverUrl: string, dir: string): Promise<{ status: Record<string, unknown>; process: TsProcess }> {
  const desktop = new TsProcess('tests/support/desktop-process.ts', [serverUrl, dir, 'ava']);
  await desktop.waitForLine((l) => l.event === 'ready' || 'error' in l, 60_000);
  const failure = desktop.lines.find((l) => 'error' in l);
  if (failure) throw new Error(String(failure.error));
  desktop.send({ cmd: 'status' });
  const line = await desktop.waitForLine((l) => 'status' in l);
  return { status: line.status as Record<string, unknown>, process: desktop };
}

describe('fault: a corrupt, truncated or unreadable cache', () => {
  let server: RunningServer;
  let removeServer: () => void;
  const dir = makeTempDir('fault-corrupt');
  const cacheFile = join(dir.path, 'users', 'ava', 'cache.db');

  beforeAll(async () => {
    ({ server, remove: removeServer } = await startServer({ demoCustomers: 30 }));
  });
  afterAll(async () => {
    await server.close();
    removeServer();
    dir.remove();
  });

  it('builds a cache, then recovers from garbage written over it', async () => {
    const first = await runDesktop(server.url, dir.path);
    expect((first.status.sync as { message: string | null }).message).toBeNull();
    await first.process.stop();
    expect(statSync(cacheFile).size).toBeGreaterThan(10_000);

    const fd = openSync(cacheFile, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, 0);
    closeSync(fd);

    const second = await runDesktop(server.url, dir.path);
    expect(String((second.status.sync as { message: string }).message)).toMatch(/could not be read and is being rebuilt/);
    expect((second.status.sync as { phase: string }).phase).toBe('ready');
    expect((second.status.sync as { total: number }).total).toBe(30);
    await second.process.stop();
    // The bad file was set aside, not deleted, and the rebuilt cache opens cleanly next time: no crash loop.
    expect(readdirSync(join(dir.path, 'users', 'ava')).some((f) => f.includes('.unreadable-'))).toBe(true);
    const third = await runDesktop(server.url, dir.path);
    expect((third.status.sync as { message: string | null }).message).toBeNull();
    await third.process.stop();
  });

  it('recovers from a truncated file', async () => {
    truncateSync(cacheFile, 3000);
    const desktop = await runDesktop(server.url, dir.path);
    expect((desktop.status.sync as { phase: string }).phase).toBe('ready');
    expect((desktop.status.sync as { total: number }).total).toBe(30);
    await desktop.process.stop();
  });

  it('re-syncs, rather than crashing, when the key is lost', async () => {
    rmSync(join(dir.path, 'cache.key'));
    const desktop = await runDesktop(server.url, dir.path);
    expect(String((desktop.status.sync as { message: string }).message)).toMatch(/rebuilt/);
    expect((desktop.status.sync as { total: number }).total).toBe(30);
    await desktop.process.stop();
  });
});
