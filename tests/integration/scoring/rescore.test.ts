import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '@shared/contract/sync';
import type { CustomerScores } from '@shared/domain/customer';
import type { Interaction } from '@shared/domain/interaction';
import { Rescorer, RESCORE_STATE_DOCUMENT } from '../../../src-server/scoring/rescorer';
import { scoreBook } from '../../../src-server/scoring/score-book';
import { openServerStore } from '../../../src-server/store/open-store';
import type { ServerStore } from '../../../src-server/store/server-store';
import { makeTempDir } from '../../support/temp-dir';
import { DEMO_AS_OF, DEMO_SCORED_AT, demoCustomers, storeDemoCustomers, type DemoCustomer } from './demo-book';

const LATER = '2026-11-22T09:00:00.000Z';
const EVEN_LATER = '2026-11-23T09:00:00.000Z';

async function scoreChanges(store: ServerStore, afterSeq: number): Promise<CustomerScores[]> {
  const page = await store.changesAfter(afterSeq, 10_000);
  return page.changes.filter((c): c is Extract<Change, { entity: 'scores' }> => c.entity === 'scores').map((c) => c.data);
}

function complaint(customerId: string, id: string, at: string): Interaction {
  return {
    id, customerId, channel: 'call', direction: 'inbound', occurredAt: at, agentId: 'A-1', topic: 'complaint', sentiment: -0.9,
    summary: 'Retention wrap-up: not_retained', ticketStatus: 'open', offer: null, promise: null,
  };
}

