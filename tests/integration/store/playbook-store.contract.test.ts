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

  it('publishes numbered versions on top of the current one, into the feed and the history', async () => {
    await h.store.putPlaybook(fx.playbook(1));
    const published = await h.store.publishPlaybook(fx.playbook(1), 1, 'rachel', '2026-12-01T10:00:00.000Z');
    expect(published).toMatchObject({ version: 2, publishedBy: 'rachel', publishedAt: '2026-12-01T10:00:00.000Z' });
    expect((await h.store.playbook())?.version).toBe(2);
    // An editor that started from version 1 is refused: someone published since.
    expect(await h.store.publishPlaybook(fx.playbook(1), 1, 'sam', '2026-12-01T10:01:00.000Z')).toEqual({ conflict: true, currentVersion: 2 });
    expect((await h.store.playbook())?.publishedBy).toBe('rachel');
    const feed = (await h.store.changesAfter(0, 10)).changes.filter((c) => c.entity === 'playbook');
    expect(feed).toHaveLength(1);
    expect(feed[0]?.data).toMatchObject({ version: 2 });
    expect(await h.store.playbookVersions()).toEqual([{ version: 2, publishedAt: '2026-12-01T10:00:00.000Z', publishedBy: 'rachel' }]);
  });

  it('reads a playbook another server published at once, however often it was read before', async () => {
    await h.store.putPlaybook(fx.playbook(1));
    // Read many times, as the routing node does for every call (the PostgreSQL store keeps the parsed copy).
    for (let i = 0; i < 3; i++) expect((await h.store.playbook())?.version).toBe(1);
    const otherNode = await h.backend.open();
    try {
      await otherNode.publishPlaybook(fx.playbook(1), 1, 'rachel', '2026-12-01T10:00:00.000Z');
    } finally {
      await otherNode.close();
    }
    expect(await h.store.playbook()).toMatchObject({ version: 2, publishedBy: 'rachel' });
  });

  it('lets exactly one of two concurrent publishes on the same base win', async () => {
    await h.store.putPlaybook(fx.playbook(3));
    const results = await Promise.all([
      h.store.publishPlaybook(fx.playbook(3), 3, 'rachel', '2026-12-01T10:00:00.000Z'),
      h.store.publishPlaybook(fx.playbook(3), 3, 'sam', '2026-12-01T10:00:00.000Z'),
    ]);
    expect(results.filter((r) => 'conflict' in r)).toHaveLength(1);
    expect((await h.store.playbookVersions()).map((v) => v.version)).toEqual([4]);
  });

  it('counts per script and step: reached, and lost or kept where calls stopped', async () => {
    const at = (path: string[], scriptId = 'price') => ({ script: { scriptId, version: 1, path } });
    await h.store.insertOutcome(fx.outcome(1, { disposition: 'retained', ...at(['opening', 'offer', 'confirm']) }));
    await h.store.insertOutcome(fx.outcome(2, { disposition: 'churned', ...at(['opening', 'offer']) }));
    await h.store.insertOutcome(fx.outcome(3, { disposition: 'churned', ...at(['opening', 'last-chance']) }));
    // A loop back to a step already reached counts the call once there.
    await h.store.insertOutcome(fx.outcome(4, { disposition: 'retained', ...at(['opening', 'offer', 'opening', 'offer']) }));
    await h.store.insertOutcome(fx.outcome(5, { disposition: 'not_retention', ...at(['opening']) }));
    await h.store.insertOutcome(fx.outcome(6, { disposition: 'churned', ...at(['opening'], 'general') }));
    await h.store.insertOutcome(fx.outcome(7, { disposition: 'retained' }));
    const funnels = await h.store.scriptFunnel('2000-01-01T00:00:00.000Z');
    expect(funnels).toEqual([
      { scriptId: 'general', calls: 1, steps: [{ stepId: 'opening', reached: 1, lost: 1, saved: 0 }] },
      {
        scriptId: 'price',
        calls: 4,
        steps: [
          { stepId: 'opening', reached: 4, lost: 0, saved: 0 },
          { stepId: 'offer', reached: 3, lost: 1, saved: 1 },
          { stepId: 'last-chance', reached: 1, lost: 1, saved: 0 },
          { stepId: 'confirm', reached: 1, lost: 0, saved: 1 },
        ],
      },
    ]);
    expect(await h.store.scriptFunnel('2999-01-01T00:00:00.000Z')).toEqual([]);
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
