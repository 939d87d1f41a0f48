import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isIP, type AddressInfo } from 'node:net';
import Fastify, { LogController } from 'fastify';
import fastifyStatic from '@fastify/static';
import { Server } from 'socket.io';
import { DESKTOP_EVENTS, isDesktopMethod, type InvokeResult } from '@shared/contract/desktop-api';
import type { DesktopBackend } from '../services/desktop-backend';
import { CONTENT_SECURITY_POLICY } from '../security/content-security-policy';
import { createHostGuard, type HostGuard } from './host-guard';

export interface WebHostOptions {
  host?: string;
  port?: number;
  rendererDir: string;
  createBackend(sessionId: string): DesktopBackend;
  /** How long a session outlives its last tab, so a reload keeps the login. */
  sessionGraceMs?: number;
}

export interface RunningWebHost {
  /** The address to open: this host's origin with the launch secret, which the page trades for a cookie. */
  url: string;
  /** http://127.0.0.1:PORT, without the secret. */
  origin: string;
  backends: ReadonlyMap<string, DesktopBackend>;
  close(): Promise<void>;
}

interface HostedSession {
  backend: DesktopBackend;
  sockets: number;
  dispose: ReturnType<typeof setTimeout> | null;
  unsubscribe: (() => void)[];
}

const SESSION_ID = /^[A-Za-z0-9_-]{8,64}$/;
const LOOPBACK_BIND = new Set(['127.0.0.1', '::1', 'localhost']);
const NEEDS_LAUNCH_URL = 'Open the address Holdfast printed when it started: it carries the key of this launch.';

function bindHost(host: string | undefined): string {
  const chosen = host ?? '127.0.0.1';
  if (!LOOPBACK_BIND.has(chosen)) throw new Error(`Browser mode serves only this machine: its host must be 127.0.0.1, ::1 or localhost, not ${JSON.stringify(chosen)}.`);
  return chosen;
}

/**
 * Browser mode: serves the same renderer bundle and carries the same API
 * contract over a local socket.io link. Each browser tab brings a session
 * id, and each session gets its own backend, as each Electron window would.
 */
export async function startWebHost(options: WebHostOptions): Promise<RunningWebHost> {
  if (!existsSync(options.rendererDir)) throw new Error(`The renderer is not built at ${options.rendererDir}; run "npm run build:renderer".`);
  const host = bindHost(options.host);
  const secret = randomBytes(32).toString('base64url');
  // Made once the port is known; until then nothing is let in.
  let guard: HostGuard | null = null;
  const app = Fastify({ logController: new LogController({ disableRequestLogging: true }) });
  // Loopback Host with this port, this origin or none, and this launch's secret: else 403, before any route.
  app.addHook('onRequest', async (request, reply) => {
    const { host: hostHeader, origin } = request.headers;
    if (guard === null || !guard.hostAllowed(hostHeader) || !guard.originAllowed(origin, hostHeader)) {
      return reply.code(403).type('text/plain; charset=utf-8').send('Forbidden');
    }
    const launch = (request.query as Record<string, unknown> | undefined)?.[guard.queryName];
    if (launch !== undefined) {
      if (request.method !== 'GET' || !guard.secretMatches(typeof launch === 'string' ? launch : null)) {
        return reply.code(403).type('text/plain; charset=utf-8').send(NEEDS_LAUNCH_URL);
      }
      // The secret moves into a cookie and out of the address bar (and history).
      return reply.header('set-cookie', guard.setCookieHeader()).header('cache-control', 'no-store').redirect('/', 303);
    }
    if (!guard.secretMatches(guard.secretFromCookie(request.headers.cookie))) {
      return reply.code(403).type('text/plain; charset=utf-8').send(NEEDS_LAUNCH_URL);
    }
    return undefined;
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
  });
  await app.register(fastifyStatic, { root: options.rendererDir, index: ['index.html'] });

  const sessions = new Map<string, HostedSession>();
  const backends = new Map<string, DesktopBackend>();
  const io = new Server(app.server, {
    path: '/bridge',
    serveClient: false,
    maxHttpBufferSize: 2_000_000,
    // Only pages this host served, opened with this launch's secret, may drive the backend.
    allowRequest: (req, callback) => {
      const { host: hostHeader, origin, cookie } = req.headers;
      const allowed = guard !== null && guard.hostAllowed(hostHeader) && guard.originAllowed(origin, hostHeader)
        && guard.secretMatches(guard.secretFromCookie(cookie));
      callback(null, allowed);
    },
  });

  io.on('connection', (socket) => {
    const sessionId: unknown = socket.handshake.auth?.session;
    if (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId)) {
      socket.emit('bridge-error', 'A session id is required');
      socket.disconnect(true);
      return;
    }
    let hosted = sessions.get(sessionId);
    if (!hosted) {
      const backend = options.createBackend(sessionId);
      hosted = { backend, sockets: 0, dispose: null, unsubscribe: [] };
      sessions.set(sessionId, hosted);
      backends.set(sessionId, backend);
    }
    const session = hosted;
    if (session.dispose) clearTimeout(session.dispose);
    session.dispose = null;
    session.sockets += 1;

    const unsubscribe = DESKTOP_EVENTS.map((event) => session.backend.on(event, (payload) => socket.emit('event', event, payload)));

    socket.on('invoke', async (method: unknown, input: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const reply = ack as (result: InvokeResult<unknown>) => void;
      if (!isDesktopMethod(method)) {
        reply({ ok: false, error: { code: 'unknown_method', message: `Unknown method ${String(method)}` } });
        return;
      }
      reply(await session.backend.invoke(method, input));
    });

    socket.on('disconnect', () => {
      unsubscribe.forEach((off) => off());
      session.sockets -= 1;
      if (session.sockets === 0) {
        session.dispose = setTimeout(() => {
          sessions.delete(sessionId);
          backends.delete(sessionId);
          void session.backend.close();
        }, options.sessionGraceMs ?? 60_000);
        session.dispose.unref?.();
      }
    });
  });

  await app.listen({ host, port: options.port ?? 0 });
  const { port } = app.server.address() as AddressInfo;
  guard = createHostGuard(port, secret);
  const origin = `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  return {
    url: `${origin}/?${guard.queryName}=${secret}`,
    origin,
    backends,
    async close() {
      for (const session of sessions.values()) {
        if (session.dispose) clearTimeout(session.dispose);
        await session.backend.close();
      }
      sessions.clear();
      io.close();
      await app.close();
    },
  };
}
