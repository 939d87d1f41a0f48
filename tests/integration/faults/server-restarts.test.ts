import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '@shared/demo-data/agents';
import { freePort, ServerProcess } from '../../support/server-process';
import { makeTempDir } from '../../support/temp-dir';
import { pendingOutbox, startDesktops, until } from '../../support/desktops';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import { demoAgentId, putCallsOnRecordIn } from '../../support/calls-on-record';

const DESKTOPS = 20;
const RESTARTS = 5;

describe('fault: the server is killed and restarted 5 times while 20 desktops stream wrap-ups', () => {
  const dir = makeTempDir('fault-restart');
  let server: ServerProcess;
  let close: (() => Promise<void>) | null = null;

  afterAll(async () => {
    await close?.();
    await server?.stop();
    dir.remove();
  });

  it('loses nothing and duplicates nothing', async () => {
    server = new ServerProcess(await freePort(), join(dir.path, 'server'));
    await server.start();
    const agents = DEMO_AGENTS.filter((a) => a.role === 'agent').map((a) => a.username);
    const usernames = Array.from({ length: DESKTOPS }, (_, i) => agents[i % agents.length]!);
    const desktops = await startDesktops(server.url, usernames);
    close = desktops.close;
    const customerIds = ['C1000007', 'C1000014', 'C1000021'];
    const saved: string[] = [];
    // The calls the desktops wrap up, on record as theirs: desktop n wraps up CALL-n-0..2 again and again.
    await putCallsOnRecordIn(join(dir.path, 'server'), usernames.flatMap((username, n) => customerIds.map((customerId, i) => ({ callId: `CALL-${n}-${i}`, agentId: demoAgentId(username), customerId }))));
    let streaming = true;

    const stream = async (backend: DesktopBackend, n: number): Promise<void> => {
      for (let i = 0; streaming; i++) {
        const result = await backend.invoke('wrapUp.save', {
          callId: `CALL-${n}-${i % customerIds.length}`, customerId: customerIds[i % customerIds.length]!, disposition: 'retained',
          offerId: null, offerOutcome: 'no_offer', notes: '', summary: '',
        });
        if (result.ok) saved.push(result.value.id);
        await new Promise((r) => setTimeout(r, 40));
      }
    };
    const streams = desktops.backends.map((b, n) => stream(b, n));

    for (let restart = 0; restart < RESTARTS; restart++) {
      await new Promise((r) => setTimeout(r, 1500));
      await server.kill();
      await new Promise((r) => setTimeout(r, 500));
      await server.start();
    }
    await new Promise((r) => setTimeout(r, 1000));
    streaming = false;
    await Promise.all(streams);
    await until(async () => (await Promise.all(desktops.backends.map(pendingOutbox))).every((n) => n === 0), 120_000, 'outboxes to drain');
    await server.stop();

    const db = new Database(join(dir.path, 'server', 'routing.db'), { readonly: true });
    const rows = db.prepare<[], { id: string }>('SELECT id FROM outcomes').all().map((r) => r.id);
    db.close();
    const onServer = new Set(rows);
    const lost = saved.filter((id) => !onServer.has(id)).length;
    const duplicated = rows.length - onServer.size;
    const unexpected = rows.filter((id) => !saved.includes(id)).length;
    expect(saved.length).toBeGreaterThan(DESKTOPS * 20);
    expect({ lost, duplicated, unexpected }).toEqual({ lost: 0, duplicated: 0, unexpected: 0 });
    // Room for the outboxes' own 120 s drain wait: on a loaded two-core machine the run takes about a minute.
  }, 180_000);
});
