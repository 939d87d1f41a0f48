import { expect, it } from 'vitest';
import { describeStoreContract } from './contract-harness';
import * as fx from './fixtures';

describeStoreContract('ScoringStore', (h) => {
  const txn = (n: number, k: number, kind: 'invoice' | 'payment' | 'payment_failed' | 'purchase', amount = 20): ReturnType<typeof fx.transaction> =>
    ({ ...fx.transaction(n, k), id: `T-${n}-${k}-${kind}`, kind, amount });

  it('counts labelled and churned customers; an unknown label in a later write keeps the known one', async () => {
    expect(await h.store.churnLabelCounts()).toEqual({ labelled: 0, churned: 0 });
    await h.store.upsertCustomers([
      { ...fx.bundle(1, 0), churnLabel: true },
      { ...fx.bundle(2, 0), churnLabel: false },
      { ...fx.bundle(3, 0), churnLabel: null },
      { ...fx.bundle(4, 0), churnLabel: true },
    ]);
    await h.store.upsertCustomers([{ ...fx.bundle(4, 0), churnLabel: null }]);
    expect(await h.store.churnLabelCounts()).toEqual({ labelled: 3, churned: 2 });
  });

  it('pages scoring inputs by id with label, scores, interactions in time order and transactions of the asked kinds', async () => {
    await h.store.upsertCustomers([
      { ...fx.bundle(2, 0), scores: null, interactions: [fx.interaction(2, 7), fx.interaction(2, 3)], churnLabel: false, transactions: [txn(2, 1, 'invoice'), txn(2, 1, 'payment'), txn(2, 2, 'payment_failed')] },
      { ...fx.bundle(1, 1), churnLabel: true, transactions: [txn(1, 5, 'purchase', 99.5), txn(1, 1, 'payment')] },
      { ...fx.bundle(3, 0), churnLabel: null },
    ]);
    const first = await h.store.scoringInputs(null, 2, { transactionKinds: ['payment', 'purchase', 'payment_failed'] });
    expect(first.rows.map((r) => r.customer.id)).toEqual(['C-0001', 'C-0002']);
    expect(first.nextCursor).toBe('C-0002');
    const [one, two] = first.rows;
    expect(one).toEqual({
      customer: fx.customer(1), churnLabel: true, scores: fx.scores(1), interactions: [fx.interaction(1, 0)],
      transactions: [txn(1, 1, 'payment'), txn(1, 5, 'purchase', 99.5)],
    });
    expect(two?.churnLabel).toBe(false);
    expect(two?.scores).toBeNull();
    expect(two?.interactions.map((i) => i.id)).toEqual([fx.interaction(2, 3).id, fx.interaction(2, 7).id]);
    expect(two?.transactions.map((t) => t.kind)).toEqual(['payment', 'payment_failed']);

    const rest = await h.store.scoringInputs(first.nextCursor, 2);
    expect(rest.rows.map((r) => [r.customer.id, r.churnLabel, r.transactions.length])).toEqual([['C-0003', null, 0]]);
    expect(rest.nextCursor).toBeNull();
    const everything = await h.store.scoringInputs(null, 10);
    expect(everything.rows[1]?.transactions.map((t) => t.kind).sort()).toEqual(['invoice', 'payment', 'payment_failed']);
    expect(await h.store.scoringInputs('C-0003', 10)).toEqual({ rows: [], nextCursor: null });
    await expect(h.store.scoringInputs(null, 0)).rejects.toThrow(RangeError);
  });

  it('writes scores as feed changes, skipping unknown customers and folding repeats to the last', async () => {
    await h.store.upsertCustomers([fx.bundle(1, 0), fx.bundle(2, 0)]);
    const before = await h.store.lastSeq();
    const written = await h.store.putScores([
      fx.scores(1, { churnProbability: 0.1 }),
      fx.scores(9, { churnProbability: 0.9 }),
      fx.scores(2, { churnProbability: 0.2, rfmSegment: 'Champions', lifecycleStage: 'mature', previousChurn: { probability: 0.3, at: '2025-01-01T00:00:00.000Z', churnModel: 'm0' } }),
      fx.scores(1, { churnProbability: 0.15, churnModel: 'churn-2' }),
    ]);
    expect(written).toBe(2);
    expect(await h.store.putScores([])).toBe(0);
    const feed = await h.store.changesAfter(before, 100);
    expect(feed.changes.map((c) => c.entity)).toEqual(['scores', 'scores']);
    expect(feed.changes.map((c) => c.seq)).toEqual([before + 1, before + 2]);
    expect((await h.store.customerBundle('C-0001'))?.scores).toEqual(fx.scores(1, { churnProbability: 0.15, churnModel: 'churn-2' }));
    expect((await h.store.customerBundle('C-0002'))?.scores).toMatchObject({ rfmSegment: 'Champions', lifecycleStage: 'mature', previousChurn: { churnModel: 'm0' } });
    expect(await h.store.customerBundle('C-0009')).toBeNull();
    expect((await h.store.snapshotPage(null, 10)).scores.map((s) => s.customerId)).toEqual(['C-0001', 'C-0002']);
  });
});
