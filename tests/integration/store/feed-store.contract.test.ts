import { describe, expect, it } from 'vitest';
import type { CustomerProfile, CustomerScores } from '@shared/domain/customer';
import type { Interaction } from '@shared/domain/interaction';
import type { ServerStore } from '../../../src-server/store/server-store';
import { allChanges, changeKey, describeStoreContract } from './contract-harness';
import * as fx from './fixtures';

/** How far behind a desktop may fall before the feed asks it to take a snapshot; both stores use this figure. */
const FEED_SNAPSHOT_THRESHOLD = 50_000;

describeStoreContract('FeedStore', (h) => {
  describe('change feed', () => {
    async function writeOneOfEach(): Promise<void> {
      await h.store.upsertAgent(fx.agent(1), 'secret-hash');
      await h.store.upsertCustomers([fx.bundle(1, 2), fx.bundle(2, 1)]);
      await h.store.putPlaybook(fx.playbook(1));
      await h.store.bumpOfferStat('OFF-1', 'mid:price', true);
      await h.store.appendInteraction(fx.interaction(2, 7));
    }

    it('lists every change in sequence order, with the entity data', async () => {
      await writeOneOfEach();
      const page = await h.store.changesAfter(0, 100);
      expect(page.snapshotRequired).toBe(false);
      expect(page.changes.map((c) => c.entity)).toEqual([
        'agent', 'customer', 'scores', 'interaction', 'interaction', 'customer', 'scores', 'interaction', 'playbook', 'offer_stat', 'interaction',
      ]);
      const seqs = page.changes.map((c) => c.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(page.lastSeq).toBe(seqs[seqs.length - 1]);
      expect(await h.store.lastSeq()).toBe(page.lastSeq);

      expect(page.changes[0]?.data).toEqual(fx.agent(1));
      expect(JSON.stringify(page.changes)).not.toContain('secret-hash');
      expect(page.changes[1]?.data).toEqual(fx.customer(1));
      expect(page.changes[2]?.data).toEqual(fx.scores(1));
      expect(page.changes[8]?.data).toEqual(fx.playbook(1));
      expect(page.changes[9]?.data).toEqual({ offerId: 'OFF-1', segment: 'mid:price', made: 1, accepted: 1 });
      expect(page.changes[10]?.data).toEqual(fx.interaction(2, 7));
    });

    it('pages with a limit, and the pages join up to the whole feed', async () => {
      await writeOneOfEach();
      const whole = (await h.store.changesAfter(0, 100)).changes;

      const first = await h.store.changesAfter(0, 4);
      expect(first.changes).toEqual(whole.slice(0, 4));
      expect(first.lastSeq).toBe(whole[3]?.seq);
      const second = await h.store.changesAfter(first.lastSeq, 4);
      expect(second.changes).toEqual(whole.slice(4, 8));
      const third = await h.store.changesAfter(second.lastSeq, 4);
      expect(third.changes).toEqual(whole.slice(8));
      expect(third.lastSeq).toBe(await h.store.lastSeq());

      const midway = whole[5]?.seq ?? -1;
      expect((await h.store.changesAfter(midway, 100)).changes).toEqual(whole.slice(6));
      const caughtUp = await h.store.changesAfter(await h.store.lastSeq(), 100);
      expect(caughtUp).toEqual({ changes: [], lastSeq: await h.store.lastSeq(), snapshotRequired: false });
    });

    it('keeps a full last page and an empty next page in step', async () => {
      await h.store.upsertCustomers([fx.bundle(1, 1)]);
      const full = await h.store.changesAfter(0, 3);
      expect(full.changes).toHaveLength(3);
      expect(full.lastSeq).toBe(await h.store.lastSeq());
      expect(await h.store.changesAfter(full.lastSeq, 3)).toEqual({ changes: [], lastSeq: full.lastSeq, snapshotRequired: false });
    });

    it('holds one entry per entity: a rewrite moves it to the end of the feed', async () => {
      await writeOneOfEach();
      const before = await h.store.lastSeq();
      await h.store.upsertAgent(fx.agent(1, { displayName: 'Renamed' }), 'secret-hash');
      const after = await h.store.changesAfter(before, 100);
      expect(after.changes).toHaveLength(1);
      expect(after.changes[0]?.data).toEqual(fx.agent(1, { displayName: 'Renamed' }));
      expect(after.changes[0]?.seq).toBeGreaterThan(before);
      const whole = (await h.store.changesAfter(0, 100)).changes;
      expect(whole.filter((c) => c.entity === 'agent')).toHaveLength(1);
      expect(whole.at(-1)?.entity).toBe('agent');
    });

    it('asks a desktop to take a snapshot when it is too far behind', async () => {
      // 500 customers x (profile + scores + 100 interactions) = 51,000 changes in one batch.
      await h.store.upsertCustomers(Array.from({ length: 500 }, (_, n) => fx.bundle(n, 100)));
      const last = await h.store.lastSeq();
      expect(last).toBeGreaterThan(FEED_SNAPSHOT_THRESHOLD);

      expect(await h.store.changesAfter(0, 10)).toEqual({ changes: [], lastSeq: last, snapshotRequired: true });
      expect((await h.store.changesAfter(last - FEED_SNAPSHOT_THRESHOLD - 1, 10)).snapshotRequired).toBe(true);
      const nearEnough = await h.store.changesAfter(last - FEED_SNAPSHOT_THRESHOLD, 10);
      expect(nearEnough.snapshotRequired).toBe(false);
      expect(nearEnough.changes).toHaveLength(10);
      expect(nearEnough.changes[0]?.seq).toBeGreaterThan(last - FEED_SNAPSHOT_THRESHOLD);
      expect((await h.store.changesAfter(last - 3, 10)).changes.map((c) => c.seq)).toEqual([last - 2, last - 1, last]);
    });

    it('never lets a tailing reader miss a change while writers run concurrently', async () => {
      await h.store.upsertCustomers([fx.bundle(1, 0)]);
      const seen = new Map<string, number>();
      let writersDone = false;
      const reader = (async () => {
        let position = 0;
        for (;;) {
          const finished = writersDone;
          const page = await h.store.changesAfter(position, 7);
          for (const change of page.changes) seen.set(changeKey(change), change.seq);
          position = page.lastSeq;
          if (finished && page.changes.length === 0) return;
        }
      })();
      await Promise.all(Array.from({ length: 60 }, async (_, k) => {
        if (k % 3 === 0) await h.store.appendInteraction(fx.interaction(1, k));
        else if (k % 3 === 1) await h.store.upsertAgent(fx.agent(k), `hash-${k}`);
        else await h.store.bumpOfferStat(`OFF-${k % 4}`, 'mid:price', k % 2 === 0);
      }));
      writersDone = true;
      await reader;

      const final = await allChanges(h.store);
      expect(final.length).toBeGreaterThan(40);
      for (const change of final) expect(seen.get(changeKey(change)), changeKey(change)).toBe(change.seq);
    });
  });

  describe('snapshot', () => {
    it('pages customers by id with their scores and interactions', async () => {
      await h.store.upsertCustomers(Array.from({ length: 12 }, (_, i) => fx.bundle(12 - i, 2)));
      const asOf = await h.store.lastSeq();
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await h.store.snapshotPage(cursor, 4);
        pages++;
        expect(page.asOfSeq).toBe(asOf);
        expect(page.totalCustomers).toBe(12);
        const pageIds = page.customers.map((c) => c.id);
        ids.push(...pageIds);
        expect(page.scores.map((s) => s.customerId)).toEqual(pageIds);
        expect(page.interactions).toEqual(pageIds.flatMap((id) => [0, 1].map((k) => fx.interaction(Number(id.slice(2)), k))));
        cursor = page.nextCursor;
      } while (cursor !== null && pages < 10);
      // Three full pages, then an empty one that ends the walk.
      expect(pages).toBe(4);
      expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => fx.customerId(i + 1)));
    });

    it('carries agents, the playbook and offer stats on the first page only', async () => {
      await h.store.upsertAgent(fx.agent(2), 'secret-hash-2');
      await h.store.upsertAgent(fx.agent(1), 'secret-hash-1');
      await h.store.putPlaybook(fx.playbook(3));
      await h.store.bumpOfferStat('OFF-1', 'mid:price', true);
      await h.store.upsertCustomers(Array.from({ length: 3 }, (_, i) => fx.bundle(i + 1, 0)));
      const first = await h.store.snapshotPage(null, 2);
      expect(first.agents).toEqual([fx.agent(1), fx.agent(2)]);
      expect(JSON.stringify(first)).not.toContain('secret-hash');
      expect(first.playbook).toEqual(fx.playbook(3));
      expect(first.offerStats).toEqual([{ offerId: 'OFF-1', segment: 'mid:price', made: 1, accepted: 1 }]);
      const second = await h.store.snapshotPage(first.nextCursor, 2);
      expect(second.customers.map((c) => c.id)).toEqual(['C-0003']);
      expect(second).toMatchObject({ agents: [], playbook: null, offerStats: [] });
    });

    it('sends an empty h.store as one empty page', async () => {
      expect(await h.store.snapshotPage(null, 10)).toEqual({
        asOfSeq: 0, totalCustomers: 0, customers: [], scores: [], interactions: [], agents: [], playbook: null, offerStats: [], models: [], nextCursor: null,
      });
    });

    it('converges with the feed: snapshot pages plus changes after the first asOfSeq equal the h.store', async () => {
      await h.store.upsertCustomers(Array.from({ length: 25 }, (_, i) => fx.bundle(i + 1, 2)));
      const customers = new Map<string, CustomerProfile>();
      const scores = new Map<string, CustomerScores>();
      const interactions = new Map<string, Interaction>();
      const take = (page: Awaited<ReturnType<ServerStore['snapshotPage']>>): void => {
        for (const c of page.customers) customers.set(c.id, c);
        for (const s of page.scores) scores.set(s.customerId, s);
        for (const i of page.interactions) interactions.set(i.id, i);
      };

      const first = await h.store.snapshotPage(null, 10);
      take(first);
      expect(first.asOfSeq).toBe(await h.store.lastSeq());
      // Writes land between pages: to a customer already sent, one still to come, and a new one.
      await h.store.upsertCustomers([
        { ...fx.bundle(3, 0), customer: fx.customer(3, { givenName: 'Changed3' }), scores: fx.scores(3, { clv: 9 }) },
        { ...fx.bundle(20, 0), customer: fx.customer(20, { givenName: 'Changed20' }) },
        fx.bundle(30, 1),
      ]);
      await h.store.appendInteraction(fx.interaction(5, 42));
      const second = await h.store.snapshotPage(first.nextCursor, 10);
      take(second);
      expect(second.asOfSeq).toBe(await h.store.lastSeq());
      expect(second.customers.find((c) => c.id === 'C-0020')?.givenName).toBe('Changed20');
      const third = await h.store.snapshotPage(second.nextCursor, 10);
      take(third);
      expect(third.nextCursor).toBeNull();
      expect(third.totalCustomers).toBe(26);

      for (const change of await allChanges(h.store, first.asOfSeq, 3)) {
        if (change.entity === 'customer') customers.set(change.data.id, change.data);
        if (change.entity === 'scores') scores.set(change.data.customerId, change.data);
        if (change.entity === 'interaction') interactions.set(change.data.id, change.data);
      }
      expect(customers.size).toBe(26);
      for (const id of customers.keys()) {
        const truth = await h.store.customerBundle(id);
        expect(customers.get(id)).toEqual(truth?.customer);
        expect(scores.get(id) ?? null).toEqual(truth?.scores);
        const local = [...interactions.values()].filter((i) => i.customerId === id).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
        expect(local).toEqual(truth?.interactions);
      }
      expect(customers.get('C-0003')?.givenName).toBe('Changed3');
    });

    it('keeps each page consistent with its asOfSeq while writers run', async () => {
      const count = 40;
      await h.store.upsertCustomers(Array.from({ length: count }, (_, i) => fx.bundle(i + 1, 0)));
      const base = await h.store.lastSeq();
      const pages: Awaited<ReturnType<ServerStore['snapshotPage']>>[] = [];
      let writersDone = false;
      // A few readers at once, so snapshots overlap the writes at many points.
      const readers = Promise.all([1, 2, 3].map(async () => {
        while (!writersDone) pages.push(await h.store.snapshotPage(null, count));
      }));
      await Promise.all(Array.from({ length: count }, (_, i) =>
        h.store.upsertCustomers([{ customer: fx.customer(i + 1, { givenName: 'Updated' }), scores: null, interactions: [] }])));
      writersDone = true;
      await readers;

      const updatedAt = new Map((await allChanges(h.store, base)).map((c) => [changeKey(c), c.seq]));
      expect(pages.length).toBeGreaterThan(0);
      for (const page of pages) {
        for (const c of page.customers) {
          const seq = updatedAt.get(`customer:${c.id}`) ?? Infinity;
          expect(c.givenName === 'Updated', `${c.id} at asOfSeq ${page.asOfSeq}, updated at ${seq}`).toBe(seq <= page.asOfSeq);
        }
      }
    });
  });

  describe('scoped to an agent\'s languages', () => {
    const inLanguage = (n: number, language: CustomerProfile['language']) => ({ ...fx.bundle(n, 1), customer: fx.customer(n, { language }) });

    it('holds only the customers of the scope (with their scores and history) in snapshot pages and the feed', async () => {
      await h.store.upsertCustomers([inLanguage(1, 'en'), inLanguage(2, 'ru'), inLanguage(3, 'es'), inLanguage(4, 'ru'), inLanguage(5, 'en')]);
      await h.store.appendInteraction(fx.interaction(2, 9));
      const scope = { languages: ['en', 'es'] as Array<CustomerProfile['language']> };
      const ids = [fx.customer(1).id, fx.customer(3).id, fx.customer(5).id];

      const first = await h.store.snapshotPage(null, 2, scope);
      expect(first.totalCustomers).toBe(3);
      expect(first.customers.map((c) => c.id)).toEqual(ids.slice(0, 2));
      expect(first.scores.map((s) => s.customerId).sort()).toEqual(ids.slice(0, 2));
      expect(new Set(first.interactions.map((i) => i.customerId))).toEqual(new Set(ids.slice(0, 2)));
      const second = await h.store.snapshotPage(first.nextCursor, 2, scope);
      expect(second.customers.map((c) => c.id)).toEqual(ids.slice(2));
      expect(second.nextCursor).toBeNull();
      // The wire form is the same page.
      expect(JSON.parse(await h.store.snapshotPageJson(null, 2, scope))).toEqual(first);

      const feed = await h.store.changesAfter(0, 1000, scope);
      const customersInFeed = new Set(feed.changes.flatMap((c) => (c.entity === 'customer' ? [c.data.id] : c.entity === 'scores' || c.entity === 'interaction' ? [c.data.customerId] : [])));
      expect(customersInFeed).toEqual(new Set(ids));
      expect(feed.lastSeq).toBe(await h.store.lastSeq());
      // Unscoped readers (supervisors) still get the whole book; an empty scope gets none of it.
      expect((await h.store.snapshotPage(null, 100)).totalCustomers).toBe(5);
      expect((await h.store.snapshotPage(null, 100, { languages: [] })).customers).toEqual([]);
    });

    it('moves a customer into the scope when its language is corrected', async () => {
      await h.store.upsertCustomers([inLanguage(7, 'ru')]);
      const scope = { languages: ['en' as const] };
      expect((await h.store.snapshotPage(null, 10, scope)).customers).toEqual([]);
      const after = await h.store.lastSeq();
      await h.store.applyProfileEdit({ customerId: fx.customer(7).id, field: 'language', value: 'en', hlc: '000001700000000-00000-test' });
      expect((await h.store.snapshotPage(null, 10, scope)).customers.map((c) => c.id)).toEqual([fx.customer(7).id]);
      expect((await h.store.changesAfter(after, 10, scope)).changes.map((c) => c.entity)).toEqual(['customer']);
    });
  });
});

