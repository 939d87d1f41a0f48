import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatHlc } from '@shared/sync/hlc';
import type { RunningServer } from '../../../src-server/routing-server';
import { api, startServer } from '../../support/stack';
import { connectAs, emitAck, waitFor } from '../../support/socket-agent';

/** What a desktop sends is checked against what the server knows: clock stamps, calls, customers. */
describe('trust in what desktops send', () => {
  let server: RunningServer;
  let remove: () => void;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 60, reservationTimeoutMs: 5000 }));
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await server.close();
    remove();
  });

  async function agent(username: string): Promise<Awaited<ReturnType<typeof connectAs>> & { raw: Socket }> {
    const connected = await connectAs(server, username);
    const raw = connected.socket as unknown as Socket;
    sockets.push(raw);
    return { ...connected, raw };
  }

  it('refuses a clock stamp from next year, and the stored value stays as it was', async () => {
    const { raw, agentId } = await agent('ava');
    const customer = (await server.store.snapshotPage(null, 3)).customers[2]!;
    const nextYear = Date.now() + 365 * 24 * 3600_000;
    const edit = (hlc: string, email: string) => ({ id: randomUUID(), customerId: customer.id, field: 'email', value: email, hlc, author: agentId });
    const before = await server.store.customerBundle(customer.id);
    const seqBefore = await server.store.lastSeq();

    const future = edit(formatHlc({ wallMs: nextYear, counter: 0, node: 'desk1' }), 'future@example.com');
    const answer = await emitAck(raw, 'outbox:submit', { entries: [{ kind: 'profile_edit', payload: future }] });
    expect(answer.ok).toBe(true);
    expect(answer.results).toEqual([{ id: future.id, status: 'rejected', reason: 'clock_ahead', message: expect.stringContaining('ahead of the server') as unknown }]);
    const direct = await emitAck(raw, 'profile:edit', edit(formatHlc({ wallMs: nextYear, counter: 1, node: 'desk1' }), 'future2@example.com'));
    expect(direct).toMatchObject({ ok: false, error: 'clock_ahead' });
    expect(await server.store.customerBundle(customer.id)).toEqual(before);
    expect(await server.store.lastSeq()).toBe(seqBefore);

    // A stamp within the drift (a desktop a minute fast) is fine, and a later edit made now still applies over it.
    const fast = edit(formatHlc({ wallMs: Date.now() + 60_000, counter: 0, node: 'desk1' }), 'fast@example.com');
    const applied = await emitAck(raw, 'outbox:submit', { entries: [{ kind: 'profile_edit', payload: fast }] });
    expect(applied.results).toEqual([{ id: fast.id, status: 'applied' }]);
    expect((await server.store.customerBundle(customer.id))?.customer.email).toBe('fast@example.com');
  });

  const wrapUpOf = (agentId: string, callId: string, customerId: string) => ({
    id: randomUUID(), callId, customerId, agentId, disposition: 'retained', offerId: null, offerOutcome: 'no_offer',
    notes: 'n', summary: 's', summaryAuthor: 'agent', createdAt: new Date().toISOString(),
  });

  /** A call from a known customer, offered to and answered by `desk`, then hung up: in wrap-up with that agent. */
  async function answeredCall(desk: Awaited<ReturnType<typeof agent>>, callerNumber: string): Promise<{ callId: string; customerId: string | null }> {
    expect((await emitAck(desk.raw, 'presence:set', { presence: 'available' })).ok).toBe(true);
    const created = await api(server, 'POST', '/api/calls', { callerNumber, language: 'en' });
    expect(created.status).toBe(201);
    const callId = String(created.body.callId);
    await waitFor(() => desk.offers.find((o) => o.call.id === callId));
    expect(await emitAck(desk.raw, 'call:accept', { callId })).toMatchObject({ ok: true });
    expect(await emitAck(desk.raw, 'call:hangUp', { callId })).toMatchObject({ ok: true });
    return { callId, customerId: (created.body.customerId as string | null) ?? null };
  }

  async function storedState(): Promise<{ outcomes: unknown; seq: number }> {
    return { outcomes: await server.store.recentOutcomes(1000), seq: await server.store.lastSeq() };
  }

  /**
   * No outcome and no feed change came of what was refused. Scores are left out:
   * the rescorer follows the feed on its own clock and may still be rescoring
   * an earlier test's edit, which is not something the refused wrap-up stored.
   */
  async function expectNothingStoredSince(before: { outcomes: unknown; seq: number }): Promise<void> {
    expect(await server.store.recentOutcomes(1000)).toEqual(before.outcomes);
    const added = (await server.store.changesAfter(before.seq, 1000)).changes.filter((change) => change.entity !== 'scores');
    expect(added).toEqual([]);
  }

  it("rejects a wrap-up for another agent's call, and for a call that never was, storing nothing", async () => {
    const ben = await agent('ben');
    const tom = await agent('tom');
    const caller = (await server.store.snapshotPage(null, 10)).customers.find((c) => c.phones.length > 0)!;
    const { callId, customerId } = await answeredCall(ben, caller.phones[0]!);
    expect(customerId).toBe(caller.id);
    const before = await storedState();

    const theirs = wrapUpOf(tom.agentId, callId, caller.id);
    const never = wrapUpOf(tom.agentId, 'CALL-never-was', caller.id);
    const answer = await emitAck(tom.raw, 'outbox:submit', { entries: [{ kind: 'wrapup', payload: theirs }, { kind: 'wrapup', payload: never }] });
    expect(answer.results).toEqual([
      { id: theirs.id, status: 'rejected', reason: 'not_your_call', message: expect.stringContaining('your own call') as unknown },
      { id: never.id, status: 'rejected', reason: 'unknown_call', message: expect.any(String) as unknown },
    ]);
    expect(await emitAck(tom.raw, 'wrapUp:submit', wrapUpOf(tom.agentId, callId, caller.id))).toMatchObject({ ok: false, error: 'not_your_call' });
    await expectNothingStoredSince(before);
    // The call is still Ben's to wrap up.
    expect(server.routing.router.call(callId)?.state).toBe('wrap_up');
    const own = wrapUpOf(ben.agentId, callId, caller.id);
    expect((await emitAck(ben.raw, 'outbox:submit', { entries: [{ kind: 'wrapup', payload: own }] })).results).toEqual([{ id: own.id, status: 'applied' }]);
  });

  it("records a wrap-up against its call's customer, not the customer id in the payload", async () => {
    const ben = await agent('ben');
    const customers = (await server.store.snapshotPage(null, 20)).customers.filter((c) => c.phones.length > 0);
    const caller = customers[3]!;
    const someoneElse = customers[4]!;
    const { callId } = await answeredCall(ben, caller.phones[0]!);
    const wrapUp = wrapUpOf(ben.agentId, callId, someoneElse.id);
    expect((await emitAck(ben.raw, 'outbox:submit', { entries: [{ kind: 'wrapup', payload: wrapUp }] })).results).toEqual([{ id: wrapUp.id, status: 'applied' }]);
    const stored = (await server.store.recentOutcomes(1000)).find((o) => o.id === wrapUp.id);
    expect(stored?.customerId).toBe(caller.id);
    expect((await server.store.customerBundle(someoneElse.id))?.interactions.some((i) => i.id === `I-${wrapUp.id}`)).toBe(false);
    expect((await server.store.customerBundle(caller.id))?.interactions.some((i) => i.id === `I-${wrapUp.id}`)).toBe(true);
  });

  it('takes the customer of an unidentified call only from its candidates', async () => {
    const ben = await agent('ben');
    const anyone = (await server.store.snapshotPage(null, 5)).customers[0]!;
    const { callId, customerId } = await answeredCall(ben, '+19995550100');
    expect(customerId).toBeNull();
    const before = await storedState();
    const wrapUp = wrapUpOf(ben.agentId, callId, anyone.id);
    expect((await emitAck(ben.raw, 'outbox:submit', { entries: [{ kind: 'wrapup', payload: wrapUp }] })).results)
      .toEqual([{ id: wrapUp.id, status: 'rejected', reason: 'not_a_candidate', message: expect.any(String) as unknown }]);
    await expectNothingStoredSince(before);
    await api(server, 'POST', `/api/calls/${callId}/end`, {});
  });
});