describe('rescoring customers whose data changed, from the change feed', () => {
  const dir = makeTempDir('rescore');
  let store: ServerStore;
  let book: DemoCustomer[];
  let now = LATER;
  let moved: number[] = [];
  let rescorer: Rescorer;

  beforeAll(async () => {
    store = await openServerStore({ kind: 'sqlite', file: `${dir.path}/routing.db` });
    book = demoCustomers(1500, (i) => i % 4 !== 0);
    await storeDemoCustomers(store, book);
    await scoreBook(store, { asOf: DEMO_AS_OF, scoredAt: DEMO_SCORED_AT, seed: 3 });
    rescorer = new Rescorer(store, { intervalMs: 0, now: () => new Date(now), feedMoved: (seq) => moved.push(seq) });
    await rescorer.start();
  });
  afterAll(async () => {
    await rescorer?.stop();
    await store?.close();
    dir.remove();
  });

  it('leaves the book alone when nothing changed (its own score writes are not followed)', async () => {
    expect(await rescorer.runOnce()).toBe(0);
    expect(moved).toEqual([]);
  });

  it('rescores a customer after a wrap-up with the current model, anchoring the trend at the score the agent saw', async () => {
    const id = book[7]!.bundle.customer.id;
    const before = (await store.customerBundle(id))!.scores!;
    expect(before.churnModel).not.toMatch(/^heuristic/);
    const seq = await store.lastSeq();
    await store.appendInteraction(complaint(id, 'INT-rescore-1', '2026-11-22T08:00:00.000Z'));
    expect(await rescorer.runOnce()).toBe(1);

    const [published] = await scoreChanges(store, seq);
    const after = (await store.customerBundle(id))!.scores!;
    expect(published).toEqual(after);
    expect(moved).toEqual([await store.lastSeq()]);
    expect(after.scoredAt).toBe(LATER);
    expect(after.churnModel).toBe(before.churnModel);
    expect(after.valueModel).toBe(before.valueModel);
    // A fresh complaint with angry sentiment and an open ticket can only push the risk up.
    expect(after.churnProbability).toBeGreaterThan(before.churnProbability);
    expect(after.churnAtLastContact).toEqual({ probability: before.churnProbability, at: '2026-11-22T08:00:00.000Z', churnModel: before.churnModel, replayed: false });
    expect(after.previousChurn).toEqual({ probability: before.churnProbability, at: before.scoredAt, churnModel: before.churnModel });
    // RFM is a rank within the book: kept as the last train gave it.
    expect(after.rfm).toEqual(before.rfm);
    expect(after.rfmSegment).toBe(before.rfmSegment);
    expect(after.lifecycleStage).toBeDefined();

    // Rescored again with no new contact (a profile change): the trend keeps the same anchor.
    now = EVEN_LATER;
    const customer = (await store.customerBundle(id))!.customer;
    await store.upsertCustomers([{ customer: { ...customer, familyName: `${customer.familyName}-Smith` }, scores: after, interactions: [] }]);
    expect(await rescorer.runOnce()).toBe(1);
    const again = (await store.customerBundle(id))!.scores!;
    expect(again.scoredAt).toBe(EVEN_LATER);
    expect(again.churnAtLastContact).toEqual(after.churnAtLastContact);
    expect(again.previousChurn?.at).toBe(LATER);
  });

  it('scores a customer identity ingest created without scores, with the stored models', async () => {
    const fresh = demoCustomers(1, () => false, 99, 5000)[0]!;
    const id = fresh.bundle.customer.id;
    await store.upsertCustomers([{ ...fresh.bundle, scores: null }]);
    expect((await store.customerBundle(id))!.scores).toBeNull();
    moved = [];
    expect(await rescorer.runOnce()).toBe(1);
    const scores = (await store.customerBundle(id))!.scores!;
    const model = (await store.model('churn')) as { modelVersion: string };
    const valueModel = (await store.model('value')) as { modelVersion: string };
    expect(scores.churnModel).toBe(model.modelVersion);
    expect(scores.valueModel).toBe(valueModel.modelVersion);
    expect(scores.clv).toBeGreaterThanOrEqual(0);
    expect(scores.valueAtRisk).toBeCloseTo(scores.churnProbability * scores.clv, 0);
    expect(scores.previousChurn).toBeUndefined();
    expect(moved).toHaveLength(1);
  });

  it('keeps its place in the feed across restarts', async () => {
    const kept = (await store.document(RESCORE_STATE_DOCUMENT)) as { seq: number };
    expect(kept.seq).toBeGreaterThan(0);
    const restarted = new Rescorer(store, { intervalMs: 0, now: () => new Date(now) });
    await restarted.start();
    expect(await restarted.runOnce()).toBe(0);
    const id = book[11]!.bundle.customer.id;
    await store.appendInteraction(complaint(id, 'INT-rescore-2', '2026-11-23T08:00:00.000Z'));
    expect(await restarted.runOnce()).toBe(1);
    await restarted.stop();
  });

  it('folds a burst of pokes into one run and one feed push', async () => {
    const pushed: number[] = [];
    const quick = new Rescorer(store, { intervalMs: 0, pokeDelayMs: 50, now: () => new Date(now), feedMoved: (seq) => pushed.push(seq) });
    await quick.start();
    for (let i = 0; i < 3; i++) {
      await store.appendInteraction(complaint(book[20 + i]!.bundle.customer.id, `INT-burst-${i}`, '2026-11-23T08:30:00.000Z'));
      for (let p = 0; p < 10; p++) quick.poke();
    }
    await new Promise((r) => setTimeout(r, 600));
    expect(pushed).toHaveLength(1);
    expect(await quick.runOnce()).toBe(0);
    await quick.stop();
  });

  it('scores with a model published after it started (the model change in the feed)', async () => {
    const held = (await store.model('churn')) as { modelVersion: string };
    await rescorer.runOnce(); // catch up with what the tests above changed, so the model is held
    // A retraining publishes only a challenger that beats the model in use (champion-challenger.ts), so
    // the new model is published outright, as `npm run train -- --model FILE` would.
    const next = { ...(held as Record<string, unknown>), modelVersion: `${held.modelVersion}-next` };
    await scoreBook(store, { asOf: DEMO_AS_OF, scoredAt: DEMO_SCORED_AT, seed: 11, churn: { mode: 'file', model: next } });
    const published = (await store.model('churn')) as { modelVersion: string };
    expect(published.modelVersion).not.toBe(held.modelVersion);
    const id = book[31]!.bundle.customer.id;
    await store.appendInteraction(complaint(id, 'INT-new-model', '2026-11-23T09:30:00.000Z'));
    expect(await rescorer.runOnce()).toBe(1);
    expect((await store.customerBundle(id))!.scores!.churnModel).toBe(published.modelVersion);
  });
});
