import { expect, it } from 'vitest';
import { describeStoreContract } from './contract-harness';

describeStoreContract('IdentityStore', (h) => {
  const record = (id: string, given: string, source = 'crm') => ({ source, record_id: id, given_name: given, family_name: 'Levi', phone: '+972501234567' });

  it('upserts source records by content hash: the same records again change nothing', async () => {
    const first = await h.store.upsertSourceRecords([
      { record: record('R1', 'Dana'), hash: 'h1', customerId: 'C-1' },
      { record: record('R2', 'Avi'), hash: 'h2' },
    ]);
    expect(first).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    const seq = await h.store.lastSeq();
    const again = await h.store.upsertSourceRecords([{ record: record('R1', 'Dana'), hash: 'h1' }, { record: record('R2', 'Avi'), hash: 'h2' }]);
    expect(again).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    const changed = await h.store.upsertSourceRecords([{ record: record('R2', 'Avraham'), hash: 'h2b' }]);
    expect(changed).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    // Source records are server-private: the change feed does not move.
    expect(await h.store.lastSeq()).toBe(seq);
    const stored = await h.store.sourceRecords();
    expect(stored.map((s) => [s.record.record_id, s.record.given_name, s.hash, s.customerId])).toEqual([
      ['R1', 'Dana', 'h1', 'C-1'],
      ['R2', 'Avraham', 'h2b', null],
    ]);
  });

  it('keeps a record apart per source, and remembers which customer each record resolved into', async () => {
    await h.store.upsertSourceRecords([{ record: record('R1', 'Dana'), hash: 'a' }, { record: record('R1', 'Dana', 'support'), hash: 'b' }]);
    await h.store.assignSourceRecords([{ source: 'support', recordId: 'R1', customerId: 'C-9' }]);
    const stored = await h.store.sourceRecords();
    expect(stored.map((s) => `${s.record.source}:${s.record.record_id}:${s.customerId}`)).toEqual(['crm:R1:null', 'support:R1:C-9']);
    // An update without a customer id keeps the one stored.
    await h.store.upsertSourceRecords([{ record: record('R1', 'Danna', 'support'), hash: 'c' }]);
    expect((await h.store.sourceRecords())[1]?.customerId).toBe('C-9');
  });

  it('appends identity decisions in order, once per id, across a restart', async () => {
    const decision = (id: string, kind: 'split' | 'merge') => ({
      id, kind, actor: 'A001', at: '2026-11-20T10:00:00.000Z', customerIds: ['C-1'], recordKeys: ['crm:R1', 'support:R1'],
      addNeverLink: kind === 'split' ? [['crm:R1', 'support:R1'] as [string, string]] : [],
      removeNeverLink: kind === 'merge' ? [['crm:R1', 'support:R1'] as [string, string]] : [],
      addMustLink: [], removeMustLink: [],
    });
    await h.store.addIdentityDecision(decision('d2', 'split'));
    await h.store.addIdentityDecision(decision('d1', 'merge'));
    await h.store.addIdentityDecision(decision('d2', 'split'));
    await h.reopen();
    const decisions = await h.store.identityDecisions();
    expect(decisions.map((d) => d.id)).toEqual(['d2', 'd1']);
    expect(decisions[0]?.addNeverLink).toEqual([['crm:R1', 'support:R1']]);
  });
});
