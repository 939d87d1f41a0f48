import { timingSafeEqual } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createClient } from 'redis';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { z } from 'zod';
import { agentSchema, type Agent } from '@shared/domain/agent';
import { RedisFlowStore, type OidcFlowStore } from '../auth/oidc-flow-store';
import type { ClusterConfig } from '../config';
import { customersOnCallWith } from '../routing/customer-scope';
import type { RoutingService } from '../routing/routing-service';
import { asServiceError, ServiceError, type ServiceErrorCode } from '../routing/service-errors';
import { isDesktopCommand, runDesktopCommand, type AgentWelcome, type DesktopCommand, type DesktopRouting } from '../realtime/desktop-commands';
import type { DesktopServer } from '../realtime/socket-gateway';
import { postgresPoolConfig } from '../store/postgres-store';
import { AuthorityPresence } from './authority-presence';
import { FencedDecisions } from './fenced-decisions';
import { FencedError, RoutingLease, type Authority } from './lease';

/** The one queue group for now: every queue is routed by one authority (see docs/design/cluster.md). */
export const ROUTING_GROUP = 'all-queues';
const SECRET_HEADER = 'x-holdfast-cluster-secret';
const FORWARDED_HEADER = 'x-holdfast-forwarded-by';
/** HTTP routes that need the router's memory: a node that does not route forwards them to the one that does. */
const AUTHORITY_ROUTES = /^\/api\/(calls|agents|routing|supervisor|outreach)(\/|$)/;
/** How long a forwarded request waits for an authority (a failover takes a lease's length and a restore). */
const FORWARD_PATIENCE_MS = 15_000;
/**
 * How many leases the main thread may go unheard before the lease keeper stops renewing for it. A reconnection
 * storm delays the event loop by seconds, and must not cost the lease; a loop stuck for this long has stopped.
 */
const LEASE_WATCHDOG_LEASES = 4;

const desktopRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('online'), nodeId: z.string(), agent: agentSchema }),
  z.object({ kind: z.literal('offline'), nodeId: z.string(), agentId: z.string() }),
  z.object({ kind: z.literal('command'), nodeId: z.string(), agent: agentSchema, event: z.string(), payload: z.unknown() }),
  z.object({ kind: z.literal('announce'), nodeId: z.string(), agents: z.array(agentSchema) }),
  z.object({ kind: z.literal('callCustomers'), nodeId: z.string(), agentId: z.string() }),
]);
type DesktopRequest = z.infer<typeof desktopRequestSchema>;
type DesktopReply = { ok: true; result: unknown } | { ok: false; error: string; message: string };

/** The authority is not reachable (none yet, or it went away meanwhile): the caller may try again. */
class NoAuthorityError extends Error {}

export interface ClusterNodeDeps {
  config: ClusterConfig;
  databaseUrl: string;
  io: DesktopServer;
  log: Logger;
  /** The lease was lost: this process must make no more decisions (the default ends it; a supervisor starts it again). */
  leaseLost(reason: string): void;
}

/**
 * One node of a routing cluster. Every node serves desktops' sockets and the
 * HTTP API; socket messages reach a desktop on any node through Redis (the
 * socket.io streams adapter). One node at a time, the holder of the routing
 * lease in PostgreSQL, runs the router; the others forward what needs it
 * (desktops' requests, telephony's calls) to that node over HTTP, and wait
 * through a failover instead of failing the request.
 *
 * Followers find the authority from the lease row; when it changes they tell
 * the new one which agents' desktops they hold (`announce`), so a takeover
 * keeps every connected agent signed in with their presence as saved.
 */
export class ClusterNode {
  readonly decisions: FencedDecisions;
  private readonly pool: pg.Pool;
  private readonly leasePool: pg.Pool;
  private readonly lease: RoutingLease;
  private readonly redis: ReturnType<typeof createClient>;
  private presence: AuthorityPresence | null = null;
  private authorityCache: { value: Authority | null; at: number } = { value: null, at: 0 };
  private authorityRead: Promise<Authority | null> | null = null;
  private announcedTo: number | null = null;
  private timers: Array<ReturnType<typeof setInterval>> = [];
  private connectedAgents: () => Agent[] = () => [];
  private readonly agentChains = new Map<string, Promise<unknown>>();
  private routingStarted = false;
  private stopped = false;
  /** Stepping down (a clean shutdown): requests are no longer taken here, those under way finish. */
  private leaving = false;
  /** Routing requests this node runs as the authority right now (desktops' and HTTP's). */
  private inFlight = 0;
  private readonly counted = new WeakSet<FastifyRequest>();
  private routingService: RoutingService | null = null;
  private lastHeartbeat = -Infinity;

