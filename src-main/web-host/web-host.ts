import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import Fastify, { LogController } from 'fastify';
import fastifyStatic from '@fastify/static';
import { Server } from 'socket.io';
import { DESKTOP_EVENTS, isDesktopMethod, type InvokeResult } from '@shared/contract/desktop-api';
import type { DesktopBackend } from '../services/desktop-backend';
import { CONTENT_SECURITY_POLICY } from '../security/content-security-policy';

export interface WebHostOptions {
  host?: string;
  port?: number;
  rendererDir: string;
  createBackend(sessionId: string): DesktopBackend;
  /** How long a session outlives its last tab, so a reload keeps the login. */
  sessionGraceMs?: number;
}

export interface RunningWebHost {
  url: string;
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

/**
 * Browser mode: serves the same renderer bundle and carries the same API
 * contract over a local socket.io link. Each browser tab brings a session
 * id, and each session gets its own backend, as each Electron window would.
 */
export async function startWebHost(options: WebHostOptions): Promise<RunningWebHost> {
  if (!existsSync(options.rendererDir)) throw new Error(`The renderer is not built at ${options.rendererDir}; run "npm run build:renderer".`);
  const app = Fastify({ logController: new LogController({ disableRequestLogging: true }) });
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
    // Only pages this host served may drive the backend.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      const host = req.headers.host;
      callback(null, !origin || (host !== undefined && new URL(origin).host === host));
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

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
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
