import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalCache } from '../../../src-main/services/cache/local-cache';
import { OutboxSender } from '../../../src-main/services/outbox/outbox-sender';
import { connectServerSocket, type ServerSocket } from '../../../src-main/services/server-link/server-socket';
import { putCallsOnRecordIn } from '../../support/calls-on-record';
import { TsProcess } from '../../support/child-process';
import { freePort, waitForHealth } from '../../support/server-process';
import { api } from '../../support/stack';
import { makeTempDir } from '../../support/temp-dir';
import { until } from '../../support/desktops';

describe('the outbox retries on its own after an entry timed out', () => {
  const dir = makeTempDir('outbox-retry');
  let server: TsProcess | null = null;
  let socket: ServerSocket | null = null;
  let cache: LocalCache | null = null;

  afterAll(async () => {
    socket?.disconnect();
    cache?.close();
    server?.child.kill('SIGCONT');
    await server?.stop();
    dir.remove();
  });

  it('delivers it exactly once, with no new save and no reconnect', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    server = new TsProcess('src-server/main.ts', ['--port', String(port), '--data', join(dir.path, 'server'), '--customers', '20'], {
      HOLDFAST_LOG_LEVEL: 'silent', HOLDFAST_DEMO_AS_OF: '2026-11-20',
    });
    await waitForHealth(url);
    const login = await api({ url }, 'POST', '/api/auth/login', { username: 'ava', password: 'demo' }, '');
    expect(login.status).toBe(200);
    const agentId = String((login.body.agent as { id: string }).id);

    await putCallsOnRecordIn(join(dir.path, 'server'), [{ callId: 'CALL-retry', agentId, customerId: 'C1000007' }]);
    cache = new LocalCache(join(dir.path, 'cache.db'), randomBytes(32).toString('hex'));
    const id = randomUUID();
    cache.outbox.saveWrapUp({
      id, callId: 'CALL-retry', customerId: 'C1000007', agentId, disposition: 'retained', offerId: null, offerOutcome: 'no_offer',
      notes: '', summary: '', summaryAuthor: 'agent', createdAt: new Date().toISOString(),
    });
    socket = connectServerSocket(url, String(login.body.token));
    let disconnects = 0;
    socket.on('disconnect', () => disconnects++);
    await until(() => socket!.connected, 10_000, 'the socket to connect');

    const sender = new OutboxSender(cache, () => undefined, { ackTimeoutMs: 500, retry: { baseMs: 300, maxMs: 1_000 } });
    // The server freezes (a long GC pause, an overloaded host): the batch is not acknowledged in time.
    server.child.kill('SIGSTOP');
    await sender.flush(socket);
    expect(cache.outbox.pendingCount()).toBe(1);
    expect(cache.outbox.pending(1)[0]!.attempts).toBe(1);
    // It wakes up and applies the late batch; its ack goes to nobody. Only the retry timer can settle the entry now.
    server.child.kill('SIGCONT');
    await until(() => cache!.outbox.pendingCount() === 0, 15_000, 'the outbox to drain without a new save or reconnect');
    expect(disconnects).toBe(0);

    socket.disconnect();
    await server.stop();
    server = null;
    const db = new Database(join(dir.path, 'server', 'routing.db'), { readonly: true });
    const rows = db.prepare<[string], { id: string }>('SELECT id FROM outcomes WHERE id = ?').all(id);
    db.close();
    expect(rows.length).toBe(1);
  });
});
