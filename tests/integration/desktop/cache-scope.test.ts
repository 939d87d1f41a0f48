import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOffer } from '@shared/contract/server-socket';
import { createDesktopBackend } from '../../../src-main/services/create-backend';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import { FileKeyProvider } from '../../../src-main/services/key-provider';
import type { RunningServer } from '../../../src-server/routing-server';
import { startServer } from '../../support/stack';
import { makeTempDir } from '../../support/temp-dir';
import { signInAndSync, until } from '../../support/desktops';

describe("a desktop that caches only its queues' customers", () => {
  let server: RunningServer;
  let removeServer: () => void;
  let backend: DesktopBackend;
  const dir = makeTempDir('scope');

  beforeAll(async () => {
    ({ server, remove: removeServer } = await startServer({ demoCustomers: 120 }));
    backend = createDesktopBackend({ serverUrl: server.url, dataDir: dir.path, keys: new FileKeyProvider(join(dir.path, 'cache.key')), cacheScope: 'queues' });
    await signInAndSync(backend, 'mei', 30_000);
  });
  afterAll(async () => {
    await backend.close();
    await server.close();
    removeServer();
    dir.remove();
  });

  function offer(customerId: string): CallOffer {
    return {
      call: { id: `CALL-${customerId}`, callerNumber: '+10000000000', accountId: null, language: 'en', intent: 'general', customerId, state: 'offered', agentId: null, createdAt: new Date().toISOString(), answeredAt: null, endedAt: null, priority: 0 },
      reservationDeadline: Date.now() + 15_000,
      match: { method: 'phone', confidence: 0.9, candidates: [{ customerId, confidence: 0.9 }] },
    };
  }

  it('keeps customers who speak the agent’s languages and fetches anyone else when they call', async () => {
    const customers = (await server.store.snapshotPage(null, 120)).customers;
    const inScope = customers.find((c) => c.language === 'zh' || c.language === 'en')!;
    const outOfScope = customers.find((c) => c.language === 'he' || c.language === 'ru')!;
    backend.receiveOffer(offer(inScope.id));
    const local = await backend.invoke('call.current', {});
    // Painted at once from the cache.
    expect(local.ok && local.value.current?.pop.customer?.id).toBe(inScope.id);

    backend.receiveOffer(offer(outOfScope.id));
    const first = await backend.invoke('call.current', {});
    expect(first.ok && first.value.current?.pop.customer).toBeNull();
    // …then filled in from the server.
    await until(async () => {
      const current = await backend.invoke('call.current', {});
      return current.ok && current.value.current?.pop.customer?.id === outOfScope.id;
    }, 10_000, 'the out-of-scope caller to be fetched');
  });
});
