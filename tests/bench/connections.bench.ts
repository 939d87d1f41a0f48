import { spawn, type ChildProcess } from 'node:child_process';
import { execSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { DEMO_AGENTS } from '@shared/demo-data/agents';
import { DEMO_TELEPHONY_KEY } from '../../src-server/config';
import { startRoutingServer } from '../../src-server/routing-server';
import { makeTempDir } from '../support/temp-dir';
import { percentile, reportBench } from './report';

/**
 * `npm run bench:connections [-- --connections 5000 --hold 25 --offers 60]`
 *
 * One routing server in a child process (so its memory is its own) holds
 * N concurrent desktop sockets from this process, each logged in with a real
 * token (the demo agents' logins, shared by many sockets as one agent's
 * several desktops), with socket.io heartbeats (ping every 5 s) over the
 * hold. Reports the server's memory per connection, and the offer delivery
 * latency: from the moment the server emits a call:offered (the offer's
 * offeredAt) to the moment each of the agent's sockets receives it. Loopback only.
 */
const { values } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    data: { type: 'string' },
    connections: { type: 'string', default: '5000' },
    hold: { type: 'string', default: '25' },
    offers: { type: 'string', default: '60' },
    batch: { type: 'string', default: '200' },
  },
});
const log = (message: string): void => void process.stderr.write(`${message}\n`);
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;
const now = (): number => performance.timeOrigin + performance.now();

/** The server side: a real routing server that reports its memory when asked on stdin. */
async function runServerChild(dataDir: string): Promise<void> {
  const server = await startRoutingServer({ port: 0, dataDir, demoCustomers: 200, demoAsOf: '2026-11-20', logLevel: 'warn', reservationTimeoutMs: 30_000, outreach: { blended: false } });
  const say = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
  createInterface({ input: process.stdin }).on('line', (text) => {
    const command = JSON.parse(text) as { cmd: string };
    if (command.cmd === 'memory') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      const memory = process.memoryUsage();
      say({ memory: { rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external, arrayBuffers: memory.arrayBuffers }, sockets: server.io.of('/').sockets.size });
    } else if (command.cmd === 'stop') {
      void server.close().then(() => process.exit(0));
    }
  });
  say({ event: 'ready', url: server.url });
}

class ServerChild {
  private readonly waiters: Array<(line: Record<string, unknown>) => boolean> = [];
  readonly child: ChildProcess;

