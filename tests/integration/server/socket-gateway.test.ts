import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src-server/routing-server';
import { api, startServer } from '../../support/stack';
import { putCallsOnRecord } from '../../support/calls-on-record';
import { connectAs, emitAck, waitFor, type AgentSocket } from '../../support/socket-agent';

describe('socket gateway', () => {
  let server: RunningServer;
  let remove: () => void;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 60, reservationTimeoutMs: 400 }));
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await server.close();
    remove();
  });

  async function agent(username: string): Promise<Awaited<ReturnType<typeof connectAs>>> {
    const connected = await connectAs(server, username);
    sockets.push(connected.socket as unknown as Socket);
    return connected;
  }

  it('refuses a connection without a valid token', async () => {
    const socket = io(server.url, { auth: { token: 'forged' }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error.message).toBe('unauthorized');
  });

  it('rejects wrong-shaped events with an error that names the problem, and keeps serving', async () => {
    const { socket, agentId } = await agent('ava');
    const raw = socket as unknown as Socket;
    // A wrap-up already stored, which no hostile event may disturb.
    const customerId = (await server.store.snapshotPage(null, 1)).customers[0]!.id;
    await putCallsOnRecord(server.store, [{ callId: 'CALL-kept', agentId, customerId }]);
    const kept = {
      id: randomUUID(), callId: 'CALL-kept', customerId, agentId, disposition: 'retained', offerId: null, offerOutcome: 'no_offer',
      notes: 'kept', summary: 'kept', summaryAuthor: 'agent', createdAt: new Date().toISOString(),
    };
    expect((await emitAck(raw, 'wrapUp:submit', kept)).ok).toBe(true);
    // The feed less score changes: the rescorer may rescore a customer after a wrap-up at any moment.
    const feed = async (): Promise<number> => (await server.store.changesAfter(0, 100_000)).changes.filter((c) => c.entity !== 'scores').length;
    const stored = async (): Promise<unknown> => ({ outcomes: await server.store.recentOutcomes(1000), feed: await feed(), customers: await server.store.customerCount() });
    const before = await stored();
    const bad = await emitAck(raw, 'presence:set', { presence: 'dancing' });
    expect(bad.ok).toBe(false);
    expect(bad.error).toBe('invalid_payload');
    expect(String(bad.message)).toContain('presence');
    for (const payload of [null, 42, 'x', [], { callId: 7 }, { callId: 'x'.repeat(5000) }]) {
      const answer = await emitAck(raw, 'call:accept', payload);
      expect(answer.ok).toBe(false);
    }
    const wrapUp = await emitAck(raw, 'wrapUp:submit', { id: 'not-a-uuid', notes: 123 });
    expect(wrapUp.error).toBe('invalid_payload');
    // The same id again with other content, an entry in someone else's name, and a batch of junk.
    expect((await emitAck(raw, 'wrapUp:submit', { ...kept, disposition: 'churned', notes: 'overwritten?' })).duplicate).toBe(true);
    expect((await emitAck(raw, 'wrapUp:submit', { ...kept, id: randomUUID(), agentId: 'A-someone-else' })).ok).toBe(false);
    for (const batch of [null, [], { entries: 'x' }, { entries: [null, 1, { kind: 'nope' }] }, { entries: Array.from({ length: 10_000 }, () => ({})) }]) {
      const answer = await emitAck(raw, 'outbox:submit', batch);
      expect(answer.ok === false || (Array.isArray(answer.results) && answer.results.every((r: { ok: boolean }) => !r.ok))).toBe(true);
    }
    // No ack function at all: the server must not crash.
    raw.emit('presence:set', { presence: 'available' });
    raw.emit('call:accept');
    const good = await emitAck(raw, 'presence:set', { presence: 'available' });
    expect(good).toEqual({ ok: true, presence: 'available' });
    expect((await api(server, 'GET', '/api/health')).status).toBe(200);
    expect(await stored()).toEqual(before);
  });

  it('refuses accepting a call that is not reserved for the agent', async () => {
    const { socket } = await agent('grace');
    const answer = await emitAck(socket as unknown as Socket, 'call:accept', { callId: 'CALL-unknown' });
    expect(answer).toMatchObject({ ok: false, error: 'unknown_call' });
  });

  it('re-offers a call to the next agent when the reservation lapses', async () => {
    const first = await agent('ben');
    const second = await agent('tom');
    await emitAck(first.socket as unknown as Socket, 'presence:set', { presence: 'available' });
    await emitAck(second.socket as unknown as Socket, 'presence:set', { presence: 'available' });
    const created = await api(server, 'POST', '/api/calls', { callerNumber: '+12125550199', language: 'en' });
    const callId = String(created.body.callId);
    const offeredFirst = await waitFor(() => [first, second].find((a) => a.offers.some((o) => o.call.id === callId)));
    const other = offeredFirst === first ? second : first;
    // Nobody answers the first offer; after the 400 ms reservation the other agent gets it.
    const reOffer = await waitFor(() => other.offers.find((o) => o.call.id === callId), 3000);
    expect(reOffer.call.state).toBe('offered');
    const accepted = await emitAck(other.socket as unknown as Socket, 'call:accept', { callId });
    expect(accepted).toEqual({ ok: true, callId });
    await api(server, 'POST', `/api/calls/${callId}/end`, {});
  });

  it('applies a wrap-up exactly once, however often it is sent', async () => {
    const { socket, agentId } = await agent('lucia');
    const page = await server.store.snapshotPage(null, 5);
    await putCallsOnRecord(server.store, [{ callId: 'CALL-x', agentId, customerId: page.customers[0]!.id }]);
    const wrapUp = {
      id: randomUUID(), callId: 'CALL-x', customerId: page.customers[0]!.id, agentId, disposition: 'retained',
      offerId: null, offerOutcome: 'no_offer', notes: 'n', summary: 's', summaryAuthor: 'agent', createdAt: new Date().toISOString(),
    };
    const answers = await Promise.all(Array.from({ length: 5 }, () => emitAck(socket as unknown as Socket, 'wrapUp:submit', wrapUp)));
    expect(answers.every((a) => a.ok === true)).toBe(true);
    expect(answers.filter((a) => a.duplicate === false)).toHaveLength(1);
    const stored = (await server.store.recentOutcomes(100)).filter((o) => o.id === wrapUp.id);
    expect(stored).toHaveLength(1);
  });

  it('applies an outbox batch in order, rejecting a bad entry without sinking the rest', async () => {
    const { socket, agentId } = await agent('olga');
    const customerId = (await server.store.snapshotPage(null, 5)).customers[1]!.id;
    await putCallsOnRecord(server.store, [1, 2, 3, 9].map((n) => ({ callId: `CALL-b${n}`, agentId, customerId })));
    const wrapUp = (n: number) => ({
      id: randomUUID(), callId: `CALL-b${n}`, customerId, agentId, disposition: 'retained', offerId: null, offerOutcome: 'no_offer',
      notes: '', summary: '', summaryAuthor: 'agent', createdAt: new Date().toISOString(),
    });
    const good = [wrapUp(1), wrapUp(2), wrapUp(3)];
    const answer = await emitAck(socket as unknown as Socket, 'outbox:submit', {
      entries: [
        { kind: 'wrapup', payload: good[0] },
        { kind: 'wrapup', payload: { ...wrapUp(9), disposition: 'maybe' } },
        { kind: 'wrapup', payload: good[1] },
        { kind: 'wrapup', payload: good[0] },
        { kind: 'wrapup', payload: good[2] },
      ],
    });
    const results = answer.results as { id: string; status: string; message?: string }[];
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied', 'duplicate', 'applied']);
    expect(results[1]!.message).toContain('disposition');
    const stored = new Set((await server.store.recentOutcomes(1000)).map((o) => o.id));
    for (const w of good) expect(stored.has(w.id)).toBe(true);
    const malformed = await emitAck(socket as unknown as Socket, 'outbox:submit', { entries: [] });
    expect(malformed.ok).toBe(false);
  });

  it("refuses a wrap-up in another agent's name", async () => {
    const { socket } = await agent('mei');
    const page = await server.store.snapshotPage(null, 5);
    const answer = await emitAck(socket as unknown as Socket, 'wrapUp:submit', {
      id: randomUUID(), callId: 'CALL-y', customerId: page.customers[0]!.id, agentId: 'A001', disposition: 'retained',
      offerId: null, offerOutcome: 'no_offer', notes: '', summary: '', summaryAuthor: 'agent', createdAt: new Date().toISOString(),
    });
    expect(answer.ok).toBe(false);
  });
});

export type { AgentSocket };
