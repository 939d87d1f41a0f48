import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '@shared/contract/desktop-api';
import { DesktopClient } from '../../support/desktop-client';
import { until } from '../../support/desktops';
import { freePort, ServerProcess } from '../../support/server-process';
import { api, login } from '../../support/stack';
import { TcpProxy } from '../../support/tcp-proxy';
import { makeTempDir } from '../../support/temp-dir';
import { demoAgentId, putCallsOnRecordIn } from '../../support/calls-on-record';

/**
 * The routing server and three desktop backends each run in their own
 * process; the TCP proxy in this process stands between the desktops and the
 * server and fails the network in the two ways a contact center sees:
 * a cut (connections close) and a blackhole (connections stay up, nothing
 * crosses). The test's own requests to the server go direct, as the CRM's and
 * the telephony's would.
 */
const CUT_MS = Number(process.env.HOLDFAST_FAULT_CUT_MS ?? 30_000);
// A minimum: the blackhole lasts until every desktop has noticed it, and a few wrap-ups more.
const BLACKHOLE_MS = Number(process.env.HOLDFAST_FAULT_BLACKHOLE_MS ?? 15_000);
const USERNAMES = ['ava', 'noa', 'dmitri'];
/** The server's data folder (it runs in a process of its own). */
let serverDataDir = '';
const SUPERVISOR = 'marcus';

interface Customer { id: string; phones: string[]; email: string | null }
/** One wrap-up a desktop reported saved. */
interface Saved { desktop: string; callId: string; id: string }

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function statuses(desktops: DesktopClient[]): Promise<ConnectionStatus[]> {
  return Promise.all(desktops.map((d) => d.status()));
}

async function untilEvery(desktops: DesktopClient[], test: (s: ConnectionStatus) => boolean, timeoutMs: number, what: string): Promise<void> {
  await until(async () => (await statuses(desktops)).every(test), timeoutMs, what);
}

/** Every desktop saves one wrap-up, for a call id that says which outage and which round it belongs to. */
async function saveRound(desktops: DesktopClient[], customers: Customer[], prefix: string, round: number, saved: Saved[]): Promise<void> {
  const calls = desktops.map((desktop, n) => ({
    callId: `${prefix}-${desktop.username}-${round}`, agentId: demoAgentId(desktop.username), customerId: customers[(round + n) % customers.length]!.id,
  }));
  // The server takes wrap-ups for the agent's own calls only: these are on record as theirs.
  await putCallsOnRecordIn(serverDataDir, calls);
  await Promise.all(desktops.map(async (desktop, n) => {
    const { callId, customerId } = calls[n]!;
    saved.push({ desktop: desktop.username, callId, id: await desktop.saveWrapUp(callId, customerId, prefix) });
  }));
}

/**
 * What the server holds of the wrap-ups saved during one outage, read from its
 * database (it is another process). Each call id was saved once, so a second
 * row for a call is a duplicate whatever its id.
 */
function delivery(dbFile: string, prefix: string, saved: readonly Saved[]): { lost: number; duplicated: number; unexpected: number } {
  const db = new Database(dbFile, { readonly: true });
  const rows = db.prepare<[string], { id: string; call_id: string }>('SELECT id, call_id FROM outcomes WHERE call_id LIKE ?').all(`${prefix}-%`);
  db.close();
  const ids = new Set(rows.map((r) => r.id));
  const savedIds = new Set(saved.map((s) => s.id));
  return {
    lost: saved.filter((s) => !ids.has(s.id)).length,
    duplicated: rows.length - new Set(rows.map((r) => r.call_id)).size,
    unexpected: rows.filter((r) => !savedIds.has(r.id)).length,
  };
}

/** A correction made on the server side (the CRM), which the desktops learn of through the change feed. */
async function correctEmail(serverUrl: string, customerId: string, email: string): Promise<void> {
  const edit = await api({ url: serverUrl }, 'PATCH', `/api/customers/${customerId}`, { field: 'email', value: email });
  expect(edit.status).toBe(200);
}

