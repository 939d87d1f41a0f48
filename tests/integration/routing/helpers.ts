import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { CallOffer, OutreachTask } from '@shared/contract/server-socket';
import type { CustomerProfile, CustomerScores } from '@shared/domain/customer';
import type { RunningServer } from '../../../src-server/routing-server';
import { api, login } from '../../support/stack';
import { emitAck, waitFor } from '../../support/socket-agent';

export { api, emitAck, login, waitFor };

/** A desktop as the server sees it: one real socket, everything the server pushed to it kept in order. */
export interface Desk {
  username: string;
  agentId: string;
  token: string;
  socket: Socket;
  offers: CallOffer[];
  revoked: Array<{ callId: string; reason: string }>;
  ended: string[];
  presence: string[];
  tasks: OutreachTask[];
  tasksRevoked: Array<{ taskId: string; reason: string }>;
  emit(event: string, payload: unknown): Promise<Record<string, unknown>>;
  /** The latest offer of this call, once it arrives. */
  offerOf(callId: string, timeoutMs?: number): Promise<CallOffer>;
  close(): void;
}


export async function openDesk(server: { url: string }, username: string, credentials?: { token: string; agentId: string }): Promise<Desk> {
  const { token, agentId } = credentials ?? (await login(server, username));
  const socket = io(server.url, { auth: { token }, transports: ['websocket'], reconnection: false });
  const desk: Desk = {
    username, agentId, token, socket,
    offers: [], revoked: [], ended: [], presence: [], tasks: [], tasksRevoked: [],
    emit: (event, payload) => emitAck(socket, event, payload),
    offerOf: (callId, timeoutMs = 5000) => waitFor(() => desk.offers.find((o) => o.call.id === callId), timeoutMs),
    close: () => void socket.disconnect(),
  };
  socket.on('call:offered', (offer: CallOffer) => desk.offers.push(offer));
  socket.on('call:revoked', (payload: { callId: string; reason: string }) => desk.revoked.push(payload));
  socket.on('call:ended', ({ callId }: { callId: string }) => desk.ended.push(callId));
  socket.on('presence:changed', ({ presence }: { presence: string }) => desk.presence.push(presence));
  socket.on('outreach:offered', (task: OutreachTask) => desk.tasks.push(task));
  socket.on('outreach:revoked', (payload: { taskId: string; reason: string }) => desk.tasksRevoked.push(payload));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  // The server says where the agent stands right after the connection.
  await waitFor(() => desk.presence.length > 0);
  return desk;
}

/** Opens a desk and says "ready". */
export async function readyDesk(server: { url: string }, username: string): Promise<Desk> {
  const desk = await openDesk(server, username);
  const answer = await desk.emit('presence:set', { presence: 'available' });
  if (answer.ok !== true) throw new Error(`presence:set failed for ${username}: ${JSON.stringify(answer)}`);
  return desk;
}

export function wrapUp(desk: Desk, callId: string, customerId: string, disposition: 'retained' | 'churned' | 'not_retention' = 'retained') {
  return {
    id: randomUUID(), callId, customerId, agentId: desk.agentId, disposition, offerId: null, offerOutcome: 'no_offer',
    notes: '', summary: '', summaryAuthor: 'agent', createdAt: new Date().toISOString(),
  };
}

export async function supervisorToken(server: { url: string }): Promise<string> {
  return (await login(server, 'rachel')).token;
}

/** Customers with phones and scores, from the server's own store. */
export async function scoredCustomers(server: RunningServer, count = 300): Promise<Array<{ customer: CustomerProfile; scores: CustomerScores }>> {
  const page = await server.store.snapshotPage(null, count);
  const scores = new Map(page.scores.map((s) => [s.customerId, s]));
  return page.customers.filter((c) => c.phones.length > 0 && scores.has(c.id)).map((customer) => ({ customer, scores: scores.get(customer.id)! }));
}

/** Posts a call for a customer as telephony would. */
export async function postCall(server: { url: string }, body: Record<string, unknown>): Promise<string> {
  const response = await api(server, 'POST', '/api/calls', body);
  if (response.status !== 201) throw new Error(`POST /api/calls failed: ${response.status} ${JSON.stringify(response.body)}`);
  return String(response.body.callId);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
