import { expect, it } from 'vitest';
import { formatHlc } from '@shared/sync/hlc';
import { describeStoreContract } from './contract-harness';
import * as fx from './fixtures';

const stamp = (wallMs: number, node = 'desk-1'): string => formatHlc({ wallMs, counter: 0, node });

describeStoreContract('CustomerStore', (h) => {
  it('writes a batch with phones, scores and history, and finds customers by phone and account', async () => {
    const shared = fx.customer(1).phones[0] ?? '';
    const first = fx.bundle(1, 3);
    // Stored out of order: the bundle must come back in time order.
    first.interactions.reverse();
    await h.store.upsertCustomers([
      { ...first, transactions: [fx.transaction(1, 0), fx.transaction(1, 1)], churnLabel: true },
      { customer: fx.customer(2), scores: null, interactions: [] },
      { ...fx.bundle(3, 1), customer: fx.customer(3, { accountId: 'ACC-0001', phones: [shared, '+15550009999'] }) },
    ]);

    expect(await h.store.customerCount()).toBe(3);
    expect(await h.store.customerBundle('C-0001')).toEqual({ customer: fx.customer(1), scores: fx.scores(1), interactions: [0, 1, 2].map((k) => fx.interaction(1, k)) });
    expect(await h.store.customerBundle('C-0002')).toEqual({ customer: fx.customer(2), scores: null, interactions: [] });
    expect(await h.store.customerBundle('C-9999')).toBeNull();
    expect((await h.store.customerIdsByPhone(shared)).sort()).toEqual(['C-0001', 'C-0003']);
    expect(await h.store.customerIdsByPhone('+15550009999')).toEqual(['C-0003']);
    expect(await h.store.customerIdsByPhone('+10000000000')).toEqual([]);
    expect((await h.store.customerIdsByAccount('ACC-0001')).sort()).toEqual(['C-0001', 'C-0003']);
    expect(await h.store.customerIdsByAccount('ACC-0002')).toEqual(['C-0002']);
  });

  it('replaces a customer on re-upsert: new phones replace old, absent scores keep the old ones', async () => {
    await h.store.upsertCustomers([fx.bundle(1, 1)]);
    const moved = fx.customer(1, { givenName: 'Moved', phones: ['+15551112222'] });
    await h.store.upsertCustomers([{ customer: moved, scores: null, interactions: [fx.interaction(1, 5)] }]);

    expect(await h.store.customerCount()).toBe(1);
    expect(await h.store.customerIdsByPhone(fx.customer(1).phones[0] ?? '')).toEqual([]);
    expect(await h.store.customerIdsByPhone('+15551112222')).toEqual(['C-0001']);
    expect(await h.store.customerBundle('C-0001')).toEqual({ customer: moved, scores: fx.scores(1), interactions: [fx.interaction(1, 0), fx.interaction(1, 5)] });
  });

  it('lets the later copy win when a batch repeats a customer', async () => {
    await h.store.upsertCustomers([
      { customer: fx.customer(4, { givenName: 'First', phones: ['+15550000001'] }), scores: fx.scores(4, { clv: 1 }), interactions: [fx.interaction(4, 0, { summary: 'first' })] },
      { customer: fx.customer(4, { givenName: 'Second', phones: ['+15550000002'] }), scores: fx.scores(4, { clv: 2 }), interactions: [fx.interaction(4, 0, { summary: 'second' })] },
    ]);
    const stored = await h.store.customerBundle('C-0004');
    expect(stored?.customer.givenName).toBe('Second');
    expect(stored?.scores?.clv).toBe(2);
    expect(stored?.interactions.map((i) => i.summary)).toEqual(['second']);
    expect(await h.store.customerIdsByPhone('+15550000001')).toEqual([]);
    expect(await h.store.customerIdsByPhone('+15550000002')).toEqual(['C-0004']);
    expect(await h.store.customerCount()).toBe(1);
  });

  it('appends an interaction to a customer history', async () => {
    await h.store.upsertCustomers([fx.bundle(2, 0)]);
    const note = fx.interaction(2, 9, { channel: 'chat', promise: 'Credit of $20 on next bill' });
    await h.store.appendInteraction(note);
    expect((await h.store.customerBundle('C-0002'))?.interactions).toEqual([note]);
  });

  it('applies a profile edit only when its clock stamp is newer, and feeds the change out', async () => {
    await h.store.upsertCustomers([fx.bundle(1, 0)]);
    const before = await h.store.lastSeq();

    const first = await h.store.applyProfileEdit({ customerId: 'C-0001', field: 'email', value: 'new@example.test', hlc: stamp(2000) });
    expect(first.applied).toBe(true);
    expect(first.customer?.email).toBe('new@example.test');
    expect((await h.store.customerBundle('C-0001'))?.customer).toEqual(first.customer);
    const fed = await h.store.changesAfter(before, 10);
    expect(fed.changes).toHaveLength(1);
    expect(fed.changes[0]).toMatchObject({ entity: 'customer', data: first.customer });

    const older = await h.store.applyProfileEdit({ customerId: 'C-0001', field: 'email', value: 'old@example.test', hlc: stamp(1000) });
    expect(older).toEqual({ applied: false, customer: first.customer });
    const again = await h.store.applyProfileEdit({ customerId: 'C-0001', field: 'email', value: 'new@example.test', hlc: stamp(2000) });
    expect(again.applied).toBe(false);
    expect(await h.store.lastSeq()).toBe(fed.lastSeq);

    expect(await h.store.applyProfileEdit({ customerId: 'C-9999', field: 'doNotCall', value: true, hlc: stamp(3000) })).toEqual({ applied: false, customer: null });
  });

  it('keeps concurrent edits to different fields of one customer', async () => {
    await h.store.upsertCustomers([fx.bundle(1, 0)]);
    const results = await Promise.all([
      h.store.applyProfileEdit({ customerId: 'C-0001', field: 'email', value: 'both@example.test', hlc: stamp(5000, 'desk-a') }),
      h.store.applyProfileEdit({ customerId: 'C-0001', field: 'doNotCall', value: true, hlc: stamp(5000, 'desk-b') }),
      h.store.applyProfileEdit({ customerId: 'C-0001', field: 'language', value: 'es', hlc: stamp(5000, 'desk-c') }),
    ]);
    expect(results.map((r) => r.applied)).toEqual([true, true, true]);
    const stored = (await h.store.customerBundle('C-0001'))?.customer;
    expect(stored).toMatchObject({ email: 'both@example.test', doNotCall: true, language: 'es' });
    expect(stored?.fieldClocks).toEqual({ email: stamp(5000, 'desk-a'), doNotCall: stamp(5000, 'desk-b'), language: stamp(5000, 'desk-c') });
  });

  it('samples callers from stored customers that have a phone', async () => {
    await h.store.upsertCustomers([
      ...Array.from({ length: 6 }, (_, i) => fx.bundle(i + 1, 0)),
      { customer: fx.customer(7, { phones: [] }), scores: null, interactions: [] },
    ]);
    const known = new Map(Array.from({ length: 6 }, (_, i) => fx.customer(i + 1)).map((c) => [c.phones[0], { phone: c.phones[0], accountId: c.accountId, language: c.language }]));
    // Both stores sample `count` customers and then drop any without a phone, so one fewer may come back.
    const sample = await h.store.sampleCallers(3);
    expect(sample.length).toBeGreaterThanOrEqual(2);
    expect(sample.length).toBeLessThanOrEqual(3);
    expect(new Set(sample.map((c) => c.phone)).size).toBe(sample.length);
    for (const caller of sample) expect(known.get(caller.phone)).toEqual(caller);
    const everyone = await h.store.sampleCallers(50);
    expect(everyone.map((c) => c.phone).sort()).toEqual([...known.keys()].sort());
  });

  it('samples callers of the languages asked for only', async () => {
    await h.store.upsertCustomers([
      ...[1, 2, 3].map((n) => ({ ...fx.bundle(n, 0), customer: fx.customer(n, { language: 'he' }) })),
      ...[4, 5].map((n) => ({ ...fx.bundle(n, 0), customer: fx.customer(n, { language: 'es' }) })),
      fx.bundle(6, 0),
    ]);
    expect((await h.store.sampleCallers(50, ['he'])).map((c) => c.language).sort()).toEqual(['he', 'he', 'he']);
    expect((await h.store.sampleCallers(50, ['es', 'en'])).map((c) => c.language).sort()).toEqual(['en', 'es', 'es']);
    expect(await h.store.sampleCallers(50, ['zh'])).toEqual([]);
    expect(await h.store.sampleCallers(50)).toHaveLength(6);
  });

  it('writes nothing for an empty batch', async () => {
    await h.store.upsertCustomers([]);
    expect(await h.store.lastSeq()).toBe(0);
  });

  it('lists outreach candidates by expected value at risk', async () => {
    await h.store.upsertCustomers([1, 2, 3].map((n) => ({ ...fx.bundle(n, 0), scores: fx.scores(n, { valueAtRisk: n === 2 ? 500 : n }) })));
    expect((await h.store.customersByValueAtRisk(2)).map((r) => r.customer.id)).toEqual([fx.customerId(2), fx.customerId(3)]);
  });

  it('reads customers by id, skipping unknown ones', async () => {
    await h.store.upsertCustomers([fx.bundle(1), fx.bundle(2)]);
    const found = await h.store.customersByIds([fx.customerId(2), 'nobody', fx.customerId(1), fx.customerId(2)]);
    expect(found.map((c) => c.id).sort()).toEqual([fx.customerId(1), fx.customerId(2)]);
    expect(await h.store.customersByIds([])).toEqual([]);
  });
});
