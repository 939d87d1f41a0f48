import { expect, it } from 'vitest';
import { describeStoreContract } from './contract-harness';
import * as fx from './fixtures';

describeStoreContract('OutcomeStore', (h) => {
  it('applies a wrap-up once: a repeat of its id returns false and changes nothing', async () => {
    expect(await h.store.insertOutcome(fx.outcome(1))).toBe(true);
    expect(await h.store.insertOutcome(fx.outcome(1, { notes: 'a retry with other notes' }))).toBe(false);
    expect(await h.store.recentOutcomes(10)).toEqual([fx.outcome(1)]);
  });

  it('applies a batch in one go: new ids with their history and offer counts, repeats changed nothing', async () => {
    await h.store.upsertCustomers([fx.bundle(1, 0)]);
    const seqBefore = await h.store.lastSeq();
    const write = (n: number, offer: boolean) => ({
      outcome: fx.outcome(n, { customerId: fx.customerId(1) }),
      interaction: fx.interaction(1, 100 + n),
      offerStat: offer ? { offerId: 'renewal-bonus', segment: 'mid:contract', accepted: n % 2 === 0 } : null,
    });
    expect(await h.store.applyOutcomes([write(1, true), write(2, true), write(1, true), write(3, false)])).toEqual([true, true, false, true]);
    expect(await h.store.applyOutcomes([write(2, true)])).toEqual([false]);
    expect((await h.store.recentOutcomes(10)).map((o) => o.id).sort()).toEqual([fx.outcomeId(1), fx.outcomeId(2), fx.outcomeId(3)].sort());
    expect(await h.store.offerStats()).toEqual([{ offerId: 'renewal-bonus', segment: 'mid:contract', made: 2, accepted: 1 }]);
    expect((await h.store.customerBundle(fx.customerId(1)))?.interactions).toHaveLength(3);
    const feed = await h.store.changesAfter(seqBefore, 100);
    expect(feed.changes.filter((c) => c.entity === 'interaction')).toHaveLength(3);
    expect(await h.store.applyOutcomes([])).toEqual([]);
  });

  it('says which wrap-up ids are applied already, with their agent and call', async () => {
    await h.store.insertOutcome(fx.outcome(1, { agentId: 'A-1', callId: 'CALL-1' }));
    await h.store.insertOutcome(fx.outcome(2, { agentId: 'A-2', callId: 'CALL-2' }));
    const applied = await h.store.appliedOutcomes([fx.outcomeId(2), fx.outcomeId(1), fx.outcomeId(3)]);
    expect(Object.fromEntries(applied)).toEqual({
      [fx.outcomeId(1)]: { agentId: 'A-1', callId: 'CALL-1' },
      [fx.outcomeId(2)]: { agentId: 'A-2', callId: 'CALL-2' },
    });
    expect((await h.store.appliedOutcomes([])).size).toBe(0);
  });

  it('applies exactly one of twenty concurrent inserts of one id', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => h.store.insertOutcome(fx.outcome(7))));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await h.store.recentOutcomes(50)).toEqual([fx.outcome(7)]);
  });

  it('keeps any text a note holds, NUL and non-BMP characters included', async () => {
    const odd = fx.outcome(2, { notes: 'before\u0000after \u{1F600} "quoted" \\ back', summary: 'שלום مرحبا 你好' });
    await h.store.insertOutcome(odd);
    expect(await h.store.recentOutcomes(1)).toEqual([odd]);
  });

  it('lists recent outcomes newest first, later arrivals first on a tie', async () => {
    const at = (minute: number): string => new Date(Date.UTC(2025, 0, 2, 9, minute)).toISOString();
    await h.store.insertOutcome(fx.outcome(1, { receivedAt: at(3) }));
    await h.store.insertOutcome(fx.outcome(2, { receivedAt: at(1) }));
    await h.store.insertOutcome(fx.outcome(3, { receivedAt: at(2) }));
    await h.store.insertOutcome(fx.outcome(4, { receivedAt: at(3) }));
    expect((await h.store.recentOutcomes(10)).map((o) => o.id)).toEqual([4, 1, 3, 2].map(fx.outcomeId));
    expect((await h.store.recentOutcomes(2)).map((o) => o.id)).toEqual([4, 1].map(fx.outcomeId));
  });

  it('totals calls and saves per agent since a time', async () => {
    const day = (d: number): string => new Date(Date.UTC(2025, 0, d, 12)).toISOString();
    await h.store.insertOutcome(fx.outcome(1, { agentId: 'A-1', disposition: 'retained', receivedAt: day(2) }));
    await h.store.insertOutcome(fx.outcome(2, { agentId: 'A-1', disposition: 'churned', receivedAt: day(2) }));
    await h.store.insertOutcome(fx.outcome(3, { agentId: 'A-2', disposition: 'retained', receivedAt: day(3) }));
    await h.store.insertOutcome(fx.outcome(4, { agentId: 'A-2', disposition: 'retained', receivedAt: day(2) }));
    await h.store.insertOutcome(fx.outcome(5, { agentId: 'A-3', disposition: 'retained', receivedAt: day(1) }));
    const totals = (await h.store.outcomeTotals(day(2))).sort((a, b) => a.agentId.localeCompare(b.agentId));
    expect(totals).toEqual([{ agentId: 'A-1', calls: 2, saves: 1 }, { agentId: 'A-2', calls: 2, saves: 2 }]);
    expect(await h.store.outcomeTotals(day(9))).toEqual([]);
  });
});
