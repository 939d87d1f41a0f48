import { expect, it } from 'vitest';
import { allChanges, describeStoreContract } from './contract-harness';
import * as fx from './fixtures';

describeStoreContract('AccountEventStore', (h) => {
  it('stores each event id once and marks a customer who cancelled as left, in the profile, the label and the feed', async () => {
    await h.store.upsertCustomers([fx.bundle(1, 0), fx.bundle(2, 0)]);
    const before = await h.store.lastSeq();
    const first = await h.store.applyAccountEvents([fx.accountEvent('E-1', 1, 'payment_failed', 3), fx.accountEvent('E-2', 1, 'cancelled', 5)]);
    expect(first).toEqual({ applied: ['E-1', 'E-2'], changedCustomers: [fx.customerId(1)] });
    const again = await h.store.applyAccountEvents([fx.accountEvent('E-2', 1, 'cancelled', 5)]);
    expect(again).toEqual({ applied: [], changedCustomers: [] });

    const profile = (await h.store.customerBundle(fx.customerId(1)))?.customer;
    expect(profile?.accountStatus).toEqual({ state: 'left', since: new Date(Date.UTC(2025, 0, 5)).toISOString(), eventId: 'E-2' });
    expect((await h.store.customerBundle(fx.customerId(2)))?.customer.accountStatus).toBeUndefined();
    expect(await h.store.churnLabelCounts()).toEqual({ labelled: 1, churned: 1 });
    const customerChanges = (await allChanges(h.store, before)).filter((c) => c.entity === 'customer');
    expect(customerChanges.map((c) => (c.entity === 'customer' ? c.data.accountStatus?.state : null))).toEqual(['left']);
    expect((await h.store.accountEventsFor([fx.customerId(1)])).map((e) => e.id)).toEqual(['E-1', 'E-2']);
  });

  it('brings a customer back with a later resumption, whatever order the events arrive in', async () => {
    await h.store.upsertCustomers([fx.bundle(1, 0)]);
    await h.store.applyAccountEvents([fx.accountEvent('E-9', 1, 'resumed', 9)]);
    await h.store.applyAccountEvents([fx.accountEvent('E-5', 1, 'cancelled', 5)]);
    expect((await h.store.customerBundle(fx.customerId(1)))?.customer.accountStatus?.state).toBe('active');
    expect(await h.store.churnLabelCounts()).toEqual({ labelled: 1, churned: 0 });
  });

  it('skips events about customers it does not have, and keeps the status across a rewrite of the profile', async () => {
    await h.store.upsertCustomers([fx.bundle(1, 0)]);
    expect(await h.store.applyAccountEvents([fx.accountEvent('E-1', 99, 'cancelled', 5), fx.accountEvent('E-2', 1, 'cancelled', 6)]))
      .toEqual({ applied: ['E-2'], changedCustomers: [fx.customerId(1)] });
    expect(await h.store.accountEventsFor([fx.customerId(99)])).toEqual([]);
    // Identity resolution rewrites profiles from source records, which know nothing of billing's events.
    await h.store.upsertCustomers([{ ...fx.bundle(1, 0), customer: fx.customer(1, { givenName: 'Renamed' }) }]);
    const after = await h.reopen();
    const profile = (await after.customerBundle(fx.customerId(1)))?.customer;
    expect(profile?.givenName).toBe('Renamed');
    expect(profile?.accountStatus?.state).toBe('left');
  });

  it('lists retention outcomes received since a time, oldest first', async () => {
    const day = (d: number): string => new Date(Date.UTC(2025, 0, d, 12)).toISOString();
    await h.store.insertOutcome(fx.outcome(1, { disposition: 'retained', receivedAt: day(3) }));
    await h.store.insertOutcome(fx.outcome(2, { disposition: 'not_retention', receivedAt: day(3) }));
    await h.store.insertOutcome(fx.outcome(3, { disposition: 'churned', receivedAt: day(2) }));
    await h.store.insertOutcome(fx.outcome(4, { disposition: 'retained', receivedAt: day(1) }));
    expect((await h.store.retentionOutcomesSince(day(2))).map((o) => o.id)).toEqual([3, 1].map(fx.outcomeId));
  });
});

describeStoreContract('OfferDecisionStore', (h) => {
  const decision = (callId: string, minute: number) => ({
    callId, customerId: fx.customerId(1), segment: 'mid:price', clv: 900, arms: [{ id: 'none', cost: 0 }, { id: 'discount-10', cost: 45 }],
    arm: 'discount-10', propensity: 0.72, explored: false, decidedAt: new Date(Date.UTC(2026, 0, 1, 9, minute)).toISOString(),
  });

  it('logs each call once and lists decisions since a time, oldest first, across a restart', async () => {
    expect(await h.store.logOfferDecision(decision('CALL-2', 5))).toBe(true);
    expect(await h.store.logOfferDecision(decision('CALL-1', 3))).toBe(true);
    expect(await h.store.logOfferDecision({ ...decision('CALL-1', 9), arm: 'none' })).toBe(false);
    const store = await h.reopen();
    expect((await store.offerDecisions(new Date(Date.UTC(2026, 0, 1)).toISOString())).map((d) => [d.callId, d.arm])).toEqual([['CALL-1', 'discount-10'], ['CALL-2', 'discount-10']]);
    expect(await store.offerDecisions(new Date(Date.UTC(2026, 0, 1, 9, 4)).toISOString())).toEqual([decision('CALL-2', 5)]);
  });
});
