import { describe, expect, it } from 'vitest';
import { DatabaseTooNewError } from '@shared/storage/migrations';
import { describeStoreContract } from './contract-harness';
import * as fx from './fixtures';

describeStoreContract('ServerStore lifecycle', (h) => {
  describe('schema', () => {
    it('opens empty, and opens again without migrating twice', async () => {
      expect(await h.store.lastSeq()).toBe(0);
      expect(await h.store.customerCount()).toBe(0);
      expect(await h.store.playbook()).toBeNull();
      await h.reopen();
      expect(await h.store.lastSeq()).toBe(0);
    });

    it('refuses a database written by a newer app', async () => {
      await h.store.close();
      await h.backend.setSchemaVersion(99);
      const opening = h.backend.open();
      await expect(opening).rejects.toBeInstanceOf(DatabaseTooNewError);
      await expect(opening).rejects.toThrow(/schema version 99/);
    });
  });

  describe('restart', () => {
    it('keeps everything across close and reopen, and carries on the feed where it stopped', async () => {
      await h.store.upsertAgent(fx.agent(1), 'hash-1');
      await h.store.upsertCustomers([fx.bundle(1, 2), fx.bundle(2, 1)]);
      await h.store.putPlaybook(fx.playbook(1));
      await h.store.bumpOfferStat('OFF-1', 'mid:price', true);
      await h.store.saveCall(fx.call(1, 'connected'));
      await h.store.insertOutcome(fx.outcome(1));
      const feed = await h.store.changesAfter(0, 100);

      await h.reopen();
      expect(await h.store.agentByUsername('agent1')).toEqual({ agent: fx.agent(1), passwordHash: 'hash-1' });
      expect(await h.store.customerCount()).toBe(2);
      expect(await h.store.customerBundle('C-0001')).toEqual(fx.bundle(1, 2));
      expect(await h.store.customerIdsByPhone(fx.customer(2).phones[0] ?? '')).toEqual(['C-0002']);
      expect(await h.store.playbook()).toEqual(fx.playbook(1));
      expect(await h.store.offerStats()).toEqual([{ offerId: 'OFF-1', segment: 'mid:price', made: 1, accepted: 1 }]);
      expect(await h.store.openCalls()).toEqual([fx.call(1, 'connected')]);
      expect(await h.store.recentOutcomes(10)).toEqual([fx.outcome(1)]);
      expect(await h.store.insertOutcome(fx.outcome(1))).toBe(false);
      expect(await h.store.changesAfter(0, 100)).toEqual(feed);

      await h.store.appendInteraction(fx.interaction(2, 9));
      const next = await h.store.changesAfter(feed.lastSeq, 100);
      expect(next.changes).toHaveLength(1);
      expect(next.changes[0]?.seq).toBeGreaterThan(feed.lastSeq);
    });
  });
});
