import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatHlc } from '@shared/sync/hlc';
import type { RunningServer } from '../../../src-server/routing-server';
import { startServer } from '../../support/stack';
import { connectAs, emitAck } from '../../support/socket-agent';

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
});
