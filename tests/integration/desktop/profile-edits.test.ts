import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOffer } from '@shared/contract/server-socket';
import type { CustomerProfile } from '@shared/domain/customer';
import { formatHlc } from '@shared/sync/hlc';
import { createDesktopBackend } from '../../../src-main/services/create-backend';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import { FileKeyProvider } from '../../../src-main/services/key-provider';
import type { RunningServer } from '../../../src-server/routing-server';
import { api, startServer } from '../../support/stack';
import { connectAs, emitAck } from '../../support/socket-agent';
import { TcpProxy } from '../../support/tcp-proxy';
import { makeTempDir } from '../../support/temp-dir';
import { pendingOutbox, until } from '../../support/desktops';

describe('profile edits end to end: per-field last writer wins on the hybrid logical clock', () => {
  let server: RunningServer;
  let removeServer: () => void;
  let proxy: TcpProxy;
  let viaProxy: string;
  let backend: DesktopBackend;
  let customers: CustomerProfile[];
  const dir = makeTempDir('profile-edits');

  const open = async (): Promise<DesktopBackend> => {
    const desk = createDesktopBackend({ serverUrl: viaProxy, dataDir: dir.path, keys: new FileKeyProvider(join(dir.path, 'cache.key')) });
    expect((await desk.invoke('session.login', { username: 'ava', password: 'demo' })).ok).toBe(true);
    await until(async () => {
      const status = await desk.invoke('status.get', {});
      return status.ok && status.value.sync.phase === 'ready' && status.value.connection === 'online';
    }, 60_000, 'the desktop to sync');
    return desk;
  };
  /** The profile the desktop shows for a customer: the pop, painted from its cache. */
  const onDesk = async (customerId: string): Promise<CustomerProfile | null> => {
    const offer: CallOffer = {
      call: { id: `CALL-${randomUUID()}`, callerNumber: '+10000000000', accountId: null, language: 'en', intent: 'general', customerId, state: 'offered', agentId: null, createdAt: new Date().toISOString(), answeredAt: null, endedAt: null, priority: 0 },
      reservationDeadline: Date.now() + 15_000,
      match: { method: 'phone', confidence: 0.9, candidates: [{ customerId, confidence: 0.9 }] },
    };
    backend.receiveOffer(offer);
    const current = await backend.invoke('call.current', {});
    return current.ok ? (current.value.current?.pop.customer as CustomerProfile | null) ?? null : null;
  };
  const onServer = async (customerId: string): Promise<CustomerProfile> => (await server.store.customerBundle(customerId))!.customer;
  const edit = async (customerId: string, field: 'email' | 'doNotCall', value: unknown): Promise<void> => {
    const result = await backend.invoke('customer.edit', { customerId, field, value });
    expect(result.ok).toBe(true);
  };

  beforeAll(async () => {
    ({ server, remove: removeServer } = await startServer({ demoCustomers: 30 }));
    proxy = new TcpProxy(server.port);
    viaProxy = await proxy.start();
    customers = (await server.store.snapshotPage(null, 30)).customers;
    backend = await open();
  });
  afterAll(async () => {
    await backend?.close();
    await proxy.stop();
    await server.close();
    removeServer();
    dir.remove();
  });

  it('an edit made offline reaches the server once, and a server edit of another field meanwhile survives on both sides', async () => {
    const target = customers.find((c) => !c.doNotCall)!;
    proxy.cut();
    await until(async () => {
      const status = await backend.invoke('status.get', {});
      return status.ok && status.value.connection !== 'online';
    }, 20_000, 'the desktop to go offline');
    await edit(target.id, 'doNotCall', true);
    expect(await pendingOutbox(backend)).toBe(1);
    const crm = await api(server, 'PATCH', `/api/customers/${target.id}`, { field: 'email', value: 'fixed-by-crm@example.com' });
    expect(crm.status).toBe(200);
    const seqBefore = await server.store.lastSeq();

    proxy.restore();
    await until(async () => (await pendingOutbox(backend)) === 0, 30_000, 'the edit to be sent');
    const stored = await onServer(target.id);
    expect({ email: stored.email, doNotCall: stored.doNotCall }).toEqual({ email: 'fixed-by-crm@example.com', doNotCall: true });
    // Applied once: one write of this customer to the book, however many times the outbox sent it
    // (the rescorer may add a scores change for the customer; that is not a profile write).
    const profileWrites = (await server.store.changesAfter(seqBefore, 1000)).changes.filter((c) => c.entity === 'customer' && c.data.id === target.id);
    expect(profileWrites).toHaveLength(1);
    await until(async () => {
      const local = await onDesk(target.id);
      return local?.email === 'fixed-by-crm@example.com' && local.doNotCall === true;
    }, 20_000, 'both edits to show on the desktop');
    expect((await onDesk(target.id))?.fieldClocks?.doNotCall).toBe(stored.fieldClocks?.doNotCall);
  });

  it('an edit made after seeing a server stamp from a clock running ahead still wins, also after a restart', async () => {
    const target = customers.find((c) => c.id !== customers[0]!.id && !c.doNotCall) ?? customers[1]!;
    // Another desk whose clock is four minutes fast (inside the 5 minutes the server allows) corrects the email; the server keeps its stamp.
    const fast = await connectAs(server, 'noa');
    const ahead = formatHlc({ wallMs: Date.now() + 4 * 60_000, counter: 0, node: 'noa-fast' });
    const answer = await emitAck(fast.socket, 'profile:edit', { id: randomUUID(), customerId: target.id, field: 'email', value: 'from-fast-desk@example.com', hlc: ahead, author: fast.agentId });
    fast.socket.disconnect();
    expect(answer.ok).toBe(true);
    await until(async () => (await onDesk(target.id))?.email === 'from-fast-desk@example.com', 20_000, 'the fast desk’s edit to reach this desktop');

    // This agent saw it and corrects it again: later in causal order, so it must win.
    await edit(target.id, 'email', 'corrected-after@example.com');
    await until(async () => (await pendingOutbox(backend)) === 0, 20_000, 'the edit to be sent');
    expect((await onServer(target.id)).email).toBe('corrected-after@example.com');
    expect(String((await onServer(target.id)).fieldClocks?.email) > ahead).toBe(true);

    // A restart starts a new clock from the wall time, minutes behind: it must not stamp backwards.
    await backend.close();
    backend = await open();
    await edit(target.id, 'email', 'after-restart@example.com');
    await until(async () => (await pendingOutbox(backend)) === 0, 20_000, 'the edit to be sent');
    expect((await onServer(target.id)).email).toBe('after-restart@example.com');
    expect((await onDesk(target.id))?.email).toBe('after-restart@example.com');
  });
});
