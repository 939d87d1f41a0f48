import { io, type Socket } from 'socket.io-client';
import type { Ack, DesktopToServerEvents, ServerToDesktopEvents } from '@shared/contract/server-socket';
import { checkServerUrl, serverTrustFromEnv, type ServerTrust } from './server-trust';

export type ServerSocket = Socket<ServerToDesktopEvents, DesktopToServerEvents>;

export class ServerAckError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'ServerAckError';
  }
}

/**
 * Opens the realtime link; socket.io reconnects on its own with backoff.
 * ws (plain) only to this machine, as for HTTP; wss checks the server's
 * certificate against the system's CAs plus HOLDFAST_SERVER_CA.
 */
export function connectServerSocket(baseUrl: string, token: string, trust: ServerTrust = serverTrustFromEnv()): ServerSocket {
  checkServerUrl(baseUrl);
  return io(baseUrl, {
    ...(trust.ca ? { ca: trust.ca } : {}),
    rejectUnauthorized: true,
    auth: { token },
    transports: ['websocket'],
    reconnection: true,
    reconnectionDelay: 250,
    reconnectionDelayMax: 3000,
    timeout: 5000,
  });
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
