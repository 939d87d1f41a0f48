import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '@shared/contract/desktop-api';
import { onDeviceSummary } from '../../../src-main/services/calls/on-device-summary';
import { DesktopBackend } from '../../../src-main/services/desktop-backend';
import { FileKeyProvider } from '../../../src-main/services/key-provider';
import { startServer } from '../../support/stack';
import { freePort, ServerProcess } from '../../support/server-process';
import { TcpProxy } from '../../support/tcp-proxy';
import { makeTempDir } from '../../support/temp-dir';
import { until } from '../../support/desktops';
import { demoAgentId, putCallsOnRecord, putCallsOnRecordIn } from '../../support/calls-on-record';

const CUSTOMERS = 200;
const PAGE = 10;

/**
 * A desktop whose cold sync takes many small pages, so a fault can land between two of them.
 * Paged JSON (the fallback when there is no image) is what resumes page by page; the image path is all or nothing.
 */
function desktop(serverUrl: string, dataDir: string): { backend: DesktopBackend; statuses: ConnectionStatus[] } {
  const backend = new DesktopBackend({ serverUrl, dataDir, keys: new FileKeyProvider(join(dataDir, 'cache.key')), summarise: onDeviceSummary, snapshotPageSize: PAGE, coldSyncImages: false });
  const statuses: ConnectionStatus[] = [];
  backend.on('status.changed', (status) => statuses.push(status));
  return { backend, statuses };
}

const midSnapshot = (s: ConnectionStatus): boolean => s.sync.phase === 'snapshot' && s.sync.done > 0 && s.sync.done < s.sync.total;
const isReady = (s: ConnectionStatus): boolean => s.sync.phase === 'ready' && s.connection === 'online' && s.outboxPending === 0;

async function saveWrapUp(backend: DesktopBackend, customerId: string): Promise<string> {
  const saved = await backend.invoke('wrapUp.save', {
    callId: 'CALL-during-cold-sync', customerId, disposition: 'retained', offerId: null, offerOutcome: 'no_offer', notes: '', summary: '',
  });
  if (!saved.ok) throw new Error(saved.error.message);
  return saved.value.id;
}

/** What happened after the fault was cleared: where the resumed snapshot started, and whether the outbox drained before it finished. */
function afterRecovery(statuses: readonly ConnectionStatus[], from: number): { firstDone: number; drainedWhileSnapshotPending: boolean } {
  const later = statuses.slice(from);
  const firstProgress = later.find((s) => s.sync.phase === 'snapshot' && s.sync.done > 0);
  const drained = later.findIndex((s) => s.outboxPending === 0);
  const ready = later.findIndex((s) => s.sync.phase === 'ready');
  return { firstDone: firstProgress?.sync.done ?? 0, drainedWhileSnapshotPending: drained >= 0 && drained < ready };
}

describe('fault: a cold sync is interrupted', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('by a network cut: it resumes on reconnect, and a wrap-up saved meanwhile arrives exactly once', async () => {
    const { server, remove } = await startServer({ demoCustomers: CUSTOMERS });
    const proxy = new TcpProxy(server.port);
    const viaProxy = await proxy.start();
    const dir = makeTempDir('cold-cut');
    const { backend, statuses } = desktop(viaProxy, dir.path);
    cleanups.push(() => server.close(), remove, () => proxy.stop(), () => backend.close(), dir.remove);
    let cut = false;
    backend.on('status.changed', (status) => {
      if (!cut && midSnapshot(status)) {
        cut = true;
        proxy.cut();
      }
    });
    expect((await backend.invoke('session.login', { username: 'ava', password: 'demo' })).ok).toBe(true);
    await until(() => statuses.some((s) => s.sync.phase === 'error'), 30_000, 'the cut to fail the cold sync');
    const cutAt = Math.max(...statuses.filter(midSnapshot).map((s) => s.sync.done));
    expect(cutAt).toBeLessThan(CUSTOMERS);
    const customerId = (await server.store.snapshotPage(null, 1)).customers[0]!.id;
    await putCallsOnRecord(server.store, [{ callId: 'CALL-during-cold-sync', agentId: demoAgentId('ava'), customerId }]);
    const id = await saveWrapUp(backend, customerId);

    const restoredAt = statuses.length;
    proxy.restore();
    await until(() => statuses.slice(restoredAt).some(isReady), 60_000, 'the cold sync to resume and finish');
    const ready = statuses.slice(restoredAt).find(isReady)!;
    expect(ready.sync.total).toBe(CUSTOMERS);
    const { firstDone, drainedWhileSnapshotPending } = afterRecovery(statuses, restoredAt);
    // It picked up after the pages it had, rather than starting over.
    expect(firstDone).toBeGreaterThan(PAGE);
    expect(drainedWhileSnapshotPending).toBe(true);
    const outcomes = (await server.store.recentOutcomes(10_000)).filter((o) => o.id === id);
    expect(outcomes.length).toBe(1);
  }, 180_000);

  it('by the server being killed: it resumes once the server is back, and a wrap-up saved meanwhile arrives exactly once', async () => {
    const dir = makeTempDir('cold-kill');
    const server = new ServerProcess(await freePort(), join(dir.path, 'server'), CUSTOMERS);
    await server.start();
    const { backend, statuses } = desktop(server.url, join(dir.path, 'desk'));
    cleanups.push(() => server.stop(), () => backend.close(), dir.remove);
    let killed: Promise<void> | null = null;
    backend.on('status.changed', (status) => {
      if (!killed && midSnapshot(status)) killed = server.kill();
    });
    expect((await backend.invoke('session.login', { username: 'ava', password: 'demo' })).ok).toBe(true);
    await until(() => killed !== null && statuses.some((s) => s.sync.phase === 'error'), 30_000, 'the kill to fail the cold sync');
    await killed;
    // The call the wrap-up is for, on record as Ava's (the server is down: its file is written directly).
    await putCallsOnRecordIn(join(dir.path, 'server'), [{ callId: 'CALL-during-cold-sync', agentId: demoAgentId('ava'), customerId: 'C1000007' }]);
    const id = await saveWrapUp(backend, 'C1000007');
    expect(statuses.at(-1)!.outboxPending).toBe(1);

    await new Promise((r) => setTimeout(r, 1000));
    const restartedAt = statuses.length;
    await server.start();
    await until(() => statuses.slice(restartedAt).some(isReady), 60_000, 'the cold sync to resume and finish');
    expect(statuses.slice(restartedAt).find(isReady)!.sync.total).toBe(CUSTOMERS);
    const { firstDone, drainedWhileSnapshotPending } = afterRecovery(statuses, restartedAt);
    expect(firstDone).toBeGreaterThan(PAGE);
    expect(drainedWhileSnapshotPending).toBe(true);

    await backend.close();
    await server.stop();
    const db = new Database(join(dir.path, 'server', 'routing.db'), { readonly: true });
    const rows = db.prepare<[string], { id: string }>('SELECT id FROM outcomes WHERE id = ?').all(id);
    db.close();
    expect(rows.length).toBe(1);
  }, 180_000);
});
