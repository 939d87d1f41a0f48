import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP } from 'node:net';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { AccountAdmin } from './auth/account-admin';
import { OidcService } from './auth/oidc';
import { SignInService } from './auth/sign-in';
import { TokenService } from './auth/tokens';
import { resolveServerConfig, type ServerConfig, type ServerConfigInput } from './config';
import { createAuthGuard } from './http/auth-guard';
import { WriteRateLimiter } from './http/rate-limit';
import { registerRoutes } from './http/routes';
import { PlaybookService } from './playbook/playbook-service';
import { ReviewService } from './review/review-service';
import { IdentityService } from './identity/identity-service';
import { isPhoneRegion } from '@shared/identity/phones';
import { seedDemoData } from './ingest/seed-demo';
import { valueOptions } from './scoring/value-config';
import { createLogger } from './logging';
import { FeedBroadcaster } from './realtime/feed-broadcaster';
import { attachSocketGateway, createSocketServer, DESKTOP_ROOM, disconnectAgent, emitToAgent, SCOPED_DESKTOP_ROOM, SUPERVISOR_ROOM, type DesktopServer } from './realtime/socket-gateway';
import { AccountEventsService } from './outcomes/account-events-service';
import { RetrainSchedule } from './scoring/retrain-schedule';
import { RoutingService } from './routing/routing-service';
import { createTelephonyAdapter } from './telephony/create-adapter';
import { KamailioAdapter } from './telephony/sip/kamailio-adapter';
import { TelephonyService } from './telephony/telephony-service';
import { ClusterNode } from './cluster/cluster-node';
import { localDesktopRouting } from './realtime/desktop-commands';
import type { ServerStore } from './store/server-store';
import { describeStoreLocation, openServerStore, storeLocationFor } from './store/open-store';
import { loadServerTls } from './tls';
import { SyncImageCache } from './sync-image/image-cache';

export const SERVER_VERSION = '0.1.0';
/** How often a cluster node looks for feed changes other nodes wrote. */
const FEED_POLL_MS = 300;

export interface RunningServer {
  url: string;
  port: number;
  config: ServerConfig;
  store: ServerStore;
  routing: RoutingService;
  /** Billing's account events: the same path as POST /api/customers/events. */
  accountEvents: AccountEventsService;
  /** The churn and value models retrained on a schedule (null: HOLDFAST_RETRAIN_CRON not set). */
  retrain: RetrainSchedule | null;
  /** The server's one identity service (caller index, ingest, agents' identity actions). */
  identity: IdentityService;
  io: DesktopServer;
  /** The phone system's side: calls in, assignments out, call events in. */
  telephony: TelephonyService;
  /** Every HTTP route Fastify registered (method and URL), e.g. to check the OpenAPI document covers them. */
  httpRoutes: ReadonlyArray<{ method: string; url: string }>;
  /** Accounts, as the admin routes and the users CLI manage them. */
  accounts: AccountAdmin;
  /** Set-up with demo off and no admin yet: the first admin, whose one-time password was printed once. */
  firstAdmin: { username: string; oneTimePassword: string } | null;
  log: Logger;
  /** Cold-sync images; null when off (HOLDFAST_SYNC_IMAGE=0). */
  syncImages: SyncImageCache | null;
  /** This node of a routing cluster; null for a server on its own. */
  cluster: ClusterNode | null;
  close(): Promise<void>;
}

export interface RoutingServerHooks {
  /**
   * A cluster node lost its routing lease after it had routed: it must make no more decisions. The
   * default ends the process (code 75), so its supervisor (systemd) starts it again as a follower.
   */
  leaseLost?(reason: string): void;
}