  constructor(private readonly deps: ClusterNodeDeps) {
    const { config, log } = deps;
    this.pool = new pg.Pool({ ...postgresPoolConfig(deps.databaseUrl, { maxConnections: 4, statementTimeoutMs: config.leaseMs }), application_name: `holdfast-cluster-${config.nodeId}` });
    this.pool.on('error', (error) => log.warn({ err: error }, 'cluster: idle PostgreSQL connection failed'));
    // Reading who routes gets connections of its own: a follower's forwarding must not wait behind other queries.
    this.leasePool = new pg.Pool({ ...postgresPoolConfig(deps.databaseUrl, { maxConnections: 2, statementTimeoutMs: config.leaseMs }), application_name: `holdfast-lease-reads-${config.nodeId}` });
    this.leasePool.on('error', (error) => log.warn({ err: error }, 'cluster: idle PostgreSQL connection failed'));
    this.lease = new RoutingLease(this.leasePool, this.pool, {
      group: ROUTING_GROUP, nodeId: config.nodeId, url: config.advertiseUrl, leaseMs: config.leaseMs,
      watchdogMs: config.leaseMs * LEASE_WATCHDOG_LEASES,
      keeperPool: { ...postgresPoolConfig(deps.databaseUrl, { maxConnections: 1, statementTimeoutMs: config.leaseMs }), application_name: `holdfast-lease-${config.nodeId}` },
    }, {
      acquired: () => void this.becomeAuthority(),
      lost: (reason) => this.lost(reason),
      // A node that can no longer take the lease or keep it is of no use as either: it ends, and is started again.
      keeperEnded: (reason) => {
        if (!this.stopped) this.deps.leaseLost(reason);
      },
    }, log);
    this.decisions = new FencedDecisions(this.lease, log, (error) => this.lost(error.message));
    this.redis = createClient({ url: config.redisUrl, socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1000) } });
    this.redis.on('error', (error: Error) => log.warn({ err: error.message }, 'cluster: Redis connection failed; reconnecting'));
  }

  /** The node's routing service (built with `decisions`), started when this node takes the lease. */
  useRouting(routing: RoutingService): void {
    this.routingService = routing;
  }

  private get routing(): RoutingService {
    if (!this.routingService) throw new Error('cluster: useRouting() was not called');
    return this.routingService;
  }

  get nodeId(): string {
    return this.deps.config.nodeId;
  }

  isAuthority(): boolean {
    return !this.leaving && this.presence !== null && this.lease.held() !== null;
  }

  /** Redis up and the adapter on the socket server: call before anything listens. */
  async attachAdapter(): Promise<void> {
    await this.redis.connect();
    this.deps.io.adapter(createAdapter(this.redis, { streamName: `${this.deps.config.redisPrefix}:socket.io`, channelPrefix: `${this.deps.config.redisPrefix}:socket.io`, onlyPlaintext: true }));
  }

  /** Starts heartbeats and the lease; the gateway's list of connected agents is what the node announces. */
  async start(connectedAgents: () => Agent[]): Promise<void> {
    this.connectedAgents = connectedAgents;
    await this.heartbeat();
    this.lease.start();
    const { leaseMs } = this.deps.config;
    this.every(Math.floor(leaseMs / 3), () => this.heartbeat());
    this.every(Math.floor(leaseMs / 6), () => this.followAuthority());
    this.every(1000, () => this.sweepNodes());
  }

  /**
   * Ready to serve: PostgreSQL answered the last heartbeat (within two leases) and Redis is connected.
   * Read from state the heartbeat keeps, so a load balancer's frequent checks cost no query.
   */
  readiness(): { ready: boolean; role: 'authority' | 'follower'; authority: string | null; redis: boolean; database: boolean } {
    const database = performance.now() - this.lastHeartbeat < this.deps.config.leaseMs * 2;
    const redis = this.redis.isReady;
    return { ready: database && redis && !this.stopped, role: this.isAuthority() ? 'authority' : 'follower', authority: this.authorityCache.value?.nodeId ?? null, redis, database };
  }

  /** The customers on a call with an agent, as the routing node knows them (a scoped agent may read those). */
  callCustomers(agentId: string): Promise<string[]> {
    return this.toAuthority<string[]>({ kind: 'callCustomers', nodeId: this.nodeId, agentId });
  }

  /** Single sign-on's flows, shared by every node: the provider's callback and the code's exchange may reach any of them. */
  oidcFlows(): OidcFlowStore {
    return new RedisFlowStore(this.redis, this.deps.config.redisPrefix);
  }

  /** The gateway's way to routing: here when this node is the authority, else forwarded to it. */
  desktopRouting(): DesktopRouting {
    return {
      online: (agent) => this.inOrder(agent.id, () => this.toAuthority<AgentWelcome>({ kind: 'online', nodeId: this.nodeId, agent })),
      offline: (agentId) => this.inOrder(agentId, () => this.toAuthority<void>({ kind: 'offline', nodeId: this.nodeId, agentId })),
      command: (agent, event, payload) => this.inOrder(agent.id, () => this.toAuthority<object>({ kind: 'command', nodeId: this.nodeId, agent, event, payload })),
    };
  }

  /** The internal route the other nodes forward desktops' requests to, and the forwarding of HTTP routes that need the router. */
  register(app: FastifyInstance): void {
    app.post('/internal/cluster/desktop', async (request, reply) => {
      if (!this.trusted(request)) return reply.code(401).send({ ok: false, error: 'unauthorized', message: 'cluster secret missing or wrong' });
      const parsed = desktopRequestSchema.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ ok: false, error: 'invalid_payload', message: parsed.error.issues[0]?.message ?? 'invalid' });
      if (!this.isAuthority()) return reply.code(503).send({ ok: false, error: 'not_authority', message: `node ${this.nodeId} does not route now` });
      return reply.send(await this.runHere(parsed.data));
    });
    // Likewise for HTTP: a routing route's answer leaves only once the decisions it made are stored.
    // Only requests run here: one forwarded to the next authority (this node stepping down) carries its answer.
    app.addHook('onSend', async (request, reply, payload) => {
      if (!this.counted.has(request) || request.method === 'GET') return payload;
      try {
        await this.decisions.stored();
        return payload;
      } catch {
        void reply.code(503).header('content-type', 'application/json');
        return JSON.stringify({ error: 'not_authority', message: `node ${this.nodeId} no longer routes; send it again` });
      }
    });
    app.addHook('onResponse', async (request) => {
      if (this.counted.delete(request)) this.inFlight--;
    });
    app.addHook('preHandler', async (request, reply) => {
      const url = request.routeOptions.url;
      if (url === undefined || !AUTHORITY_ROUTES.test(url)) return;
      if (this.isAuthority()) {
        this.counted.add(request);
        this.inFlight++;
        return;
      }
      if (request.headers[FORWARDED_HEADER] !== undefined) {
        // Sent here as to the authority, which this node no longer is: the sender asks again.
        return reply.code(503).send({ error: 'not_authority', message: `node ${this.nodeId} does not route now` });
      }
      if ((await this.forwardHttp(request, reply)) === 'answered') return reply;
      // This node took over while the request waited for an authority: it runs here.
      this.counted.add(request);
      this.inFlight++;
    });
  }

  /**
   * The first step of a clean shutdown, before routing stops: this node takes no more routing requests (those
   * that come are forwarded, and wait for the next authority), and the ones under way finish, so that each is
   * answered from a decision that is stored. Bounded by a lease: a request stuck longer is refused by the
   * sealed decision writer instead (its sender asks again).
   */
  async leave(): Promise<void> {
    if (this.leaving) return;
    this.leaving = true;
    const deadline = performance.now() + this.deps.config.leaseMs;
    while (this.inFlight > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    // Routing stopped first (its last state written under the lease): the lease is released so a follower takes over at once.
    await this.lease.release().catch((error: unknown) => this.deps.log.warn({ err: error }, 'cluster: could not release the routing lease'));
    await this.pool.query('DELETE FROM cluster_nodes WHERE node_id = $1', [this.nodeId]).catch(() => undefined);
    await this.pool.end().catch(() => undefined);
    await this.leasePool.end().catch(() => undefined);
    await this.redis.quit().catch(() => undefined);
  }

  // ---- the authority ----------------------------------------------------------

  private async becomeAuthority(): Promise<void> {
    const started = performance.now();
    try {
      await this.routing.start();
    } catch (error) {
      this.deps.log.error({ err: error }, 'cluster: routing could not start on this node');
      this.lost('routing could not start');
      return;
    }
    this.routingStarted = true;
    this.presence = new AuthorityPresence(this.routing);
    this.presence.announce(this.nodeId, this.connectedAgents());
    this.announcedTo = this.lease.held();
    this.deps.log.info({ restoreMs: Math.round(performance.now() - started) }, 'cluster: this node routes now');
    // The other nodes announce their desktops within a fraction of a lease; agents nobody announced are signed out.
    setTimeout(() => {
      if (!this.presence || this.stopped) return;
      const dropped = this.routing.dropAgentsNotOnline(this.presence.agentsOnline());
      if (dropped.length > 0) this.deps.log.info({ agents: dropped.length }, 'cluster: agents with no desktop on any node signed out of routing');
    }, this.deps.config.leaseMs).unref();
  }

  private async runHere(request: DesktopRequest): Promise<DesktopReply> {
    const presence = this.presence;
    if (!presence || this.leaving) return { ok: false, error: 'not_authority', message: `node ${this.nodeId} does not route now` };
    this.inFlight++;
    try {
      switch (request.kind) {
        case 'online':
          return { ok: true, result: presence.online(request.nodeId, request.agent) };
        case 'offline':
          presence.offline(request.nodeId, request.agentId);
          return { ok: true, result: null };
        case 'announce':
          presence.announce(request.nodeId, request.agents);
          return { ok: true, result: null };
        case 'callCustomers':
          return { ok: true, result: customersOnCallWith(this.routing.router, request.agentId) };
        case 'command': {
          if (!isDesktopCommand(request.event)) return { ok: false, error: 'invalid_event', message: `unknown request ${request.event}` };
          const result = await runDesktopCommand(this.routing, request.agent, request.event, request.payload, this.deps.log);
          // The desktop hears "done" (say, an accepted call) only once the decision is stored: an authority that dies
          // just after cannot have told an agent of a decision the next one does not know.
          await this.decisions.stored();
          return { ok: true, result };
        }
      }
    } catch (error) {
      if (error instanceof FencedError) return { ok: false, error: 'not_authority', message: error.message };
      const refused = asServiceError(error);
      if (refused && (refused.status < 500 || refused.code === 'not_authority')) return { ok: false, error: refused.code, message: refused.message };
      this.deps.log.error({ err: error, kind: request.kind }, 'cluster: desktop request failed');
      return { ok: false, error: 'internal', message: 'The server could not process this request' };
    } finally {
      this.inFlight--;
    }
  }

  private lost(reason: string): void {
    if (this.stopped) return;
    this.presence = null;
    if (this.routingStarted) this.deps.leaseLost(reason);
  }

  // ---- followers ----------------------------------------------------------------

  private async toAuthority<T>(request: DesktopRequest): Promise<T> {
    if (this.isAuthority()) return this.unwrap<T>(await this.runHere(request));
    const deadline = performance.now() + FORWARD_PATIENCE_MS;
    for (let attempt = 0; ; attempt++) {
      let authority: Authority | null = null;
      try {
        authority = await this.authority(attempt > 0);
        if (!authority) throw new NoAuthorityError('no node routes now');
        if (authority.nodeId === this.nodeId) {
          if (this.isAuthority()) return this.unwrap<T>(await this.runHere(request));
          throw new NoAuthorityError('this node is taking over');
        }
        const response = await fetch(`${authority.url}/internal/cluster/desktop`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SECRET_HEADER]: this.deps.config.secret },
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(10_000),
        });
        const reply = (await response.json()) as DesktopReply;
        if (!reply.ok && reply.error === 'not_authority') throw new NoAuthorityError(reply.message);
        return this.unwrap<T>(reply);
      } catch (error) {
        this.noticeGoneAuthority(error, authority);
        if (error instanceof ServiceError || performance.now() > deadline || this.stopped) throw error;
        // The authority died or is changing: ask again who it is, shortly.
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * (attempt + 1), 500)));
      }
    }
  }

  private unwrap<T>(reply: DesktopReply): T {
    if (reply.ok) return reply.result as T;
    if (reply.error === 'internal') throw new Error(reply.message);
    throw new ServiceError(reply.error as ServiceErrorCode, reply.message);
  }

  /** 'answered' when the authority's (or a 503's) answer is on `reply`; 'run here' when this node became the authority meanwhile. */
  private async forwardHttp(request: FastifyRequest, reply: FastifyReply): Promise<'answered' | 'run here'> {
    const deadline = performance.now() + FORWARD_PATIENCE_MS;
    const headers: Record<string, string> = { [FORWARDED_HEADER]: this.nodeId };
    for (const name of ['authorization', 'content-type', 'accept']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const body = request.body === undefined || request.method === 'GET' ? undefined : JSON.stringify(request.body);
    for (let attempt = 0; ; attempt++) {
      let failure: string;
      let authority: Authority | null = null;
      try {
        authority = await this.authority(attempt > 0);
        if (authority?.nodeId === this.nodeId && this.isAuthority()) return 'run here';
        if (authority && authority.nodeId !== this.nodeId) {
          const response = await fetch(`${authority.url}${request.url}`, { method: request.method, headers, body, signal: AbortSignal.timeout(10_000) });
          const text = await response.text();
          if (response.status !== 503 || !text.includes('not_authority')) {
            void reply.code(response.status).header('content-type', response.headers.get('content-type') ?? 'application/json').send(text);
            return 'answered';
          }
          failure = 'the authority changed';
        } else failure = authority ? 'this node is taking over' : 'no node routes now';
      } catch (error) {
        this.noticeGoneAuthority(error, authority);
        failure = error instanceof Error ? error.message : String(error);
      }
      if (performance.now() > deadline || this.stopped) {
        void reply.code(503).send({ error: 'no_authority', message: `No routing server answered (${failure}); try again` });
        return 'answered';
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * (attempt + 1), 500)));
    }
  }

  /**
   * A forward to the authority was refused: nothing listens at its address, so its process is gone (a paused
   * or overloaded one still accepts connections). The lease keeper takes over at once instead of waiting for
   * the rest of the dead node's lease; the fencing token keeps that safe whatever the cause.
   */
  private noticeGoneAuthority(error: unknown, authority: Authority | null): void {
    if (authority && authority.nodeId !== this.nodeId && !this.leaving && connectionRefused(error)) this.lease.holderGone(authority.token);
  }

  /**
   * The current authority, from the lease row (read again at most every 250 ms unless `fresh`). Concurrent
   * reads share one query: during a failover every waiting request asks again, and hundreds of them each
   * polling PostgreSQL would load the database and this event loop just when the next authority needs both.
   */
  private async authority(fresh: boolean): Promise<Authority | null> {
    if (!fresh && performance.now() - this.authorityCache.at < 250 && this.authorityCache.value) return this.authorityCache.value;
    this.authorityRead ??= this.lease.authority().then((value) => {
      this.authorityCache = { value, at: performance.now() };
      return value;
    }).finally(() => {
      this.authorityRead = null;
    });
    return this.authorityRead;
  }

  /** A follower that sees a new authority tells it which agents' desktops it holds. */
  private async followAuthority(): Promise<void> {
    if (this.isAuthority() || this.leaving) return;
    const authority = await this.authority(true);
    if (!authority || authority.token === this.announcedTo || authority.nodeId === this.nodeId) return;
    await this.toAuthority<void>({ kind: 'announce', nodeId: this.nodeId, agents: this.connectedAgents() });
    this.announcedTo = authority.token;
  }

  private async heartbeat(): Promise<void> {
    await this.pool.query(
      `INSERT INTO cluster_nodes (node_id, url, seen_at) VALUES ($1, $2, now()) ON CONFLICT (node_id) DO UPDATE SET url = excluded.url, seen_at = now()`,
      [this.nodeId, this.deps.config.advertiseUrl],
    );
    this.lastHeartbeat = performance.now();
  }

  /** The authority forgets the desktops of nodes that have not been heard of for two leases. */
  private async sweepNodes(): Promise<void> {
    if (!this.presence) return;
    const { rows } = await this.pool.query<{ node_id: string }>(
      `SELECT node_id FROM cluster_nodes WHERE seen_at > now() - $1 * interval '1 millisecond'`,
      [this.deps.config.leaseMs * 2],
    );
    this.presence.forgetNodesBut(new Set([...rows.map((r) => r.node_id), this.nodeId]));
  }

  private every(ms: number, run: () => Promise<void>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.stopped) return;
      busy = true;
      run().catch((error: unknown) => {
        if (!(error instanceof FencedError)) this.deps.log.warn({ err: error }, 'cluster: periodic task failed');
      }).finally(() => {
        busy = false;
      });
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  /** One agent's requests reach the authority in the order they came (an offline must not overtake the online after it). */
  private inOrder<T>(agentId: string, run: () => Promise<T>): Promise<T> {
    const previous = this.agentChains.get(agentId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(run);
    this.agentChains.set(agentId, next);
    void next.catch(() => undefined).finally(() => {
      if (this.agentChains.get(agentId) === next) this.agentChains.delete(agentId);
    });
    return next;
  }

  private trusted(request: FastifyRequest): boolean {
    const given = request.headers[SECRET_HEADER];
    if (typeof given !== 'string') return false;
    const a = Buffer.from(given);
    const b = Buffer.from(this.deps.config.secret);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

/** fetch's error for a connection the peer refused (ECONNREFUSED), possibly one per address tried. */
function connectionRefused(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending = [error];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    if ((next as { code?: unknown }).code === 'ECONNREFUSED') return true;
    pending.push((next as { cause?: unknown }).cause);
    if (next instanceof AggregateError) pending.push(...(next.errors as unknown[]));
  }
  return false;
}

export type { DesktopCommand };
