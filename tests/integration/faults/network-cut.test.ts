import { afterAll, describe, expect, it } from 'vitest';
import type { CallOffer } from '@shared/contract/server-socket';
import type { RunningServer } from '../../../src-server/routing-server';
import { api, startServer } from '../../support/stack';
import { TcpProxy } from '../../support/tcp-proxy';
import { pendingOutbox, startDesktops, until } from '../../support/desktops';

const CUT_MS = Number(process.env.HOLDFAST_FAULT_CUT_MS ?? 30_000);

function offerFor(customerId: string, callId: string): CallOffer {
  return {
    call: { id: callId, callerNumber: '+10000000000', accountId: null, language: 'en', intent: 'cancellation', customerId, state: 'offered', agentId: null, createdAt: new Date().toISOString(), answeredAt: null, endedAt: null, priority: 0 },
    reservationDeadline: Date.now() + 15_000,
    match: { method: 'phone', confidence: 0.9, candidates: [{ customerId, confidence: 0.9 }] },
  };
}

describe(`fault: the network is cut for ${CUT_MS / 1000} s while calls and wrap-ups continue`, () => {
  let server: RunningServer;
  let removeServer = (): void => undefined;
  const proxy = { current: null as TcpProxy | null };
  let closeDesktops: (() => Promise<void>) | null = null;

  afterAll(async () => {
    await closeDesktops?.();
    await proxy.current?.stop();
    await server?.close();
    removeServer();
  });

  it('queues wrap-ups and delivers them, and server-side profile changes reach the desktops, once the network is back', async () => {
    ({ server, remove: removeServer } = await startServer({ demoCustomers: 40 }));
    proxy.current = new TcpProxy(server.port);
    const viaProxy = await proxy.current.start();
    const desktops = await startDesktops(viaProxy, ['ava', 'noa', 'dmitri']);
    closeDesktops = desktops.close;
    const customers = (await server.store.snapshotPage(null, 40)).customers;
    const target = customers[0]!;
    const callers = customers.filter((c) => c.phones.length > 0);

    proxy.current.cut();
    await until(async () => {
      const statuses = await Promise.all(desktops.backends.map((b) => b.invoke('status.get', {})));
      return statuses.every((s) => s.ok && s.value.connection !== 'online');
    }, 20_000, 'desktops to notice the cut');

    const saved: string[] = [];
    const started = Date.now();
    let tick = 0;
    const callsPosted: string[] = [];
    while (Date.now() - started < CUT_MS) {
      for (const [n, backend] of desktops.backends.entries()) {
        const result = await backend.invoke('wrapup.save', {
          callId: `CALL-cut-${n}-${tick}`, customerId: customers[tick % customers.length]!.id, disposition: 'undecided',
          offerId: null, offerOutcome: 'no_offer', notes: 'during the cut', summary: '',
        });
        expect(result.ok).toBe(true);
        if (result.ok) saved.push(result.value.id);
      }
      if (tick % 5 === 0) {
        const caller = callers[tick % callers.length]!;
        const call = await api(server, 'POST', '/api/calls', { callerNumber: caller.phones[0], language: 'en' });
        expect(call.status).toBe(201);
        callsPosted.push(String(call.body.callId));
      }
      if (tick === 3) {
        // The CRM corrects an email on the server side while the desktops cannot hear it.
        const edit = await api(server, 'PATCH', `/api/customers/${target.id}`, { field: 'email', value: 'corrected@example.com' });
        expect(edit.status).toBe(200);
      }
      tick += 1;
      await new Promise((r) => setTimeout(r, 1000));
    }
    // Pops keep working from the cache while offline.
    desktops.backends[0]!.receiveOffer(offerFor(customers[1]!.id, 'CALL-offline-pop'));
    const offlinePop = await desktops.backends[0]!.invoke('call.current', {});
    expect(offlinePop.ok && offlinePop.value?.pop.customer?.id).toBe(customers[1]!.id);
    expect(await pendingOutbox(desktops.backends[0]!)).toBeGreaterThan(0);

    proxy.current.restore();
    await until(async () => (await Promise.all(desktops.backends.map(pendingOutbox))).every((n) => n === 0), 60_000, 'outboxes to drain');

    const outcomes = (await server.store.recentOutcomes(100_000)).map((o) => o.id);
    const onServer = new Set(outcomes);
    expect({ lost: saved.filter((id) => !onServer.has(id)).length, duplicated: outcomes.length - onServer.size }).toEqual({ lost: 0, duplicated: 0 });

    for (const backend of desktops.backends) {
      await until(async () => {
        backend.receiveOffer(offerFor(target.id, `CALL-check-${Math.random()}`));
        const current = await backend.invoke('call.current', {});
        return current.ok && current.value?.pop.customer?.email === 'corrected@example.com';
      }, 20_000, 'the server-side correction to reach every desktop');
    }
    // Calls that arrived during the cut are still waiting, not lost.
    const state = await server.routing.supervisorState();
    for (const callId of callsPosted) expect(state.queue.some((c) => c.id === callId)).toBe(true);
  });
});
