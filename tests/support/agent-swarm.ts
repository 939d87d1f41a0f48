/**
 * Light desktop clients for cluster tests and the cluster bench: one process
 * holding the sockets of many agents. Each agent does what an agent at a desk
 * does: says it is ready, accepts what it is offered, talks, hangs up, and
 * saves a wrap-up, which it keeps sending (its outbox) until the server acks
 * it. It prints one JSON line per thing that happened, with wall-clock times
 * (ms, same clock as the parent process), so the parent can count.
 *
 * argv[2]: JSON SwarmOptions, or @file holding them. stdin: {"cmd":"stop"} ends it after a summary line.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { io, type Socket } from 'socket.io-client';
import { RECONNECTION } from '../../src-main/services/server-link/server-socket';

export interface SwarmOptions {
  /** Where to connect (a load balancer); several: each agent tries the next when one fails. */
  urls: string[];
  /** agentId -> access token */
  tokens: Record<string, string>;
  acceptDelayMs: number;
  talkMs: number;
  /** Print an 'offer' line per offer (the bench reads latencies from them). */
  report: boolean;
  /** Desktops connecting per second (as a floor signs in over a while, not in one instant); 0: all at once. */
  connectPerSecond?: number;
}

// A file (@path) for many agents: their tokens do not fit on a command line.
const argument = process.argv[2] ?? '{}';
const options = JSON.parse(argument.startsWith('@') ? readFileSync(argument.slice(1), 'utf8') : argument) as SwarmOptions;
const now = (): number => performance.timeOrigin + performance.now();
const out = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

type Ack = { ok: boolean; error?: string; message?: string; results?: Array<{ id: string; status: string; reason?: string; message?: string }> };

let connectedOnce = 0;
const sockets: Socket[] = [];

async function emitAck(socket: Socket, event: string, payload: unknown, timeoutMs = 5000): Promise<Ack> {
  return (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as Ack;
}

function startAgent(agentId: string, token: string, index: number): void {
  let urlIndex = index % options.urls.length;
  const socket = io(options.urls[urlIndex], {
    auth: { token }, transports: ['websocket'], ...RECONNECTION, timeout: 5000,
  });
  sockets.push(socket);
  let onCall: string | null = null;
  let first = true;
  let settingReady = false;
  const held = new Set<string>();
  const revoked = new Set<string>();
  // Calls this desktop is taking (accept to wrap-up): an offer of one again (a reconnect, a new authority) is not a second call.
  const taking = new Set<string>();

  const ready = (): void => {
    if (settingReady || onCall) return;
    settingReady = true;
    void emitAck(socket, 'presence:set', { presence: 'available' }).catch(() => ({ ok: false })).then((ack) => {
      settingReady = false;
      if (!ack.ok && socket.connected) setTimeout(ready, 300);
    });
  };

  socket.on('connect', () => {
    if (first) {
      first = false;
      if (++connectedOnce === Object.keys(options.tokens).length) out({ ev: 'connected', t: now() });
    } else out({ ev: 'reconnected', agentId, t: now() });
  });
  socket.on('connect_error', () => {
    // Several URLs (no load balancer): the next one.
    if (options.urls.length > 1) {
      urlIndex = (urlIndex + 1) % options.urls.length;
      (socket.io as unknown as { uri: string }).uri = options.urls[urlIndex]!;
    }
  });
  socket.on('disconnect', () => {
    // An offer is held only while the desktop is connected: it cannot be taken from a dead link.
    for (const callId of held) out({ ev: 'released', agentId, callId, t: now(), why: 'disconnected' });
    held.clear();
  });
  socket.on('presence:changed', ({ presence }: { presence: string }) => {
    if (presence === 'away' && !onCall) setTimeout(ready, 100);
  });
  socket.on('call:revoked', ({ callId, reason }: { callId: string; reason: string }) => {
    revoked.add(callId);
    if (held.delete(callId)) out({ ev: 'released', agentId, callId, t: now(), why: reason });
  });
  socket.on('call:offered', (offer: { call: { id: string; customerId: string | null }; match?: { method: string; candidates: Array<{ customerId: string }> } }) => {
    const callId = offer.call.id;
    const t = now();
    if (held.has(callId) || taking.has(callId) || onCall === callId) return;
    revoked.delete(callId);
    held.add(callId);
    if (options.report) out({ ev: 'offer', agentId, callId, t, match: offer.match?.method ?? null });
    // A caller the server could not pick alone (a shared phone): the agent picks the first candidate, as on the pop.
    const customerId = offer.call.customerId ?? offer.match?.candidates[0]?.customerId ?? null;
    setTimeout(() => void take(callId, customerId), options.acceptDelayMs);
  });

  async function take(callId: string, customerId: string | null): Promise<void> {
    if (!held.has(callId) || taking.has(callId)) return;
    taking.add(callId);
    try {
      await takeCall(callId, customerId);
    } finally {
      taking.delete(callId);
    }
  }

  async function takeCall(callId: string, customerId: string | null): Promise<void> {
    // Sent again while the answer is lost (a node or the authority went away); accepting twice changes nothing.
    let ack: Ack = { ok: false, error: 'timeout' };
    for (let i = 0; i < 40 && !revoked.has(callId); i++) {
      ack = await emitAck(socket, 'call:accept', { callId }).catch(() => ({ ok: false, error: 'timeout' }) as Ack);
      if (ack.ok || (ack.error !== 'timeout' && ack.error !== 'internal' && ack.error !== 'not_authority')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    held.delete(callId);
    if (!ack.ok) {
      out({ ev: 'released', agentId, callId, t: now(), why: `accept refused: ${ack.error ?? ''}` });
      return;
    }
    onCall = callId;
    out({ ev: 'accepted', agentId, callId, t: now() });
    await new Promise((r) => setTimeout(r, options.talkMs));
    // Hang up until the server has it (it may be changing authority); 'out_of_order' means it already ended.
    for (let i = 0; i < 100; i++) {
      const hung = await emitAck(socket, 'call:hangUp', { callId }).catch(() => ({ ok: false, error: 'timeout' }) as Ack);
      if (hung.ok || hung.error === 'out_of_order') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const wrapUp = {
      id: randomUUID(), callId, customerId: customerId ?? 'unknown', agentId, disposition: 'retained', offerId: null, offerOutcome: 'no_offer',
      notes: '', summary: 'cluster test', summaryAuthor: 'agent', createdAt: new Date().toISOString(),
    };
    // The outbox: sent until acked, whatever happens to the node or the authority meanwhile.
    for (;;) {
      const ack2 = await emitAck(socket, 'outbox:submit', { entries: [{ kind: 'wrapup', payload: wrapUp }] }, 5000).catch(() => ({ ok: false }) as Ack);
      const result = ack2.ok ? ack2.results?.[0] : undefined;
      if (result) {
        out({ ev: 'wrapup', agentId, callId, id: wrapUp.id, status: result.status, ...(result.reason ? { reason: result.reason } : {}), ...(result.message ? { message: result.message } : {}), t: now() });
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    onCall = null;
    ready();
  }

  socket.on('connect', ready);
}

Object.entries(options.tokens).forEach(([agentId, token], i) => {
  const rate = options.connectPerSecond ?? 0;
  if (rate > 0) setTimeout(() => startAgent(agentId, token, i), (i / rate) * 1000);
  else startAgent(agentId, token, i);
});

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.includes('"stop"')) {
    for (const socket of sockets) socket.close();
    out({ ev: 'stopped', t: now() });
    setTimeout(() => process.exit(0), 50);
  }
});
