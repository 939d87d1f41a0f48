import { io, type Socket } from 'socket.io-client';
import type { CallOffer, DesktopToServerEvents, ServerToDesktopEvents } from '@shared/contract/server-socket';
import { api } from './stack';

export type AgentSocket = Socket<ServerToDesktopEvents, DesktopToServerEvents>;

/** Logs a demo user in over HTTP and opens a real socket.io connection as that user. */
export async function connectAs(server: { url: string }, username: string): Promise<{ socket: AgentSocket; token: string; agentId: string; offers: CallOffer[] }> {
  const login = await api(server, 'POST', '/api/auth/login', { username, password: 'demo' }, '');
  if (login.status !== 200) throw new Error(`login failed for ${username}: ${JSON.stringify(login.body)}`);
  const token = String(login.body.token);
  const socket: AgentSocket = io(server.url, { auth: { token }, transports: ['websocket'], reconnection: false });
  const offers: CallOffer[] = [];
  socket.on('call:offered', (offer) => offers.push(offer));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, token, agentId: String((login.body.agent as { id: string }).id), offers };
}

/** Emits with an ack and returns whatever came back (an error ack included). */
export function emitAck(socket: Socket, event: string, payload: unknown): Promise<Record<string, unknown>> {
  return socket.timeout(5000).emitWithAck(event, payload) as Promise<Record<string, unknown>>;
}

export async function waitFor<T>(read: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What the server answers a socket handshake with this token: 'connected', or the refusal. */
export async function handshake(server: { url: string }, token: string): Promise<string> {
  const socket = io(server.url, { auth: { token }, transports: ['websocket'], reconnection: false, timeout: 5000 });
  try {
    return await new Promise<string>((resolve) => {
      socket.on('connect', () => resolve('connected'));
      socket.on('connect_error', (error) => resolve(error.message));
    });
  } finally {
    socket.disconnect();
  }
}