  constructor(dataDir: string) {
    this.child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', import.meta.filename, '--child', '--data', dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.child.stdout! }).on('line', (text) => {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return;
      }
      for (const waiter of [...this.waiters]) if (waiter(line)) this.waiters.splice(this.waiters.indexOf(waiter), 1);
    });
  }

  next(test: (line: Record<string, unknown>) => boolean, timeoutMs = 120_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server child did not answer in time')), timeoutMs);
      this.waiters.push((line) => {
        if (!test(line)) return false;
        clearTimeout(timer);
        resolve(line);
        return true;
      });
    });
  }

  async memory(): Promise<{ rss: number; heapUsed: number; external: number; arrayBuffers: number; sockets: number }> {
    const answer = this.next((l) => 'memory' in l);
    this.child.stdin!.write(`${JSON.stringify({ cmd: 'memory' })}\n`);
    const line = await answer;
    return { ...(line.memory as { rss: number; heapUsed: number; external: number; arrayBuffers: number }), sockets: Number(line.sockets) };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin!.write(`${JSON.stringify({ cmd: 'stop' })}\n`);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

async function post(url: string, path: string, body: unknown, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

async function runBench(): Promise<void> {
  const connections = Number(values.connections);
  const holdSeconds = Number(values.hold);
  const offerRounds = Number(values.offers);
  const batch = Number(values.batch);
  const fdLimit = Number(execSync('ulimit -n', { shell: '/bin/bash' }).toString().trim());
  if (Number.isFinite(fdLimit) && fdLimit < connections + 500) {
    throw new Error(`ulimit -n is ${fdLimit}; ${connections} sockets need at least ${connections + 500} descriptors (raise it with ulimit -n)`);
  }
  const dir = makeTempDir('bench-connections');
  const server = new ServerChild(dir.path);
  const sockets: Socket[] = [];
  const started = Date.now();
  try {
    const { url } = (await server.next((l) => l.event === 'ready')) as { url: string };
    log(`server up at ${url}`);
    const agents = DEMO_AGENTS.filter((a) => a.role === 'agent');
    const logins = await Promise.all(
      agents.map(async (agent) => {
        const response = await post(url, '/api/auth/login', { username: agent.username, password: agent.password }, '');
        if (response.status !== 200) throw new Error(`login failed for ${agent.username}`);
        return { agentId: String((response.body.agent as { id: string }).id), token: String(response.body.token) };
      }),
    );
    const before = await server.memory();
    log(`before: rss ${(before.rss / 1e6).toFixed(1)} MB, heap ${(before.heapUsed / 1e6).toFixed(1)} MB`);

    // Offer deliveries: callId -> agent -> receive latencies.
    const deliveries: number[] = [];
    const received = new Map<string, number>();
    const socketsOf = new Map<string, Socket[]>();
    let disconnects = 0;
    const connectStart = performance.now();
    for (let start = 0; start < connections; start += batch) {
      const wave: Promise<void>[] = [];
      for (let i = start; i < Math.min(connections, start + batch); i++) {
        const login = logins[i % logins.length]!;
        const socket = io(url, { auth: { token: login.token }, transports: ['websocket'], reconnection: false, forceNew: true });
        socket.on('call:offered', (offer: { call: { id: string }; offeredAt?: number }) => {
          if (offer.offeredAt !== undefined) deliveries.push(now() - offer.offeredAt);
          received.set(offer.call.id, (received.get(offer.call.id) ?? 0) + 1);
        });
        socket.on('disconnect', () => disconnects++);
        sockets.push(socket);
        const list = socketsOf.get(login.agentId) ?? [];
        list.push(socket);
        socketsOf.set(login.agentId, list);
        wave.push(
          new Promise<void>((resolve, reject) => {
            socket.once('connect', () => resolve());
            socket.once('connect_error', (error) => reject(new Error(`socket ${i} could not connect: ${error.message}`)));
          }),
        );
      }
      await Promise.all(wave);
      if ((start / batch) % 5 === 0) log(`connected ${Math.min(connections, start + batch)}`);
    }
    const connectSeconds = (performance.now() - connectStart) / 1000;
    log(`${connections} sockets connected in ${connectSeconds.toFixed(1)} s; holding ${holdSeconds} s with heartbeats`);

    // Hold: socket.io pings every 10 s; a socket that misses its pong is dropped and counted.
    await new Promise((r) => setTimeout(r, holdSeconds * 1000));
    const connectedAfterHold = sockets.filter((s) => s.connected).length;
    const after = await server.memory();
    log(`after: rss ${(after.rss / 1e6).toFixed(1)} MB, heap ${(after.heapUsed / 1e6).toFixed(1)} MB, server sockets ${after.sockets}`);

    // Every agent ready (from one of their desktops); then offers, each fanned out to all the agent's sockets.
    for (const login of logins) {
      const socket = socketsOf.get(login.agentId)?.[0];
      if (socket) await socket.timeout(10_000).emitWithAck('presence:set', { presence: 'available' });
    }
    deliveries.length = 0;
    const fanout: number[] = [];
    for (let n = 0; n < offerRounds; n++) {
      const created = await post(url, '/api/calls', { callId: `BENCH-${n}`, callerNumber: `+1212555${String(1000 + (n % 9000)).padStart(4, '0')}`, language: 'en', intent: 'general' }, DEMO_TELEPHONY_KEY);
      if (created.status !== 201) throw new Error(`call ${n} refused: ${JSON.stringify(created.body)}`);
      const callId = String(created.body.callId);
      // The offer goes to one agent; wait until every socket of some agent has it.
      const deadline = Date.now() + 10_000;
      const expected = Math.floor(connections / logins.length);
      while ((received.get(callId) ?? 0) < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      fanout.push(received.get(callId) ?? 0);
      await post(url, `/api/calls/${callId}/abandon`, {}, DEMO_TELEPHONY_KEY);
    }
    const sorted = [...deliveries].sort((a, b) => a - b);
    const figures = {
      connections,
      connected_after_hold: connectedAfterHold,
      disconnects_during_hold: disconnects,
      hold_s: holdSeconds,
      connect_s: round(connectSeconds, 1),
      agents: logins.length,
      server_rss_mb_before: round(before.rss / 1e6, 1),
      server_rss_mb_after: round(after.rss / 1e6, 1),
      server_rss_kb_per_connection: round((after.rss - before.rss) / 1024 / connections, 1),
      server_heap_kb_per_connection: round((after.heapUsed - before.heapUsed) / 1024 / connections, 1),
      offers: offerRounds,
      deliveries: sorted.length,
      sockets_per_offer: round(fanout.reduce((a, b) => a + b, 0) / Math.max(1, fanout.length), 1),
      offer_latency_p50_ms: round(percentile(sorted, 50)),
      offer_latency_p95_ms: round(percentile(sorted, 95)),
      offer_latency_max_ms: round(sorted.at(-1) ?? Number.NaN),
      seconds: round((Date.now() - started) / 1000, 1),
    };
    for (const socket of sockets) socket.disconnect();
    await server.stop();
    dir.remove();
    reportBench('connections', figures);
    process.exit(0);
  } catch (error) {
    for (const socket of sockets) socket.disconnect();
    server.child.kill('SIGKILL');
    dir.remove();
    throw error;
  }
}

// Last, so the class above is initialised before either side runs.
if (values.child) await runServerChild(values.data ?? '');
else await runBench();
