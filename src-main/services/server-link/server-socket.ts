import { io, type Socket } from 'socket.io-client';
import type { Ack, DesktopToServerEvents, ServerToDesktopEvents } from '@shared/contract/server-socket';
import { checkServerUrl, serverTrustFromEnv, type ServerTrust } from './server-trust';
import { ServerUrls } from './server-urls';

export type ServerSocket = Socket<ServerToDesktopEvents, DesktopToServerEvents>;

export class ServerAckError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'ServerAckError';
  }
}

/**
 * How a desktop reconnects. The first attempt comes anywhere from 0 to 2 s after the link is lost (full
 * jitter), not within a quarter second: when a server node dies, the 1,700 desktops it held reconnect to
 * the others while one of them takes over routing, and spread over two seconds they do not all arrive in
 * the same instant. Later attempts back off to 5 s.
 */
export const RECONNECTION = { reconnection: true, reconnectionDelay: 1000, randomizationFactor: 1, reconnectionDelayMax: 5000 } as const;

/**
 * Opens the realtime link; socket.io reconnects on its own with backoff after a lost connection.
 * A handshake the server refuses is not retried by socket.io: see watchHandshake. `token` may be a
 * function, read at every handshake (the session renews its token). ws (plain) only to this
 * machine, as for HTTP; wss checks the server's certificate against the system's CAs plus
 * HOLDFAST_SERVER_CA.
 */
export function connectServerSocket(baseUrl: string, token: string | (() => string), trust: ServerTrust = serverTrustFromEnv()): ServerSocket {
  checkServerUrl(baseUrl);
  const urls = new ServerUrls(baseUrl);
  const socket: ServerSocket = io(urls.current(), {
    ...(trust.ca ? { ca: trust.ca } : {}),
    rejectUnauthorized: true,
    auth: typeof token === 'string' ? { token } : (cb) => cb({ token: token() }),
    transports: ['websocket'],
    ...RECONNECTION,
    timeout: 5000,
  });
  if (urls.all.length > 1) {
    // Several nodes: every reconnection attempt goes to the next (the Manager opens its `uri` on each attempt).
    socket.io.on('reconnect_attempt', () => {
      (socket.io as unknown as { uri: string }).uri = urls.next();
    });
  }
  return socket;
}

type AckPayload<E extends keyof DesktopToServerEvents> = Parameters<Parameters<DesktopToServerEvents[E]>[1]>[0];
type AckOk<E extends keyof DesktopToServerEvents> = Extract<AckPayload<E>, { ok: true }>;

/** Emits and waits for the server's ack; a negative ack or a timeout throws. */
export async function request<E extends keyof DesktopToServerEvents>(
  socket: ServerSocket,
  event: E,
  payload: Parameters<DesktopToServerEvents[E]>[0],
  timeoutMs = 10_000,
): Promise<AckOk<E>> {
  // socket.io's typed overloads cannot express "any event of this map" generically.
  const timed = socket.timeout(timeoutMs) as unknown as { emitWithAck(event: E, payload: unknown): Promise<Ack<object>> };
  const result = await timed.emitWithAck(event, payload);
  if (!result.ok) throw new ServerAckError(result.error, result.message);
  return result as AckOk<E>;
}

/** What watchHandshake does about a refused handshake. */
export interface HandshakeHandlers {
  /** token_expired: a fresh token, or null when the session is over (the handshake is tried again with it). */
  renew(): Promise<string | null>;
  /** token_revoked, account_disabled, unauthorized: sign the agent out with this reason. */
  refused(code: 'token_revoked' | 'account_disabled' | 'unauthorized'): void;
  /** What is happening, for the status bar (null once connected). */
  notice(message: string | null): void;
}

const HANDSHAKE_RETRY_MAX_MS = 30_000;

/**
 * socket.io gives up on a handshake the server refused (its middleware's
 * error), which used to leave a desktop offline for good. The refusal names
 * its reason: an expired token is renewed and tried again, a revoked token or
 * a disabled account ends the session, and a server that could not check
 * ('unavailable', or anything else) is tried again with backoff.
 */
export function watchHandshake(socket: ServerSocket, handlers: HandshakeHandlers, baseDelayMs = 1000): () => void {
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const retry = (delayMs: number): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (!stopped && !socket.connected) socket.connect();
    }, delayMs);
    timer.unref?.();
  };
  socket.on('connect', () => {
    failures = 0;
    handlers.notice(null);
  });
  // The server drops an account's sockets when it changes (disabled, signed out elsewhere): socket.io
  // does not reconnect after that on its own, and the new handshake says whether the session goes on.
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect' && !stopped) retry(0);
  });
  socket.on('connect_error', (error: Error) => {
    // Still active: a transport failure socket.io retries on its own.
    if (stopped || socket.active) return;
    const code = error.message;
    if (code === 'token_revoked' || code === 'account_disabled' || code === 'unauthorized') {
      handlers.refused(code);
      return;
    }
    if (code === 'token_expired') {
      handlers.notice('Your session expired; renewing it…');
      void handlers.renew().then((token) => {
        if (token && !stopped) retry(0);
      });
      return;
    }
    failures++;
    const delayMs = Math.min(HANDSHAKE_RETRY_MAX_MS, baseDelayMs * 2 ** Math.min(failures - 1, 5));
    handlers.notice(`The server could not check your sign-in (${code === 'unavailable' ? 'a server error' : code}); reconnecting in ${Math.ceil(delayMs / 1000)} s.`);
    retry(delayMs);
  });
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
