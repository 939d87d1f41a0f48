import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChurnModel } from '@shared/churn';
import type { CallOffer } from '@shared/contract/server-socket';
import type { PopView } from '@shared/contract/pop';
import { createDesktopBackend } from '../../../src-main/services/create-backend';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import { FileKeyProvider } from '../../../src-main/services/key-provider';
import { DESKTOP_ROOM } from '../../../src-server/realtime/socket-gateway';
import type { RunningServer } from '../../../src-server/routing-server';
import { startServer } from '../../support/stack';
import { makeTempDir } from '../../support/temp-dir';
import { signInAndSync, until } from '../../support/desktops';
import { smallCustomerModel } from '../../unit/churn/helpers';
import { putCallsOnRecord } from '../../support/calls-on-record';

/**
 * A real server publishes model files through its change feed to a real
 * desktop backend: a valid file is taken, a malformed one is refused with the
 * previous model kept in use and the refusal shown where sync problems show.
 * A wrap-up rescores its customer on the server and the desktop gets the score.
 */
describe('model files and rescored customers reach the desktop through the change feed', () => {
  let server: RunningServer;
  let removeServer: () => void;
  let backend: DesktopBackend;
  const dir = makeTempDir('desktop-models');
  let calls = 0;

  beforeAll(async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    ({ server, remove: removeServer } = await startServer({ demoCustomers: 120 }));
    backend = createDesktopBackend({ serverUrl: server.url, dataDir: dir.path, keys: new FileKeyProvider(join(dir.path, 'cache.key')) });
    await signInAndSync(backend, 'mei', 30_000);
  });
  afterAll(async () => {
    await backend?.close();
    await server?.close();
    removeServer?.();
    dir.remove();
    vi.restoreAllMocks();
  });

  async function publish(kind: string, model: unknown): Promise<void> {
    await server.store.putModel(kind, model);
    server.io.to(DESKTOP_ROOM).emit('feed:changed', { lastSeq: await server.store.lastSeq() });
  }

  async function pop(customerId: string): Promise<PopView> {
    const offer: CallOffer = {
      call: { id: `CALL-models-${++calls}`, callerNumber: '+10000000000', accountId: null, language: 'en', intent: 'general', customerId, state: 'offered', agentId: null, createdAt: new Date().toISOString(), answeredAt: null, endedAt: null, priority: 0 },
      reservationDeadline: Date.now() + 15_000,
      match: { method: 'phone', confidence: 0.9, candidates: [{ customerId, confidence: 0.9 }] },
    };
    backend.receiveOffer(offer);
    const current = await backend.invoke('call.current', {});
    if (!current.ok || !current.value.current) throw new Error('no pop');
    return current.value.current.pop;
  }

  it('takes a valid churn model, then refuses a malformed one and keeps the first in use', async () => {
    const customerId = (await server.store.snapshotPage(null, 1)).customers[0]!.id;
    const good = smallCustomerModel();
    await publish('churn', good);
    await until(async () => (await pop(customerId)).models?.churn === good.modelVersion, 10_000, 'the valid model to be taken');

    const broken = JSON.parse(JSON.stringify(good)) as ChurnModel;
    broken.modelVersion = 'churn-damaged';
    broken.gbdt.trees[0]!.nodes = [{ feature: 0, threshold: 1, missingLeft: true, left: 5, right: 6, cover: 1, gain: 1 }];
    await publish('churn', broken);
    let message: string | null = null;
    await until(async () => {
      const status = await backend.invoke('status.get', {});
      message = status.ok ? status.value.sync.message : null;
      return message !== null;
    }, 10_000, 'the refusal to show in the status');
    expect(message).toMatch(new RegExp(`churn model from the server was refused \\(invalid model file: gbdt\\.trees\\[0\\]\\.nodes\\[0\\]: child links.*\\); model ${good.modelVersion} stays in use`));
    expect((await pop(customerId)).models?.churn).toBe(good.modelVersion);

    // Not JSON at all: refused the same way; the sync goes on.
    await publish('churn', '{"schemaVersion": 1, "trees": [');
    await until(async () => {
      const status = await backend.invoke('status.get', {});
      return status.ok && /not valid JSON/.test(status.value.sync.message ?? '');
    }, 10_000, 'the second refusal');
    expect((await pop(customerId)).models?.churn).toBe(good.modelVersion);

    // The next valid file clears the problem.
    await publish('churn', { ...good, createdAt: '2026-11-21T00:00:00.000Z' });
    await until(async () => {
      const status = await backend.invoke('status.get', {});
      return status.ok && status.value.sync.message === null;
    }, 10_000, 'the problem to clear');
  });

  it('rescores a customer on the server after a wrap-up and the desktop shows the new score and trend', async () => {
    const agent = (await server.store.agentByUsername('mei'))!.agent;
    const customerId = (await server.store.snapshotPage(null, 5)).customers[4]!.id;
    const before = (await server.store.customerBundle(customerId))!.scores!;
    const at = new Date().toISOString();
    const callId = `CALL-wrap-${randomUUID()}`;
    await putCallsOnRecord(server.store, [{ callId, agentId: agent.id, customerId }]);
    await server.routing.applyWrapUps(agent, [{
      id: randomUUID(), callId, customerId, agentId: agent.id, disposition: 'churned', offerId: null, offerOutcome: 'no_offer',
      notes: '', summary: 'Wants to leave', summaryAuthor: 'agent', createdAt: at,
    }]);
    await until(async () => (await server.store.customerBundle(customerId))!.scores!.scoredAt !== before.scoredAt, 10_000, 'the server to rescore');
    const after = (await server.store.customerBundle(customerId))!.scores!;
    expect(after.churnAtLastContact).toMatchObject({ probability: before.churnProbability, replayed: false });
    await until(async () => {
      const risk = (await pop(customerId)).risk;
      return risk?.probability === after.churnProbability && risk.atLastContact?.probability === before.churnProbability;
    }, 10_000, 'the desktop to get the rescored customer');
  });
});
