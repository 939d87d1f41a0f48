import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '@shared/domain/customer';
import type { RunningServer } from '../../../src-server/routing-server';
import { DESKTOP_ROOM } from '../../../src-server/realtime/socket-gateway';
import { api, startServer } from '../../support/stack';
import { startDesktops, syntheticOffer, until } from '../../support/desktops';

/**
 * Changes reach connected desktops inside the server's message, with no pull;
 * a desktop that cannot continue from a message pulls instead.
 */
describe('the change feed pushed to connected desktops', () => {
  let server: RunningServer;
  let remove = (): void => undefined;
  let desktops: Awaited<ReturnType<typeof startDesktops>>;
  let customers: CustomerProfile[];
  const pulls: string[] = [];

  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 20 }));
    desktops = await startDesktops(server.url, ['ava', 'noa']);
    customers = (await server.store.snapshotPage(null, 20)).customers;
    // Count every pull the desktops make from now on.
    for (const socket of server.io.of('/').sockets.values()) {
      socket.onAny((event: string) => {
        if (event === 'feed:pull') pulls.push(socket.data.agent.username);
      });
    }
  }, 120_000);

  afterAll(async () => {
    await desktops?.close();
    await server?.close();
    remove();
  });

  /** The email a pop for this customer shows on desktop n: what its cache holds. */
  let calls = 0;
  const emailOnDesktop = async (n: number, customerId: string): Promise<string | null> => {
    const backend = desktops.backends[n]!;
    backend.receiveOffer(syntheticOffer(customerId, `CALL-push-${(calls += 1)}`));
    const current = await backend.invoke('call.current', {});
    return current.ok ? current.value.current?.pop.customer?.email ?? null : null;
  };

  it('applies a server-side edit on every desktop from the message alone', async () => {
    const target = customers[3]!;
    const edit = await api(server, 'PATCH', `/api/customers/${target.id}`, { field: 'email', value: 'pushed@example.com' });
    expect(edit.status).toBe(200);
    for (const n of [0, 1]) await until(async () => (await emailOnDesktop(n, target.id)) === 'pushed@example.com', 10_000, `desktop ${n} to apply the edit`);
    expect(pulls).toEqual([]);
  });

  it('pulls instead when a message does not follow on from what the desktop holds, and ends up with the change', async () => {
    const target = customers[4]!;
    const before = await server.store.lastSeq();
    const edit = await api(server, 'PATCH', `/api/customers/${target.id}`, { field: 'email', value: 'missed@example.com' });
    expect(edit.status).toBe(200);
    // A message claiming to continue from a position past the desktops' own, as if they had missed one.
    const lastSeq = await server.store.lastSeq();
    server.io.to(DESKTOP_ROOM).emit('feed:changed', { lastSeq: lastSeq + 5, afterSeq: lastSeq + 1, changes: [] });
    for (const n of [0, 1]) await until(async () => (await emailOnDesktop(n, target.id)) === 'missed@example.com', 10_000, `desktop ${n} to have the edit`);
    expect(before).toBeLessThan(lastSeq);
    await until(() => pulls.length >= 2, 10_000, 'both desktops to pull');
    expect(new Set(pulls)).toEqual(new Set(['ava', 'noa']));
  });

  it('pulls when the message is malformed, and does not apply what it carried', async () => {
    pulls.length = 0;
    const target = customers[5]!;
    const lastSeq = await server.store.lastSeq();
    server.io.to(DESKTOP_ROOM).emit('feed:changed', { lastSeq: lastSeq + 1, afterSeq: 0, changes: [{ seq: lastSeq + 1, entity: 'customer', data: { ...target, email: 42 } }] } as never);
    await until(() => pulls.length >= 2, 10_000, 'both desktops to pull');
    expect(await emailOnDesktop(0, target.id)).toBe(target.email);
  });
});
