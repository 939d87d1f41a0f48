import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src-server/routing-server';
import { api, login, startServer } from '../../support/stack';
import { connectAs, emitAck, waitFor } from '../../support/socket-agent';

/** With agentCustomerScope 'languages' the server, not the desktop, keeps an agent to its languages' customers. */
describe("an agent's share of the customer book", () => {
  let server: RunningServer;
  let remove: () => void;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 120, agentCustomerScope: 'languages', reservationTimeoutMs: 5000 }));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await server.close();
    remove();
  });

  async function snapshotAs(token: string): Promise<{ ids: string[]; total: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let total: number;
    do {
      const page = await api(server, 'GET', `/api/sync/snapshot?limit=50${cursor ? `&cursor=${cursor}` : ''}`, undefined, token);
      expect(page.status).toBe(200);
      ids.push(...(page.body.customers as Array<{ id: string }>).map((c) => c.id));
      total = Number(page.body.totalCustomers);
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    return { ids, total };
  }

  it("sends an agent only its languages' customers in snapshot pages and the feed; a supervisor the whole book", async () => {
    const everyone = (await server.store.snapshotPage(null, 10_000)).customers;
    const english = everyone.filter((c) => c.language === 'en').map((c) => c.id);
    expect(english.length).toBeGreaterThan(0);
    expect(english.length).toBeLessThan(everyone.length);

    const ben = await login(server, 'ben'); // English only
    expect(await snapshotAs(ben.token)).toEqual({ ids: english, total: english.length });
    const rachel = await login(server, 'rachel');
    expect((await snapshotAs(rachel.token)).total).toBe(everyone.length);

    const desk = await connectAs(server, 'ben');
    sockets.push(desk.socket as unknown as Socket);
    const inFeed = new Set<string>();
    for (let after = 0; ;) {
      const pulled = await emitAck(desk.socket as unknown as Socket, 'feed:pull', { afterSeq: after, limit: 5000 });
      expect(pulled.ok).toBe(true);
      const changes = pulled.changes as Array<{ entity: string; data: { id?: string; customerId?: string } }>;
      for (const c of changes) {
        if (c.entity === 'customer') inFeed.add(c.data.id!);
        else if (c.entity === 'scores' || c.entity === 'interaction') inFeed.add(c.data.customerId!);
      }
      if (changes.length < 5000) break;
      after = Number(pulled.lastSeq);
    }
    expect(inFeed.size).toBeGreaterThan(0);
    for (const id of inFeed) expect(english).toContain(id);
  });

  it('answers a read of a customer outside the scope as not found, unless that customer is calling the agent', async () => {
    const everyone = (await server.store.snapshotPage(null, 10_000)).customers;
    const outside = everyone.find((c) => c.language !== 'en' && c.phones.length > 0)!;
    const inside = everyone.find((c) => c.language === 'en')!;
    const ben = await connectAs(server, 'ben');
    sockets.push(ben.socket as unknown as Socket);
    expect((await api(server, 'GET', `/api/customers/${inside.id}`, undefined, ben.token)).status).toBe(200);
    expect((await api(server, 'GET', `/api/customers/${outside.id}`, undefined, ben.token))).toMatchObject({ status: 404, body: { error: 'not_found' } });

    // The caller speaks English on the phone, though their profile says otherwise: offered to Ben, who may read them now.
    expect((await emitAck(ben.socket as unknown as Socket, 'presence:set', { presence: 'available' })).ok).toBe(true);
    const created = await api(server, 'POST', '/api/calls', { callerNumber: outside.phones[0], language: 'en' });
    expect(created.body.customerId).toBe(outside.id);
    await waitFor(() => ben.offers.find((o) => o.call.id === created.body.callId));
    expect((await api(server, 'GET', `/api/customers/${outside.id}`, undefined, ben.token)).status).toBe(200);
    // Someone else (not on that call) still may not.
    const tom = await login(server, 'tom');
    expect((await api(server, 'GET', `/api/customers/${outside.id}`, undefined, tom.token)).status).toBe(404);
    await api(server, 'POST', `/api/calls/${String(created.body.callId)}/abandon`, {});
  });

  it("keeps identity lookups to the agent's scope too", async () => {
    const everyone = (await server.store.snapshotPage(null, 10_000)).customers;
    const outside = everyone.find((c) => c.language !== 'en')!;
    const inside = everyone.find((c) => c.language === 'en')!;
    const ben = await login(server, 'ben');
    const rachel = await login(server, 'rachel');
    const find = async (token: string, q: string) => ((await api(server, 'GET', `/api/identity/find?q=${encodeURIComponent(q)}`, undefined, token)).body.candidates as Array<{ customerId: string }>).map((c) => c.customerId);
    expect(await find(ben.token, inside.id)).toEqual([inside.id]);
    expect(await find(ben.token, outside.id)).toEqual([]);
    expect(await find(rachel.token, outside.id)).toEqual([outside.id]);
    expect((await api(server, 'GET', `/api/identity/customers/${outside.id}/records`, undefined, ben.token)).status).toBe(404);
    expect((await api(server, 'GET', `/api/identity/customers/${outside.id}/records`, undefined, rachel.token)).status).toBe(200);
  });
});

