import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { TokenService } from './auth/tokens';
import { resolveServerConfig, type ServerConfig, type ServerConfigInput } from './config';
import { createAuthGuard } from './http/auth-guard';
import { WriteRateLimiter } from './http/rate-limit';
import { registerRoutes } from './http/routes';
import { IdentityService } from './identity/identity-service';
import { isPhoneRegion } from '@shared/identity/phones';
import { seedAgents, seedDemoData } from './ingest/seed-demo';
import { valueOptions } from './scoring/value-config';
import { createLogger } from './logging';
import { FeedBroadcaster } from './realtime/feed-broadcaster';
import { attachSocketGateway, createSocketServer, DESKTOP_ROOM, emitToAgent, SCOPED_DESKTOP_ROOM, SUPERVISOR_ROOM, type DesktopServer } from './realtime/socket-gateway';
import { RoutingService } from './routing/routing-service';
import type { ServerStore } from './store/server-store';
import { describeStoreLocation, openServerStore, storeLocationFor } from './store/open-store';

export const SERVER_VERSION = '0.1.0';

export interface RunningServer {
  url: string;
  port: number;
  config: ServerConfig;
  store: ServerStore;
  routing: RoutingService;
  /** The server's one identity service (caller index, ingest, agents' identity actions). */
  identity: IdentityService;
  io: DesktopServer;
  /** Every HTTP route Fastify registered (method and URL), e.g. to check the OpenAPI document covers them. */
  httpRoutes: ReadonlyArray<{ method: string; url: string }>;
  log: Logger;
  close(): Promise<void>;
}

/** Builds and starts the routing server: store, seed, HTTP API and socket gateway. */
export async function startRoutingServer(input: ServerConfigInput = {}): Promise<RunningServer> {
  const config = resolveServerConfig(input);
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
  } else {
    await seedAgents(store);
  }
  identity.configure({ resolveOnMainThread: false });

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Per-request lines would carry URLs with customer ids; handlers log what matters.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 5_000_000,
  });
  const httpRoutes: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) httpRoutes.push({ method, url: route.url });
  });
  const tokens = new TokenService(config.tokenSecret);
  const io = createSocketServer(app.server);
  const feed = new FeedBroadcaster(
    store,
    (payload) => {
      io.to(DESKTOP_ROOM).emit('feed:changed', payload);
      // Scoped desktops get no changes along (they hold only part of the book): a nudge, and they pull their part.
      io.to(SCOPED_DESKTOP_ROOM).emit('feed:changed', { lastSeq: payload.lastSeq });
    },
    (error) => log.warn({ err: error }, 'could not read the change feed to send it to desktops'),
  );
  await feed.start();
  // The feed hook once the broadcaster exists: customer writes by identity resolution nudge the desktops.
  identity.configure({ onFeedMoved: () => feed.moved() });

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
    },
    {
      reservationTimeoutMs: config.reservationTimeoutMs,
      defaultRegion: config.defaultRegion,
      routing: config.routing,
      outreach: config.outreach,
      connectedDesktops: () => io.of('/').sockets.size,
      maxClockDriftMs: config.maxClockDriftMs,
    },
    log,
  );
  try {
    await routing.start();
  } catch (error) {
    // Nothing is written on the way out: a state that could not be read stays as it is.
    log.error({ err: error }, 'routing could not start');
    io.close();
    await app.close().catch(() => undefined);
    await store.close();
    throw error;
  }

  registerRoutes(app, {
    store, routing, identity, tokens, authenticate: createAuthGuard(tokens, config.telephonyKey), demo: config.demo, version: SERVER_VERSION,
    writeLimiter: new WriteRateLimiter(config.rateLimit),
    agentCustomerScope: config.agentCustomerScope,
  });
  attachSocketGateway(io, { tokens, store, routing, log, agentCustomerScope: config.agentCustomerScope });

  // Malformed JSON and other framework-level errors get the same error shape as ours.
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) log.error({ err: error }, 'request failed');
    void reply.code(status).send({ error: status === 500 ? 'internal' : 'invalid_request', message: status === 500 ? 'Internal server error' : error.message });
  });

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  log.info({ url, demo: config.demo }, 'routing server listening');

  return {
    url, port, config, store, routing, identity, io, log, httpRoutes,
    async close() {
      await routing.stop();
      io.close();
      await app.close();
      await store.close();
    },
  };
}