let checks = 0;
/** Waits until a pop for the customer shows the email on every desktop: the correction reached its cache. */
async function untilPopsShow(desktops: DesktopClient[], customerId: string, email: string): Promise<void> {
  for (const desktop of desktops) {
    await until(async () => (await desktop.offer(customerId, `CALL-check-${checks++}`)).email === email, 20_000, `the server-side correction to reach ${desktop.username}`);
  }
}

/** The server's heartbeat, from its engine.io handshake: how long a silent link can go before an end gives up on it. */
async function heartbeat(serverUrl: string): Promise<{ pingInterval: number; pingTimeout: number }> {
  const text = await (await fetch(new URL('/socket.io/?EIO=4&transport=polling', serverUrl))).text();
  const handshake = JSON.parse(text.slice(text.indexOf('{'))) as { pingInterval: number; pingTimeout: number };
  return { pingInterval: handshake.pingInterval, pingTimeout: handshake.pingTimeout };
}

describe('fault: the network between the desktops and the server fails while calls and wrap-ups continue', () => {
  const dir = makeTempDir('fault-network');
  const dbFile = join(dir.path, 'server', 'routing.db');
  let server: ServerProcess | null = null;
  let proxy: TcpProxy | null = null;
  const desktops: DesktopClient[] = [];
  let customers: Customer[] = [];
  let supervisorToken = '';

  beforeAll(async () => {
    serverDataDir = join(dir.path, 'server');
    server = new ServerProcess(await freePort(), serverDataDir);
    proxy = new TcpProxy(server.port);
    const viaProxy = await proxy.start();
    // The desktops boot while the server does (they retry their login until it answers), as after a power cut;
    // each is kept as soon as it is up, so afterAll stops it even if another fails to start.
    await Promise.all([
      server.start(),
      ...USERNAMES.map(async (u) => void desktops.push(await DesktopClient.start(viaProxy, join(dir.path, u), u))),
    ]);
    ({ token: supervisorToken } = await login(server, SUPERVISOR));
    const snapshot = await api(server, 'GET', '/api/sync/snapshot?limit=40', undefined, supervisorToken);
    customers = snapshot.body.customers as Customer[];
    expect(customers.length).toBe(40);
  }, 180_000);

  afterEach(() => {
    // A case that failed mid-outage must not leave the next one offline.
    proxy?.restore();
  });

  afterAll(async () => {
    await Promise.all(desktops.map((d) => d.stop()));
    await proxy?.stop();
    await server?.stop();
    dir.remove();
  });

  /** Each outage starts from a calm floor: every desktop online with nothing waiting to be sent. */
  async function calm(): Promise<void> {
    await untilEvery(desktops, (s) => s.connection === 'online' && s.outboxPending === 0, 30_000, 'every desktop online with an empty outbox');
  }

  /** Nothing crosses during an outage, so each desktop still holds every wrap-up it saved. */
  async function expectAllQueued(saved: readonly Saved[]): Promise<void> {
    const pending = (await statuses(desktops)).map((s) => s.outboxPending);
    expect(pending).toEqual(desktops.map((d) => saved.filter((s) => s.desktop === d.username).length));
  }

  it(`a cut of ${CUT_MS / 1000} s: wrap-ups queue and arrive exactly once, calls wait, the server-side correction reaches every desktop`, async () => {
    await calm();
    const [target, offline] = [customers[0]!, customers[1]!];
    const callers = customers.filter((c) => c.phones.length > 0);
    const saved: Saved[] = [];
    const callsPosted: string[] = [];

    proxy!.cut();
    await untilEvery(desktops, (s) => s.connection !== 'online', 20_000, 'desktops to notice the cut');
    const started = Date.now();
    for (let round = 0; Date.now() - started < CUT_MS; round++) {
      await saveRound(desktops, customers, 'CALL-cut', round, saved);
      if (round % 5 === 0) {
        const call = await api(server!, 'POST', '/api/calls', { callerNumber: callers[round % callers.length]!.phones[0], language: 'en' });
        expect(call.status).toBe(201);
        callsPosted.push(String(call.body.callId));
      }
      if (round === 0) await correctEmail(server!.url, target.id, 'corrected@example.com');
      await sleep(1000);
    }
    // Pops keep working from the cache while offline.
    expect((await desktops[0]!.offer(offline.id, 'CALL-offline-pop')).customerId).toBe(offline.id);
    await expectAllQueued(saved);

    proxy!.restore();
    await untilEvery(desktops, (s) => s.connection === 'online' && s.outboxPending === 0, 60_000, 'outboxes to drain');
    expect(saved.length).toBeGreaterThanOrEqual(USERNAMES.length * Math.floor(CUT_MS / 2000));
    expect(delivery(dbFile, 'CALL-cut', saved)).toEqual({ lost: 0, duplicated: 0, unexpected: 0 });
    await untilPopsShow(desktops, target.id, 'corrected@example.com');

    // Calls that arrived during the cut are still waiting, not lost (the agents came back "away").
    const state = await api(server!, 'GET', '/api/supervisor/state', undefined, supervisorToken);
    expect(state.status).toBe(200);
    const queued = new Set((state.body.queue as { id: string }[]).map((c) => c.id));
    expect(callsPosted.filter((id) => !queued.has(id))).toEqual([]);
  }, CUT_MS + 120_000);

  it(`a blackhole of at least ${BLACKHOLE_MS / 1000} s: the desktops notice, keep saving, and everything arrives exactly once`, async () => {
    await calm();
    const [target, offline] = [customers[2]!, customers[3]!];
    const saved: Saved[] = [];
    // A silent link is only found out by the heartbeat: the desktop gives up on it after
    // pingInterval + pingTimeout without a ping (engine.io-client), plus slack for a loaded machine.
    const { pingInterval, pingTimeout } = await heartbeat(server!.url);
    const noticeWithinMs = pingInterval + pingTimeout + 5_000;
    const noticed = new Map<string, number>();

    proxy!.blackhole();
    const started = Date.now();
    for (let round = 0; ; round++) {
      await saveRound(desktops, customers, 'CALL-blackhole', round, saved);
      if (round === 1) await correctEmail(server!.url, target.id, 'corrected-in-the-dark@example.com');
      const elapsed = Date.now() - started;
      (await statuses(desktops)).forEach((s, n) => {
        if (s.connection !== 'online' && !noticed.has(desktops[n]!.username)) noticed.set(desktops[n]!.username, elapsed);
      });
      if (noticed.size < desktops.length && elapsed > noticeWithinMs) {
        const unaware = desktops.map((d) => d.username).filter((u) => !noticed.has(u));
        throw new Error(`desktops still "online" ${elapsed} ms into a blackhole (heartbeat ${pingInterval} + ${pingTimeout} ms): ${unaware.join(', ')}`);
      }
      // Go on past the last desktop's notice, so some wrap-ups are saved knowingly offline too.
      if (noticed.size === desktops.length && elapsed >= Math.max(BLACKHOLE_MS, Math.max(...noticed.values()) + 2_000)) break;
      await sleep(1000);
    }
    expect((await desktops[0]!.offer(offline.id, 'CALL-dark-pop')).customerId).toBe(offline.id);
    await expectAllQueued(saved);

    proxy!.restore();
    await untilEvery(desktops, (s) => s.connection === 'online' && s.outboxPending === 0, 60_000, 'outboxes to drain after the blackhole');
    expect(delivery(dbFile, 'CALL-blackhole', saved)).toEqual({ lost: 0, duplicated: 0, unexpected: 0 });
    await untilPopsShow(desktops, target.id, 'corrected-in-the-dark@example.com');
  }, BLACKHOLE_MS + 120_000);
});
