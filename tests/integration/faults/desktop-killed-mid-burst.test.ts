import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src-server/routing-server';
import { startServer } from '../../support/stack';
import { makeTempDir } from '../../support/temp-dir';
import { TsProcess } from '../../support/child-process';
import { burstCalls, demoAgentId, putCallsOnRecord } from '../../support/calls-on-record';

const BURST = Number(process.env.HOLDFAST_FAULT_BURST ?? 10_000);

describe('fault: the desktop backend is killed with -9 in the middle of a burst of wrap-ups', () => {
  let server: RunningServer;
  let removeServer: () => void;
  const desktopDir = makeTempDir('fault-kill');

  beforeAll(async () => {
    ({ server, remove: removeServer } = await startServer({ demoCustomers: 40 }));
  });
  afterAll(async () => {
    await server.close();
    removeServer();
    desktopDir.remove();
  });

  it('delivers every wrap-up it reported as saved exactly once after a restart', async () => {
    const customerIds = (await server.store.snapshotPage(null, 40)).customers.map((c) => c.id);
    await putCallsOnRecord(server.store, burstCalls(demoAgentId('ava'), customerIds));
    const first = new TsProcess('tests/support/desktop-process.ts', [server.url, desktopDir.path, 'ava']);
    await first.waitForLine((l) => l.event === 'ready');
    first.send({ cmd: 'burst', count: BURST, customerIds });
    // Let a good share of the burst land, then pull the plug while it is still writing.
    await first.waitForLine(() => first.lines.filter((l) => 'saved' in l).length >= Math.min(BURST / 4, 2500), 240_000);
    await first.killHard();
    const saved = first.lines.filter((l) => 'saved' in l).map((l) => String(l.saved));
    expect(first.lines.some((l) => l.event === 'burst-done')).toBe(false);
    expect(saved.length).toBeGreaterThan(0);

    const second = new TsProcess('tests/support/desktop-process.ts', [server.url, desktopDir.path, 'ava']);
    try {
      await second.waitForLine((l) => l.event === 'ready');
      for (let i = 0; ; i++) {
        second.send({ cmd: 'status' });
        const line = await second.waitForLine((l) => 'status' in l && second.lines.indexOf(l) >= second.lines.length - 1);
        second.lines.length = 0;
        if ((line.status as { outboxPending: number }).outboxPending === 0) break;
        if (i > 2400) throw new Error('the outbox did not drain');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await second.stop();
    }

    const onServer = (await server.store.recentOutcomes(1_000_000)).map((o) => o.id);
    const serverIds = new Set(onServer);
    const lost = saved.filter((id) => !serverIds.has(id));
    const duplicated = onServer.length - serverIds.size;
    expect({ lost: lost.length, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    // Nothing arrived that the desktop had not saved, beyond what it wrote just before the kill.
    expect(serverIds.size).toBeGreaterThanOrEqual(saved.length);
    expect(serverIds.size).toBeLessThanOrEqual(saved.length + 1);
  });
});
