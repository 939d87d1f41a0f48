import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { TokenService } from '../../src-server/auth/tokens';
import { DEMO_TELEPHONY_KEY } from '../../src-server/config';
import { openPostgresServerStore } from '../../src-server/store/postgres-store';
import { TsProcess } from './child-process';
import { freePort } from './server-process';
import { makeTempDir } from './temp-dir';
import type { SwarmOptions } from './agent-swarm';

const ROOT = resolve(import.meta.dirname, '../..');
const ADMIN_URL = process.env.HOLDFAST_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const HAPROXY = process.env.HOLDFAST_HAPROXY ?? '/usr/sbin/haproxy';
export const REDIS_SERVER = process.env.HOLDFAST_REDIS_SERVER ?? 'redis-server';

export interface ClusterOptions {
  nodes: number;
  /** Agents made for the swarm (besides the demo ones). */
  agents: number;
  leaseMs?: number;
  reservationTimeoutMs?: number;
  customers?: number;
  logLevel?: string;
  /** More environment for every node (e.g. single sign-on's settings), given the cluster's addresses. */
  env?: (cluster: Cluster) => Record<string, string>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A routing cluster on this machine, every part real and its own process:
 * a throwaway PostgreSQL database, a redis-server of its own (so it can be
 * restarted without touching anybody else's), N routing server nodes, and
 * HAProxy in front with the shipped configuration (resources/deploy/haproxy.cfg,
 * only its addresses rewritten).
 */
export class Cluster {
  readonly nodes: Array<TsProcess | null> = [];
  readonly nodePorts: number[] = [];
  readonly agentIds: string[] = [];
  readonly tokenSecret = randomBytes(32).toString('base64url');
  readonly secret = randomBytes(24).toString('base64url');
  readonly telephonyKey = DEMO_TELEPHONY_KEY;
  readonly dir = makeTempDir('cluster');
  readonly dbName = `holdfast_cluster_${randomBytes(5).toString('hex')}`;
  readonly dbUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${this.dbName}`);
  lbPort = 0;
  redisPort = 0;
  pool!: pg.Pool;
  private redis: ChildProcess | null = null;
  private closing = false;
  private swarms = 0;
  private haproxy: ChildProcess | null = null;
  /** Every node process started, for their logs. */
  readonly history: Array<{ node: number; process: TsProcess }> = [];
  readonly exits: Array<{ node: number; code: number | null; signal: string | null }> = [];

  private constructor(readonly options: ClusterOptions) {}

  get lbUrl(): string {
    return `http://127.0.0.1:${this.lbPort}`;
  }

  nodeUrl(i: number): string {
    return `http://127.0.0.1:${this.nodePorts[i]}`;
  }

  static async start(options: ClusterOptions): Promise<Cluster> {
    const cluster = new Cluster(options);
    try {
      await cluster.boot();
    } catch (error) {
      await cluster.close();
      throw error;
    }
    return cluster;
  }

  private async boot(): Promise<void> {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${this.dbName}`);
    await admin.end();
    this.pool = new pg.Pool({ connectionString: this.dbUrl, max: 3 });
    // An idle connection ended by the server (the database dropped WITH (FORCE) at close) is not an error of the test.
    this.pool.on('error', () => undefined);
    this.redisPort = await freePort();
    await this.startRedis();
    for (let i = 0; i < this.options.nodes; i++) this.nodePorts.push(await freePort());
    this.lbPort = await freePort();
    // The first node migrates and seeds the demo book; the agents are added before the others start.
    await this.startNode(0);
    await this.addAgents();
    await Promise.all(this.nodePorts.slice(1).map((_, i) => this.startNode(i + 1)));
    await this.startHaproxy();
  }

  private async addAgents(): Promise<void> {
    const store = await openPostgresServerStore(this.dbUrl);
    try {
      for (let i = 0; i < this.options.agents; i++) {
        const id = `CA${String(i + 1).padStart(5, '0')}`;
        this.agentIds.push(id);
        await store.upsertAgent({ id, username: `cluster-agent-${i + 1}`, displayName: `Cluster agent ${i + 1}`, role: 'agent', languages: [{ code: 'en', proficiency: 5 }], skills: ['retention', 'billing', 'technical'] }, 'not-a-password-hash');
      }
    } finally {
      await store.close();
    }
  }

  async startNode(i: number): Promise<void> {
    const dataDir = join(this.dir.path, `node${i + 1}`);
    mkdirSync(dataDir, { recursive: true });
    const node = new TsProcess('src-server/main.ts', ['--port', String(this.nodePorts[i])], {
      HOLDFAST_LOG_LEVEL: this.options.logLevel ?? 'warn',
      HOLDFAST_SERVER_DATA_DIR: dataDir,
      HOLDFAST_DEMO: '1', HOLDFAST_DEMO_CUSTOMERS: String(this.options.customers ?? 300), HOLDFAST_DEMO_AS_OF: '2026-11-20',
      HOLDFAST_DATABASE_URL: this.dbUrl,
      HOLDFAST_TOKEN_SECRET: this.tokenSecret,
      HOLDFAST_RESERVATION_TIMEOUT_MS: String(this.options.reservationTimeoutMs ?? 5000),
      HOLDFAST_RATE_LIMIT_WRITES: '100000',
      HOLDFAST_CLUSTER_REDIS_URL: `redis://127.0.0.1:${this.redisPort}`,
      HOLDFAST_CLUSTER_REDIS_PREFIX: `hf-test-${this.dbName}`,
      HOLDFAST_NODE_ID: `node${i + 1}`,
      HOLDFAST_ADVERTISE_URL: this.nodeUrl(i),
      HOLDFAST_CLUSTER_SECRET: this.secret,
      HOLDFAST_CLUSTER_LEASE_MS: String(this.options.leaseMs ?? 3000),
      ...this.options.env?.(this),
    });
    this.nodes[i] = node;
    this.history.push({ node: i, process: node });
    node.child.once('exit', (code, signal) => {
      this.exits.push({ node: i, code, signal });
      if (code !== null && code !== 0 && !this.closing) {
        process.stderr.write(`cluster: node${i + 1} exited with code ${code}: ${node.lines.filter((l) => Number(l.level) >= 50).slice(-3).map((l) => `${String(l.msg)} ${JSON.stringify(l.reason ?? l.err ?? '').slice(0, 300)}`).join(' | ')}\n`);
      }
      // As systemd's Restart=always does (resources/deploy): a node that lost its lease comes back as a follower.
      if (code === 75 && this.nodes[i] === node && !this.closing) void this.startNode(i).catch(() => undefined);
    });
    await this.waitReady(i);
  }

  async waitReady(i: number, timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const node = this.nodes[i];
      if (!node || node.child.exitCode !== null) throw new Error(`node${i + 1} exited while starting`);
      try {
        if ((await fetch(`${this.nodeUrl(i)}/api/ready`, { signal: AbortSignal.timeout(2000) })).ok) return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error(`node${i + 1} did not become ready`);
      await sleep(200);
    }
  }

  /** kill -9 */
  async killNode(i: number): Promise<void> {
    await this.nodes[i]?.killHard();
    this.nodes[i] = null;
  }

  async stopNode(i: number): Promise<void> {
    await this.nodes[i]?.stop();
    this.nodes[i] = null;
  }

  signal(i: number, signal: 'SIGSTOP' | 'SIGCONT'): void {
    this.nodes[i]?.child.kill(signal);
  }

  /** The node (index) that holds the routing lease now, with its token. */
  async authority(): Promise<{ index: number; token: number } | null> {
    const { rows } = await this.pool.query<{ holder: string; token: string }>("SELECT holder, token FROM cluster_leases WHERE expires_at > now()");
    const row = rows[0];
    return row ? { index: Number(row.holder.replace('node', '')) - 1, token: Number(row.token) } : null;
  }

  async waitForAuthority(test: (a: { index: number; token: number }) => boolean = () => true, timeoutMs = 30_000): Promise<{ index: number; token: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const authority = await this.authority();
      if (authority && test(authority)) return authority;
      if (Date.now() > deadline) throw new Error(`no routing authority came up; exits: ${JSON.stringify(this.exits)}; ${this.logTail()}`);
      await sleep(50);
    }
  }

  /** The nodes' last warnings and errors, for a failure's message. */
  logTail(count = 6): string {
    return this.history.map(({ node: i, process: node }) => `node${i + 1}: ${node.lines.filter((l) => Number(l.level) >= 40).slice(-count).map((l) => `${String(l.msg)} ${JSON.stringify(l.err ?? l.reason ?? '').slice(0, 200)}`).join(' | ')}`).join('\n');
  }

  async tokens(agentIds: readonly string[]): Promise<Record<string, string>> {
    const service = new TokenService(this.tokenSecret, 3600);
    const tokens: Record<string, string> = {};
    for (const id of agentIds) tokens[id] = (await service.issue({ subject: id, role: 'agent', tokenVersion: 0 })).token;
    return tokens;
  }

  /** A process of light desktop clients for these agents. */
  async swarm(agentIds: readonly string[], behaviour: Partial<SwarmOptions> = {}): Promise<TsProcess> {
    const options: SwarmOptions = { urls: [this.lbUrl], tokens: await this.tokens(agentIds), acceptDelayMs: 20, talkMs: 200, report: true, ...behaviour };
    const file = join(this.dir.path, `swarm-${this.swarms++}.json`);
    writeFileSync(file, JSON.stringify(options), { mode: 0o600 });
    const swarm = new TsProcess('tests/support/agent-swarm.ts', [`@${file}`]);
    await swarm.waitForLine((l) => l.ev === 'connected', 300_000);
    return swarm;
  }

  /** Demo callers (phone numbers of customers in the book). */
  async callers(count: number, language = 'en'): Promise<string[]> {
    const response = await fetch(`${this.lbUrl}/api/demo/callers?count=${count}&language=${language}`, { headers: { authorization: `Bearer ${this.telephonyKey}` } });
    const body = (await response.json()) as { callers: Array<{ phone: string }> };
    return body.callers.map((c) => c.phone);
  }

  /** Each call's telephony attempts that did not take it (where it was sent, what came back, after how long): for a test to explain a slow call. */
  readonly postAttempts = new Map<string, string[]>();

  /** Telephony posts a call (to the load balancer, or one node), retried until the cluster has it. */
  async postCall(callId: string, callerNumber: string, url = this.lbUrl): Promise<number> {
    const attempts: string[] = [];
    this.postAttempts.set(callId, attempts);
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      const note = (what: string): void => {
        attempts.push(`${attempt < 1 ? url : this.lbUrl} ${what} after ${Math.round(performance.now() - started)} ms`);
      };
      try {
        // A node that does not answer (restarting, killed, paused): telephony sends the call again through the load
        // balancer, after 5 s each time. A node that lives answers within that, forwarding to the routing node through
        // a failover included; and until HAProxy marks a paused node down (three failed checks), it may send the call
        // there again, so a longer wait would only keep the caller waiting on a node that will not answer.
        const target = attempt < 1 ? url : this.lbUrl;
        const response = await fetch(`${target}/api/calls`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.telephonyKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ callId, callerNumber, language: 'en', intent: 'cancellation' }),
          signal: AbortSignal.timeout(5_000),
        });
        // A repeat after a lost answer: the cluster has the call. The repeat may also be the cluster's own: a node that
        // forwards to the routing node sends again when the routing node died or stepped down before answering, and the
        // next one has the call on record. Either way the call is held; the tests' counts show that none is lost.
        if (response.status === 201 || response.status === 200) return response.status;
        if (response.status === 409) {
          const body = await response.text();
          if (attempt > 0 || body.includes('duplicate_call')) return response.status;
          throw new Error(`POST /api/calls ${callId}: 409 ${body}`);
        }
        if (response.status < 500) throw new Error(`POST /api/calls ${callId}: ${response.status} ${await response.text()}`);
        note(`${response.status} ${(await response.text()).slice(0, 120)}`);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('POST /api/calls')) throw error;
        note(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
      if (attempt > 100) throw new Error(`call ${callId} was never taken`);
      await sleep(200);
    }
  }

  async restartRedis(downMs = 1000): Promise<void> {
    await this.stopRedis();
    await sleep(downMs);
    await this.startRedis();
  }

  private async startRedis(): Promise<void> {
    this.redis = spawn(REDIS_SERVER, ['--port', String(this.redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ok = await new Promise<boolean>((r) => {
        const probe = spawn('redis-cli', ['-p', String(this.redisPort), 'ping'], { stdio: ['ignore', 'pipe', 'ignore'] });
        let out = '';
        probe.stdout.on('data', (d: Buffer) => (out += d.toString()));
        probe.on('exit', () => r(out.includes('PONG')));
      });
      if (ok) return;
      if (Date.now() > deadline) throw new Error('redis-server did not start');
      await sleep(100);
    }
  }

  private async stopRedis(): Promise<void> {
    const redis = this.redis;
    this.redis = null;
    if (!redis || redis.exitCode !== null) return;
    const exited = new Promise((r) => redis.once('exit', r));
    redis.kill('SIGKILL');
    await exited;
  }

  /** The shipped HAProxy configuration with this cluster's addresses. */
  haproxyConfig(): string {
    const shipped = readFileSync(join(ROOT, 'resources/deploy/haproxy.cfg'), 'utf8');
    const servers = this.nodePorts.map((port, i) => `    server node${i + 1} 127.0.0.1:${port} check`).join('\n');
    return shipped
      .replace(/^\s*bind 127\.0\.0\.1:8080$/m, `    bind 127.0.0.1:${this.lbPort}`)
      .replace(/(^\s*server node\d .*\n?)+/m, `${servers}\n`);
  }

  private async startHaproxy(): Promise<void> {
    const file = join(this.dir.path, 'haproxy.cfg');
    writeFileSync(file, this.haproxyConfig());
    this.haproxy = spawn(HAPROXY, ['-f', file, '-db'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        if ((await fetch(`${this.lbUrl}/api/ready`, { signal: AbortSignal.timeout(1000) })).ok) return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error('HAProxy did not come up');
      await sleep(100);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i];
      if (!node) continue;
      node.child.kill('SIGCONT');
      await node.killHard();
    }
    if (this.haproxy && this.haproxy.exitCode === null) {
      const exited = new Promise((r) => this.haproxy!.once('exit', r));
      this.haproxy.kill('SIGKILL');
      await exited;
    }
    await this.stopRedis();
    // Dropped while this pool still has its idle connections (their end reaches the pool's error handler), then the
    // pool ended: ended first, a connection still closing was cut by the drop with nobody listening (an uncaught error).
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${this.dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await this.pool?.end().catch(() => undefined);
    this.dir.remove();
  }
}

/** What the swarms printed, counted. */
export interface Tally {
  offers: number;
  accepted: Map<string, string[]>;
  wrapUps: Map<string, Array<{ id: string; status: string }>>;
  /** Calls offered to a second agent while the first still held its offer (beyond `toleranceMs`). */
  doubleOffers: string[];
}

export function tally(lines: ReadonlyArray<Record<string, unknown>>, toleranceMs = 50): Tally {
  const accepted = new Map<string, string[]>();
  const wrapUps = new Map<string, Array<{ id: string; status: string }>>();
  const intervals = new Map<string, Array<{ agentId: string; from: number; to: number }>>();
  const open = new Map<string, { agentId: string; from: number }>();
  let offers = 0;
  const end = Math.max(0, ...lines.map((l) => Number(l.t ?? 0)));
  const close = (key: string, callId: string, t: number): void => {
    const held = open.get(key);
    if (!held) return;
    open.delete(key);
    const list = intervals.get(callId) ?? [];
    list.push({ agentId: held.agentId, from: held.from, to: t });
    intervals.set(callId, list);
  };
  for (const line of [...lines].sort((a, b) => Number(a.t) - Number(b.t))) {
    const callId = String(line.callId ?? '');
    const agentId = String(line.agentId ?? '');
    const key = `${agentId}|${callId}`;
    const t = Number(line.t);
    if (line.ev === 'offer') {
      offers++;
      open.set(key, { agentId, from: t });
    } else if (line.ev === 'released') close(key, callId, t);
    else if (line.ev === 'accepted') {
      close(key, callId, t);
      accepted.set(callId, [...(accepted.get(callId) ?? []), agentId]);
      // On the line until the wrap-up: nobody else may hold the call meanwhile.
      open.set(key, { agentId, from: t });
    } else if (line.ev === 'wrapup') {
      close(key, callId, t);
      wrapUps.set(callId, [...(wrapUps.get(callId) ?? []), { id: String(line.id), status: String(line.status) }]);
    }
  }
  for (const key of [...open.keys()]) close(key, key.split('|')[1]!, end);
  const doubleOffers: string[] = [];
  for (const [callId, list] of intervals) {
    const overlap = list.some((a, i) => list.some((b, j) => j > i && a.agentId !== b.agentId && Math.min(a.to, b.to) - Math.max(a.from, b.from) > toleranceMs));
    if (overlap) doubleOffers.push(callId);
  }
  return { offers, accepted, wrapUps, doubleOffers };
}
