import { expect, it } from 'vitest';
import { describeStoreContract } from './contract-harness';

describeStoreContract('DocumentStore', (h) => {
  it('publishes model files to the feed and the first snapshot page, and keeps private documents out of both', async () => {
    const before = await h.store.lastSeq();
    await h.store.putModel('churn', { version: 'v1', trees: [] });
    await h.store.putDocument('router-state', { learnt: 3 });
    expect(await h.store.model('churn')).toEqual({ version: 'v1', trees: [] });
    expect(await h.store.document('router-state')).toEqual({ learnt: 3 });
    const feed = await h.store.changesAfter(before, 100);
    expect(feed.changes).toEqual([{ seq: before + 1, entity: 'model', data: { kind: 'churn', model: { version: 'v1', trees: [] } } }]);
    expect((await h.store.snapshotPage(null, 10)).models).toEqual([{ kind: 'churn', model: { version: 'v1', trees: [] } }]);
    await expect(h.store.putDocument('model:sneaky', {})).rejects.toThrow(/feed document/);
  });
});