/** Builds and starts the routing server: store, seed, HTTP API and socket gateway. */
export async function startRoutingServer(input: ServerConfigInput = {}, hooks: RoutingServerHooks = {}): Promise<RunningServer> {
  const config = resolveServerConfig(input);
  // Before the store is opened: a server that may not listen as configured stops at once, naming the setting.
  const tls = loadServerTls(config);
  const log = createLogger(config.logLevel);
  const location = storeLocationFor(config.databaseUrl, config.dataDir);
  const store = await openServerStore(location, { postgres: config.postgres });
  log.info({ store: describeStoreLocation(location) }, 'store opened');
  // Built once, before seeding: the demo book is resolved with the configured phone region.
  // Seeding resolves before anything listens: on this thread (no worker start-up); from then on in a worker.
  const identity = new IdentityService(store, { defaultRegion: isPhoneRegion(config.defaultRegion) ? config.defaultRegion : 'US', resolveOnMainThread: true });

  if (config.demo) {
    const seeded = await seedDemoData(store, identity, { seed: config.demoSeed, customers: config.demoCustomers, asOf: config.demoAsOf }, (done, total) => {
      if (done === total || done % 50_000 === 0) log.info({ done, total }, 'seeding demo customers');
    }, { value: valueOptions(config.value) });
    if (seeded) log.info({ customers: config.demoCustomers }, 'demo data seeded');
  }
  const tokens = new TokenService(config.tokenSecret, Math.round(config.accessTokenMinutes * 60));
  // A changed account's live sockets are dropped: their next handshake is checked (and refused, if it must be).
  let dropSockets: (agentId: string) => void = () => undefined;
  const signIn = new SignInService(store, tokens, { demo: config.demo, limits: config.signIn, changed: (agentId) => dropSockets(agentId) });
  const accounts = new AccountAdmin(store, (agentId) => signIn.forget(agentId));
  const created = config.demo ? null : await accounts.ensureFirstAdmin();
  const firstAdmin = created ? { username: created.account.username, oneTimePassword: created.oneTimePassword } : null;
  if (firstAdmin) {
    // Printed once, never logged: whoever set the server up signs in with it and must change it.
    process.stderr.write(`\nFirst admin account created: ${firstAdmin.username}\nOne-time password (shown once, must be changed at first sign-in): ${firstAdmin.oneTimePassword}\n\n`);
  }
  identity.configure({ resolveOnMainThread: false });

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Per-request lines would carry URLs with customer ids; handlers log what matters.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 5_000_000,
    // HTTPS (and so WSS for the socket gateway on the same server) when a certificate is configured.
    // Fastify's types follow the `https` option; the factory keeps one instance type for both.
    serverFactory: (handler) => (tls !== null ? createHttpsServer({ cert: tls.cert, key: tls.key }, handler) as unknown as HttpServer : createHttpServer(handler)),
  });
  const httpRoutes: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) httpRoutes.push({ method, url: route.url });
  });
  const io = createSocketServer(app.server);
  const cluster = config.cluster && config.databaseUrl
    ? new ClusterNode({
      config: config.cluster, databaseUrl: config.databaseUrl, io, log,
      leaseLost: hooks.leaseLost ?? ((reason) => {
        log.fatal({ reason }, 'routing lease lost: ending this process so that it starts again as a follower');
        process.exit(75);
      }),
    })
    : null;
  if (cluster) await cluster.attachAdapter();
  dropSockets = (agentId) => disconnectAgent(io, agentId);
  // In a cluster each node tells its own desktops (io.local): the feed is read from the shared database by every node.
  const desktopsHere = cluster ? io.local : io;
  const feed = new FeedBroadcaster(
    store,
    (payload) => {
      desktopsHere.to(DESKTOP_ROOM).emit('feed:changed', payload);
      // Scoped desktops get no changes along (they hold only part of the book): a nudge, and they pull their part.
      desktopsHere.to(SCOPED_DESKTOP_ROOM).emit('feed:changed', { lastSeq: payload.lastSeq });
    },
    (error) => log.warn({ err: error }, 'could not read the change feed to send it to desktops'),
  );
  await feed.start();
  // The feed hook once the broadcaster exists: customer writes by identity resolution nudge the desktops.
  identity.configure({ onFeedMoved: () => feed.moved() });

  let telephony: TelephonyService | null = null;
  const routing = new RoutingService(
    store,
    identity,
    {
      offer: (agentId, offer) => emitToAgent(io, agentId, 'call:offered', offer),
      revoke: (agentId, callId, reason) => emitToAgent(io, agentId, 'call:revoked', { callId, reason }),
      callEnded: (agentId, callId) => emitToAgent(io, agentId, 'call:ended', { callId }),
      presenceChanged: (agentId, presence, since) => emitToAgent(io, agentId, 'presence:changed', { presence, since }),
      supervisorState: (state) => io.to(SUPERVISOR_ROOM).emit('supervisor:changed', state),
      outcome: (outcome) => io.to(SUPERVISOR_ROOM).emit('supervisor:outcomeAdded', outcome),
      feedMoved: () => feed.moved(),
      outreachTask: (agentId, task) => emitToAgent(io, agentId, 'outreach:offered', task),
      outreachRevoked: (agentId, taskId, reason) => emitToAgent(io, agentId, 'outreach:revoked', { taskId, reason }),
      accepted: (agentId, call) => telephony?.accepted(agentId, call),
      hungUp: (agentId, call) => telephony?.hungUp(agentId, call),
      dial: (agentId, callId, customerNumber) => {
        void telephony?.dial(agentId, callId, customerNumber).catch((error: unknown) => log.error({ err: error, callId }, 'outbound call not placed'));
      },
    },
    {
      reservationTimeoutMs: config.reservationTimeoutMs,
      defaultRegion: config.defaultRegion,
      routing: config.routing,
      outreach: config.outreach,
      connectedDesktops: () => io.of('/').sockets.size,
      maxClockDriftMs: config.maxClockDriftMs,
      verification: config.outcomes,
      offers: config.offers,
      awaitPhone: config.telephony.adapter !== 'none',
      ...(cluster ? { decisions: cluster.decisions } : {}),
    },
    log,
  );
  cluster?.useRouting(routing);
  // Changes written by other nodes (wrap-ups, edits) are in the shared database: each node looks for them.
  const feedPoll = cluster ? setInterval(() => feed.moved(), FEED_POLL_MS) : null;
  feedPoll?.unref();
  const telephonyAdapter = createTelephonyAdapter(config.telephony, config.telephonyKey, store, log.child({ component: 'telephony' }));
  telephony = new TelephonyService(
    routing,
    store,
    telephonyAdapter,
    (agentId, line) => emitToAgent(io, agentId, 'call:line', line),
    { ringTimeoutMs: config.telephony.ringTimeoutMs },
    log.child({ component: 'telephony' }),
  );
  routing.setPhoneBook(telephony);
  try {
    // A cluster node starts routing only when it takes the lease (cluster-node.ts).
    if (!cluster) await routing.start();
  } catch (error) {
    // Nothing is written on the way out: a state that could not be read stays as it is.
    log.error({ err: error }, 'routing could not start');
    io.close();
    await app.close().catch(() => undefined);
    await store.close();
    throw error;
  }

  const retrain = config.retrain.cron
    ? new RetrainSchedule(store, {
      pattern: config.retrain.cron, value: config.value, holdoutShare: config.retrain.holdoutShare,
      ...(config.retrain.timezone ? { timezone: config.retrain.timezone } : {}),
      done: () => {
        feed.moved();
        routing.churnModelsChanged();
      },
    }, log)
    : null;
  if (retrain) log.info({ pattern: config.retrain.cron, next: retrain.nextRun()?.toISOString() ?? null }, 'scheduled retraining on');
  const accountEvents = new AccountEventsService(store, (changed) => routing.accountEventsApplied(changed));
  const syncImages = config.syncImage.enabled
    ? new SyncImageCache(store, join(config.dataDir, 'sync-images'), { maxLagChanges: config.syncImage.maxLagChanges, maxAgeMs: config.syncImage.maxAgeSeconds * 1000 }, log)
    : null;
  // Before the routes: requests that need the router are forwarded by a node that does not route.
  cluster?.register(app);
  registerRoutes(app, {
    store, routing, telephony, sipEvents: telephonyAdapter instanceof KamailioAdapter ? telephonyAdapter : null, accountEvents, review: new ReviewService(store, routing, config.reviewAlert), identity, signIn, accounts, oidc: config.oidc ? new OidcService(config.oidc, store, signIn, cluster?.oidcFlows()) : undefined,
    authenticate: createAuthGuard(tokens, config.telephonyKey, signIn), demo: config.demo, version: SERVER_VERSION,
    writeLimiter: new WriteRateLimiter(config.rateLimit),
    agentCustomerScope: config.agentCustomerScope,
    playbook: new PlaybookService(store, () => feed.moved(), log),
    ...(syncImages ? { syncImages } : {}),
    ...(cluster ? { readiness: async () => cluster.readiness(), callCustomers: (agentId: string) => cluster.callCustomers(agentId) } : {}),
  });
  const gateway = attachSocketGateway(io, {
    tokens, signIn, store, log, agentCustomerScope: config.agentCustomerScope,
    desktops: cluster ? cluster.desktopRouting() : localDesktopRouting(routing, log),
  });

  // Malformed JSON and other framework-level errors get the same error shape as ours.
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) log.error({ err: error }, 'request failed');
    void reply.code(status).send({ error: status === 500 ? 'internal' : 'invalid_request', message: status === 500 ? 'Internal server error' : error.message });
  });

  // A node that failed takes its desktops' reconnections all at once: with Node's default backlog
  // of 511, a burst of a few thousand overflowed it, SYNs were dropped, and HAProxy's connect checks
  // timed out on a node that was only busy (bench:cluster at 5,000 agents). The kernel caps it at
  // net.core.somaxconn (4096 on current Linux).
  await app.listen({ host: config.host, port: config.port, backlog: 4096 });
  // After the API listens: a phone system that hands calls in at once finds the server ready.
  await telephony.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `${tls !== null ? 'https' : 'http'}://${isIP(config.host) === 6 ? `[${config.host}]` : config.host}:${port}`;
  log.info({ url, demo: config.demo, tls: tls !== null ? 'on' : config.tlsTerminatedByProxy ? 'terminated by a proxy' : 'off (loopback)', node: config.cluster?.nodeId }, 'routing server listening');
  await cluster?.start(() => gateway.connectedAgents());

  return {
    url, port, config, store, routing, telephony, accountEvents, retrain, identity, io, log, httpRoutes, firstAdmin, accounts, syncImages, cluster,
    async close() {
      if (feedPoll) clearInterval(feedPoll);
      // A cluster authority first stops taking routing requests and lets those under way finish.
      await cluster?.leave();
      await retrain?.stop();
      await telephony.stop();
      await routing.stop();
      await cluster?.stop();
      io.close();
      await app.close();
      await store.close();
    },
  };
}
