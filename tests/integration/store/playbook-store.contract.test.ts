import { expect, it } from 'vitest';
import { describeStoreContract } from './contract-harness';
import * as fx from './fixtures';

describeStoreContract('PlaybookStore', (h) => {
  it('stores and replaces the playbook', async () => {
    await h.store.putPlaybook(fx.playbook(1));
    await h.store.putPlaybook(fx.playbook(2));
    expect(await h.store.playbook()).toEqual(fx.playbook(2));
    expect((await h.store.changesAfter(0, 10)).changes.filter((c) => c.entity === 'playbook')).toHaveLength(1);
  });

  it('counts offers made and accepted per offer and segment', async () => {
    expect(await h.store.bumpOfferStat('OFF-1', 'mid:price', true)).toEqual({ offerId: 'OFF-1', segment: 'mid:price', made: 1, accepted: 1 });
    expect(await h.store.bumpOfferStat('OFF-1', 'mid:price', false)).toEqual({ offerId: 'OFF-1', segment: 'mid:price', made: 2, accepted: 1 });
    expect(await h.store.bumpOfferStat('OFF-1', 'high:service', false)).toEqual({ offerId: 'OFF-1', segment: 'high:service', made: 1, accepted: 0 });
    const stats = (await h.store.offerStats()).sort((a, b) => a.segment.localeCompare(b.segment));
    expect(stats).toEqual([
      { offerId: 'OFF-1', segment: 'high:service', made: 1, accepted: 0 },
      { offerId: 'OFF-1', segment: 'mid:price', made: 2, accepted: 1 },
    ]);
  });

  it('loses no count under concurrent bumps', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, k) => h.store.bumpOfferStat('OFF-2', 'low:usage', k % 2 === 0)));
    expect(await h.store.offerStats()).toEqual([{ offerId: 'OFF-2', segment: 'low:usage', made: 20, accepted: 10 }]);
    const feed = (await h.store.changesAfter(0, 100)).changes;
    expect(feed).toHaveLength(1);
    expect(feed[0]?.data).toEqual({ offerId: 'OFF-2', segment: 'low:usage', made: 20, accepted: 10 });
  });
});
