import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '@shared/contract/sync';
import type { CustomerProfile, CustomerScores } from '@shared/domain/customer';
import type { Interaction } from '@shared/domain/interaction';
import { DatabaseTooNewError } from '@shared/storage/migrations';
import { formatHlc } from '@shared/sync/hlc';
import type { ServerStore } from '../../../src-server/store/server-store';
import { postgresBackend, sqliteBackend, type StoreBackend } from './backends';
import * as fx from './fixtures';

const stamp = (wallMs: number, node = 'desk-1'): string => formatHlc({ wallMs, counter: 0, node });

/** How far behind a desktop may fall before the feed asks it to take a snapshot; both stores use this figure. */
const FEED_SNAPSHOT_THRESHOLD = 50_000;

async function allChanges(store: ServerStore, afterSeq = 0, pageSize = 1000): Promise<Change[]> {
  const changes: Change[] = [];
  let position = afterSeq;
  for (;;) {
    const page = await store.changesAfter(position, pageSize);
    changes.push(...page.changes);
    if (page.changes.length === 0 || page.lastSeq === position) return changes;
    position = page.lastSeq;
  }
}

const changeKey = (change: Change): string => {
  switch (change.entity) {
    case 'customer': case 'interaction': case 'agent': return `${change.entity}:${change.data.id}`;
    case 'scores': return `scores:${change.data.customerId}`;
    case 'playbook': return 'playbook';
    case 'offer_stat': return `offer_stat:${change.data.offerId}:${change.data.segment}`;
    case 'model': return `model:${change.data.kind}`;
  }
};

describe.each([sqliteBackend(), postgresBackend()])('ServerStore contract: $name', (backend: StoreBackend) => {
  let store: ServerStore;
  let open: ServerStore[] = [];
  const reopen = async (): Promise<ServerStore> => {
    await store.close();
    store = await backend.open();
    open.push(store);
    return store;
  };

  beforeAll(() => backend.init());
  afterAll(() => backend.dispose());
  beforeEach(async () => {
    await backend.reset();
    store = await backend.open();
    open = [store];
  });
  afterEach(async () => {
    for (const s of open) await s.close();
  });

  describe('schema', () => {
    it('opens empty, and opens again without migrating twice', async () => {
      expect(await store.lastSeq()).toBe(0);
      expect(await store.customerCount()).toBe(0);
      expect(await store.playbook()).toBeNull();
      await reopen();
      expect(await store.lastSeq()).toBe(0);
    });

    it('refuses a database written by a newer app', async () => {
      await store.close();
      await backend.setSchemaVersion(99);
      const opening = backend.open();
      await expect(opening).rejects.toBeInstanceOf(DatabaseTooNewError);
      await expect(opening).rejects.toThrow(/schema version 99/);
    });
  });

  describe('agents', () => {
    it('upserts and finds agents by username, listing them by id', async () => {
      await store.upsertAgent(fx.agent(2), 'hash-2');
      await store.upsertAgent(fx.agent(1, { role: 'supervisor' }), 'hash-1');
      expect(await store.agentByUsername('agent1')).toEqual({ agent: fx.agent(1, { role: 'supervisor' }), passwordHash: 'hash-1' });
      expect(await store.agentByUsername('nobody')).toBeNull();
      expect((await store.listAgents()).map((a) => a.id)).toEqual(['A-0001', 'A-0002']);

      await store.upsertAgent(fx.agent(1, { username: 'renamed', displayName: 'Renamed' }), 'hash-1b');
      expect(await store.agentByUsername('agent1')).toBeNull();
      expect(await store.agentByUsername('renamed')).toEqual({ agent: fx.agent(1, { username: 'renamed', displayName: 'Renamed' }), passwordHash: 'hash-1b' });
      expect(await store.listAgents()).toHaveLength(2);
    });
  });

  describe('customers', () => {
    it('writes a batch with phones, scores and history, and finds customers by phone and account', async () => {
      const shared = fx.customer(1).phones[0] ?? '';
      const first = fx.bundle(1, 3);
      // Stored out of order: the bundle must come back in time order.
      first.interactions.reverse();
      await store.upsertCustomers([
        { ...first, transactions: [fx.transaction(1, 0), fx.transaction(1, 1)], churnLabel: true },
        { customer: fx.customer(2), scores: null, interactions: [] },
        { ...fx.bundle(3, 1), customer: fx.customer(3, { accountId: 'ACC-0001', phones: [shared, '+15550009999'] }) },
      ]);

      expect(await store.customerCount()).toBe(3);
      expect(await store.customerBundle('C-0001')).toEqual({ customer: fx.customer(1), scores: fx.scores(1), interactions: [0, 1, 2].map((k) => fx.interaction(1, k)) });
      expect(await store.customerBundle('C-0002')).toEqual({ customer: fx.customer(2), scores: null, interactions: [] });
      expect(await store.customerBundle('C-9999')).toBeNull();
      expect((await store.customerIdsByPhone(shared)).sort()).toEqual(['C-0001', 'C-0003']);
      expect(await store.customerIdsByPhone('+15550009999')).toEqual(['C-0003']);
      expect(await store.customerIdsByPhone('+10000000000')).toEqual([]);
      expect((await store.customerIdsByAccount('ACC-0001')).sort()).toEqual(['C-0001', 'C-0003']);
      expect(await store.customerIdsByAccount('ACC-0002')).toEqual(['C-0002']);
    });

    it('replaces a customer on re-upsert: new phones replace old, absent scores keep the old ones', async () => {
      await store.upsertCustomers([fx.bundle(1, 1)]);
      const moved = fx.customer(1, { givenName: 'Moved', phones: ['+15551112222'] });
      await store.upsertCustomers([{ customer: moved, scores: null, interactions: [fx.interaction(1, 5)] }]);

      expect(await store.customerCount()).toBe(1);
      expect(await store.customerIdsByPhone(fx.customer(1).phones[0] ?? '')).toEqual([]);
      expect(await store.customerIdsByPhone('+15551112222')).toEqual(['C-0001']);
      expect(await store.customerBundle('C-0001')).toEqual({ customer: moved, scores: fx.scores(1), interactions: [fx.interaction(1, 0), fx.interaction(1, 5)] });
    });

    it('lets the later copy win when a batch repeats a customer', async () => {
      await store.upsertCustomers([
        { customer: fx.customer(4, { givenName: 'First', phones: ['+15550000001'] }), scores: fx.scores(4, { clv: 1 }), interactions: [fx.interaction(4, 0, { summary: 'first' })] },
        { customer: fx.customer(4, { givenName: 'Second', phones: ['+15550000002'] }), scores: fx.scores(4, { clv: 2 }), interactions: [fx.interaction(4, 0, { summary: 'second' })] },
      ]);
      const stored = await store.customerBundle('C-0004');
      expect(stored?.customer.givenName).toBe('Second');
      expect(stored?.scores?.clv).toBe(2);
      expect(stored?.interactions.map((i) => i.summary)).toEqual(['second']);
      expect(await store.customerIdsByPhone('+15550000001')).toEqual([]);
      expect(await store.customerIdsByPhone('+15550000002')).toEqual(['C-0004']);
      expect(await store.customerCount()).toBe(1);
    });

    it('appends an interaction to a customer history', async () => {
      await store.upsertCustomers([fx.bundle(2, 0)]);
      const note = fx.interaction(2, 9, { channel: 'chat', promise: 'Credit of $20 on next bill' });
      await store.appendInteraction(note);
      expect((await store.customerBundle('C-0002'))?.interactions).toEqual([note]);
    });

    it('applies a profile edit only when its clock stamp is newer, and feeds the change out', async () => {
      await store.upsertCustomers([fx.bundle(1, 0)]);
      const before = await store.lastSeq();

      const first = await store.applyProfileEdit({ customerId: 'C-0001', field: 'email', value: 'new@example.test', hlc: stamp(2000) });
      expect(first.applied).toBe(true);
      expect(first.customer?.email).toBe('new@example.test');
      expect((await store.customerBundle('C-0001'))?.customer).toEqual(first.customer);
      const fed = await store.changesAfter(before, 10);
      expect(fed.changes).toHaveLength(1);
      expect(fed.changes[0]).toMatchObject({ entity: 'customer', data: first.customer });

      const older = await store.applyProfileEdit({ customerId: 'C-0001', field: 'email', value: 'old@example.test', hlc: stamp(1000) });
      expect(older).toEqual({ applied: false, customer: first.customer });
      const again = await store.applyProfileEdit({ customerId: 'C-0001', field: 'email', value: 'new@example.test', hlc: stamp(2000) });
      expect(again.applied).toBe(false);
      expect(await store.lastSeq()).toBe(fed.lastSeq);

      expect(await store.applyProfileEdit({ customerId: 'C-9999', field: 'doNotCall', value: true, hlc: stamp(3000) })).toEqual({ applied: false, customer: null });
    });

    it('keeps concurrent edits to different fields of one customer', async () => {
      await store.upsertCustomers([fx.bundle(1, 0)]);
      const results = await Promise.all([
        store.applyProfileEdit({ customerId: 'C-0001', field: 'email', value: 'both@example.test', hlc: stamp(5000, 'desk-a') }),
        store.applyProfileEdit({ customerId: 'C-0001', field: 'doNotCall', value: true, hlc: stamp(5000, 'desk-b') }),
        store.applyProfileEdit({ customerId: 'C-0001', field: 'language', value: 'es', hlc: stamp(5000, 'desk-c') }),
      ]);
      expect(results.map((r) => r.applied)).toEqual([true, true, true]);
      const stored = (await store.customerBundle('C-0001'))?.customer;
      expect(stored).toMatchObject({ email: 'both@example.test', doNotCall: true, language: 'es' });
      expect(stored?.fieldClocks).toEqual({ email: stamp(5000, 'desk-a'), doNotCall: stamp(5000, 'desk-b'), language: stamp(5000, 'desk-c') });
    });

    it('samples callers from stored customers that have a phone', async () => {
      await store.upsertCustomers([
        ...Array.from({ length: 6 }, (_, i) => fx.bundle(i + 1, 0)),
        { customer: fx.customer(7, { phones: [] }), scores: null, interactions: [] },
      ]);
      const known = new Map(Array.from({ length: 6 }, (_, i) => fx.customer(i + 1)).map((c) => [c.phones[0], { phone: c.phones[0], accountId: c.accountId, language: c.language }]));
      // Both stores sample `count` customers and then drop any without a phone, so one fewer may come back.
      const sample = await store.sampleCallers(3);
      expect(sample.length).toBeGreaterThanOrEqual(2);
      expect(sample.length).toBeLessThanOrEqual(3);
      expect(new Set(sample.map((c) => c.phone)).size).toBe(sample.length);
      for (const caller of sample) expect(known.get(caller.phone)).toEqual(caller);
      const everyone = await store.sampleCallers(50);
      expect(everyone.map((c) => c.phone).sort()).toEqual([...known.keys()].sort());
    });

    it('writes nothing for an empty batch', async () => {
      await store.upsertCustomers([]);
      expect(await store.lastSeq()).toBe(0);
    });
  });

  describe('change feed', () => {
    async function writeOneOfEach(): Promise<void> {
      await store.upsertAgent(fx.agent(1), 'secret-hash');
      await store.upsertCustomers([fx.bundle(1, 2), fx.bundle(2, 1)]);
      await store.putPlaybook(fx.playbook('v1'));
      await store.bumpOfferStat('OFF-1', 'mid:price', true);
      await store.appendInteraction(fx.interaction(2, 7));
    }

    it('lists every change in sequence order, with the entity data', async () => {
      await writeOneOfEach();
      const page = await store.changesAfter(0, 100);
      expect(page.snapshotRequired).toBe(false);
      expect(page.changes.map((c) => c.entity)).toEqual([
        'agent', 'customer', 'scores', 'interaction', 'interaction', 'customer', 'scores', 'interaction', 'playbook', 'offer_stat', 'interaction',
      ]);
      const seqs = page.changes.map((c) => c.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(page.lastSeq).toBe(seqs[seqs.length - 1]);
      expect(await store.lastSeq()).toBe(page.lastSeq);

      expect(page.changes[0]?.data).toEqual(fx.agent(1));
      expect(JSON.stringify(page.changes)).not.toContain('secret-hash');
      expect(page.changes[1]?.data).toEqual(fx.customer(1));
      expect(page.changes[2]?.data).toEqual(fx.scores(1));
      expect(page.changes[8]?.data).toEqual(fx.playbook('v1'));
      expect(page.changes[9]?.data).toEqual({ offerId: 'OFF-1', segment: 'mid:price', made: 1, accepted: 1 });
      expect(page.changes[10]?.data).toEqual(fx.interaction(2, 7));
    });

    it('pages with a limit, and the pages join up to the whole feed', async () => {
      await writeOneOfEach();
      const whole = (await store.changesAfter(0, 100)).changes;

      const first = await store.changesAfter(0, 4);
      expect(first.changes).toEqual(whole.slice(0, 4));
      expect(first.lastSeq).toBe(whole[3]?.seq);
      const second = await store.changesAfter(first.lastSeq, 4);
      expect(second.changes).toEqual(whole.slice(4, 8));
      const third = await store.changesAfter(second.lastSeq, 4);
      expect(third.changes).toEqual(whole.slice(8));
      expect(third.lastSeq).toBe(await store.lastSeq());

      const midway = whole[5]?.seq ?? -1;
      expect((await store.changesAfter(midway, 100)).changes).toEqual(whole.slice(6));
      const caughtUp = await store.changesAfter(await store.lastSeq(), 100);
      expect(caughtUp).toEqual({ changes: [], lastSeq: await store.lastSeq(), snapshotRequired: false });
    });

    it('keeps a full last page and an empty next page in step', async () => {
      await store.upsertCustomers([fx.bundle(1, 1)]);
      const full = await store.changesAfter(0, 3);
      expect(full.changes).toHaveLength(3);
      expect(full.lastSeq).toBe(await store.lastSeq());
      expect(await store.changesAfter(full.lastSeq, 3)).toEqual({ changes: [], lastSeq: full.lastSeq, snapshotRequired: false });
    });

    it('holds one entry per entity: a rewrite moves it to the end of the feed', async () => {
      await writeOneOfEach();
      const before = await store.lastSeq();
      await store.upsertAgent(fx.agent(1, { displayName: 'Renamed' }), 'secret-hash');
      const after = await store.changesAfter(before, 100);
      expect(after.changes).toHaveLength(1);
      expect(after.changes[0]?.data).toEqual(fx.agent(1, { displayName: 'Renamed' }));
      expect(after.changes[0]?.seq).toBeGreaterThan(before);
      const whole = (await store.changesAfter(0, 100)).changes;
      expect(whole.filter((c) => c.entity === 'agent')).toHaveLength(1);
      expect(whole.at(-1)?.entity).toBe('agent');
    });

    it('asks a desktop to take a snapshot when it is too far behind', async () => {
      // 500 customers x (profile + scores + 100 interactions) = 51,000 changes in one batch.
      await store.upsertCustomers(Array.from({ length: 500 }, (_, n) => fx.bundle(n, 100)));
      const last = await store.lastSeq();
      expect(last).toBeGreaterThan(FEED_SNAPSHOT_THRESHOLD);

      expect(await store.changesAfter(0, 10)).toEqual({ changes: [], lastSeq: last, snapshotRequired: true });
      expect((await store.changesAfter(last - FEED_SNAPSHOT_THRESHOLD - 1, 10)).snapshotRequired).toBe(true);
      const nearEnough = await store.changesAfter(last - FEED_SNAPSHOT_THRESHOLD, 10);
      expect(nearEnough.snapshotRequired).toBe(false);
      expect(nearEnough.changes).toHaveLength(10);
      expect(nearEnough.changes[0]?.seq).toBeGreaterThan(last - FEED_SNAPSHOT_THRESHOLD);
      expect((await store.changesAfter(last - 3, 10)).changes.map((c) => c.seq)).toEqual([last - 2, last - 1, last]);
    });

    it('never lets a tailing reader miss a change while writers run concurrently', async () => {
      await store.upsertCustomers([fx.bundle(1, 0)]);
      const seen = new Map<string, number>();
      let writersDone = false;
      const reader = (async () => {
        let position = 0;
        for (;;) {
          const finished = writersDone;
          const page = await store.changesAfter(position, 7);
          for (const change of page.changes) seen.set(changeKey(change), change.seq);
          position = page.lastSeq;
          if (finished && page.changes.length === 0) return;
        }
      })();
      await Promise.all(Array.from({ length: 60 }, async (_, k) => {
        if (k % 3 === 0) await store.appendInteraction(fx.interaction(1, k));
        else if (k % 3 === 1) await store.upsertAgent(fx.agent(k), `hash-${k}`);
        else await store.bumpOfferStat(`OFF-${k % 4}`, 'mid:price', k % 2 === 0);
      }));
      writersDone = true;
      await reader;

      const final = await allChanges(store);
      expect(final.length).toBeGreaterThan(40);
      for (const change of final) expect(seen.get(changeKey(change)), changeKey(change)).toBe(change.seq);
    });
  });

  describe('snapshot', () => {
    it('pages customers by id with their scores and interactions', async () => {
      await store.upsertCustomers(Array.from({ length: 12 }, (_, i) => fx.bundle(12 - i, 2)));
      const asOf = await store.lastSeq();
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await store.snapshotPage(cursor, 4);
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
      await store.upsertAgent(fx.agent(2), 'secret-hash-2');
      await store.upsertAgent(fx.agent(1), 'secret-hash-1');
      await store.putPlaybook(fx.playbook('v3'));
      await store.bumpOfferStat('OFF-1', 'mid:price', true);
      await store.upsertCustomers(Array.from({ length: 3 }, (_, i) => fx.bundle(i + 1, 0)));
      const first = await store.snapshotPage(null, 2);
      expect(first.agents).toEqual([fx.agent(1), fx.agent(2)]);
      expect(JSON.stringify(first)).not.toContain('secret-hash');
      expect(first.playbook).toEqual(fx.playbook('v3'));
      expect(first.offerStats).toEqual([{ offerId: 'OFF-1', segment: 'mid:price', made: 1, accepted: 1 }]);
      const second = await store.snapshotPage(first.nextCursor, 2);
      expect(second.customers.map((c) => c.id)).toEqual(['C-0003']);
      expect(second).toMatchObject({ agents: [], playbook: null, offerStats: [] });
    });

    it('sends an empty store as one empty page', async () => {
      expect(await store.snapshotPage(null, 10)).toEqual({
        asOfSeq: 0, totalCustomers: 0, customers: [], scores: [], interactions: [], agents: [], playbook: null, offerStats: [], models: [], nextCursor: null,
      });
    });

    it('converges with the feed: snapshot pages plus changes after the first asOfSeq equal the store', async () => {
      await store.upsertCustomers(Array.from({ length: 25 }, (_, i) => fx.bundle(i + 1, 2)));
      const customers = new Map<string, CustomerProfile>();
      const scores = new Map<string, CustomerScores>();
      const interactions = new Map<string, Interaction>();
      const take = (page: Awaited<ReturnType<ServerStore['snapshotPage']>>): void => {
        for (const c of page.customers) customers.set(c.id, c);
        for (const s of page.scores) scores.set(s.customerId, s);
        for (const i of page.interactions) interactions.set(i.id, i);
      };

      const first = await store.snapshotPage(null, 10);
      take(first);
      expect(first.asOfSeq).toBe(await store.lastSeq());
      // Writes land between pages: to a customer already sent, one still to come, and a new one.
      await store.upsertCustomers([
        { ...fx.bundle(3, 0), customer: fx.customer(3, { givenName: 'Changed3' }), scores: fx.scores(3, { clv: 9 }) },
        { ...fx.bundle(20, 0), customer: fx.customer(20, { givenName: 'Changed20' }) },
        fx.bundle(30, 1),
      ]);
      await store.appendInteraction(fx.interaction(5, 42));
      const second = await store.snapshotPage(first.nextCursor, 10);
      take(second);
      expect(second.asOfSeq).toBe(await store.lastSeq());
      expect(second.customers.find((c) => c.id === 'C-0020')?.givenName).toBe('Changed20');
      const third = await store.snapshotPage(second.nextCursor, 10);
      take(third);
      expect(third.nextCursor).toBeNull();
      expect(third.totalCustomers).toBe(26);

      for (const change of await allChanges(store, first.asOfSeq, 3)) {
        if (change.entity === 'customer') customers.set(change.data.id, change.data);
        if (change.entity === 'scores') scores.set(change.data.customerId, change.data);
        if (change.entity === 'interaction') interactions.set(change.data.id, change.data);
      }
      expect(customers.size).toBe(26);
      for (const id of customers.keys()) {
        const truth = await store.customerBundle(id);
        expect(customers.get(id)).toEqual(truth?.customer);
        expect(scores.get(id) ?? null).toEqual(truth?.scores);
        const local = [...interactions.values()].filter((i) => i.customerId === id).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
        expect(local).toEqual(truth?.interactions);
      }
      expect(customers.get('C-0003')?.givenName).toBe('Changed3');
    });

    it('keeps each page consistent with its asOfSeq while writers run', async () => {
      const count = 40;
      await store.upsertCustomers(Array.from({ length: count }, (_, i) => fx.bundle(i + 1, 0)));
      const base = await store.lastSeq();
      const pages: Awaited<ReturnType<ServerStore['snapshotPage']>>[] = [];
      let writersDone = false;
      // A few readers at once, so snapshots overlap the writes at many points.
      const readers = Promise.all([1, 2, 3].map(async () => {
        while (!writersDone) pages.push(await store.snapshotPage(null, count));
      }));
      await Promise.all(Array.from({ length: count }, (_, i) =>
        store.upsertCustomers([{ customer: fx.customer(i + 1, { givenName: 'Updated' }), scores: null, interactions: [] }])));
      writersDone = true;
      await readers;

      const updatedAt = new Map((await allChanges(store, base)).map((c) => [changeKey(c), c.seq]));
      expect(pages.length).toBeGreaterThan(0);
      for (const page of pages) {
        for (const c of page.customers) {
          const seq = updatedAt.get(`customer:${c.id}`) ?? Infinity;
          expect(c.givenName === 'Updated', `${c.id} at asOfSeq ${page.asOfSeq}, updated at ${seq}`).toBe(seq <= page.asOfSeq);
        }
      }
    });
  });

  describe('playbook and offer stats', () => {
    it('stores and replaces the playbook', async () => {
      await store.putPlaybook(fx.playbook('v1'));
      await store.putPlaybook(fx.playbook('v2'));
      expect(await store.playbook()).toEqual(fx.playbook('v2'));
      expect((await store.changesAfter(0, 10)).changes.filter((c) => c.entity === 'playbook')).toHaveLength(1);
    });

    it('counts offers made and accepted per offer and segment', async () => {
      expect(await store.bumpOfferStat('OFF-1', 'mid:price', true)).toEqual({ offerId: 'OFF-1', segment: 'mid:price', made: 1, accepted: 1 });
      expect(await store.bumpOfferStat('OFF-1', 'mid:price', false)).toEqual({ offerId: 'OFF-1', segment: 'mid:price', made: 2, accepted: 1 });
      expect(await store.bumpOfferStat('OFF-1', 'high:service', false)).toEqual({ offerId: 'OFF-1', segment: 'high:service', made: 1, accepted: 0 });
      const stats = (await store.offerStats()).sort((a, b) => a.segment.localeCompare(b.segment));
      expect(stats).toEqual([
        { offerId: 'OFF-1', segment: 'high:service', made: 1, accepted: 0 },
        { offerId: 'OFF-1', segment: 'mid:price', made: 2, accepted: 1 },
      ]);
    });

    it('loses no count under concurrent bumps', async () => {
      await Promise.all(Array.from({ length: 20 }, (_, k) => store.bumpOfferStat('OFF-2', 'low:usage', k % 2 === 0)));
      expect(await store.offerStats()).toEqual([{ offerId: 'OFF-2', segment: 'low:usage', made: 20, accepted: 10 }]);
      const feed = (await store.changesAfter(0, 100)).changes;
      expect(feed).toHaveLength(1);
      expect(feed[0]?.data).toEqual({ offerId: 'OFF-2', segment: 'low:usage', made: 20, accepted: 10 });
    });
  });

  describe('calls', () => {
    it('saves calls and lists the open ones by creation time', async () => {
      const calls = [fx.call(1, 'queued', 50), fx.call(2, 'offered', 10), fx.call(3, 'connected', 30), fx.call(4, 'wrap_up', 40), fx.call(5, 'completed', 20), fx.call(6, 'abandoned', 5)];
      for (const c of calls) await store.saveCall(c);
      expect(await store.openCalls()).toEqual([calls[1], calls[2], calls[3], calls[0]]);

      await store.saveCall({ ...fx.call(1, 'completed', 50), endedAt: '2025-01-01T10:00:00.000Z' });
      expect((await store.openCalls()).map((c) => c.id)).toEqual(['CALL-0002', 'CALL-0003', 'CALL-0004']);
      expect(await store.lastSeq()).toBe(0);
    });

    it('knows every call id ever saved, finished ones too, so ids are never reused', async () => {
      await store.saveCall(fx.call(7, 'completed', 5));
      await store.saveCall(fx.call(8, 'queued', 6));
      expect(await store.callExists('CALL-0007')).toBe(true);
      expect(await store.callExists('CALL-0008')).toBe(true);
      expect(await store.callExists('CALL-0009')).toBe(false);
      expect(await store.callExists("CALL-0007' OR '1'='1")).toBe(false);
    });
  });

  describe('models and documents', () => {
    it('publishes model files to the feed and the first snapshot page, and keeps private documents out of both', async () => {
      const before = await store.lastSeq();
      await store.putModel('churn', { version: 'v1', trees: [] });
      await store.putDocument('router-state', { learnt: 3 });
      expect(await store.model('churn')).toEqual({ version: 'v1', trees: [] });
      expect(await store.document('router-state')).toEqual({ learnt: 3 });
      const feed = await store.changesAfter(before, 100);
      expect(feed.changes).toEqual([{ seq: before + 1, entity: 'model', data: { kind: 'churn', model: { version: 'v1', trees: [] } } }]);
      expect((await store.snapshotPage(null, 10)).models).toEqual([{ kind: 'churn', model: { version: 'v1', trees: [] } }]);
      await expect(store.putDocument('model:sneaky', {})).rejects.toThrow(/feed document/);
    });

    it('lists outreach candidates by expected value at risk', async () => {
      await store.upsertCustomers([1, 2, 3].map((n) => ({ ...fx.bundle(n, 0), scores: fx.scores(n, { valueAtRisk: n === 2 ? 500 : n }) })));
      expect((await store.customersByValueAtRisk(2)).map((r) => r.customer.id)).toEqual([fx.customerId(2), fx.customerId(3)]);
    });
  });

  describe('outcomes', () => {
    it('applies a wrap-up once: a repeat of its id returns false and changes nothing', async () => {
      expect(await store.insertOutcome(fx.outcome(1))).toBe(true);
      expect(await store.insertOutcome(fx.outcome(1, { notes: 'a retry with other notes' }))).toBe(false);
      expect(await store.recentOutcomes(10)).toEqual([fx.outcome(1)]);
    });

    it('applies a batch in one go: new ids with their history and offer counts, repeats changed nothing', async () => {
      await store.upsertCustomers([fx.bundle(1, 0)]);
      const seqBefore = await store.lastSeq();
      const write = (n: number, offer: boolean) => ({
        outcome: fx.outcome(n, { customerId: fx.customerId(1) }),
        interaction: fx.interaction(1, 100 + n),
        offerStat: offer ? { offerId: 'renewal-bonus', segment: 'mid:contract', accepted: n % 2 === 0 } : null,
      });
      expect(await store.applyOutcomes([write(1, true), write(2, true), write(1, true), write(3, false)])).toEqual([true, true, false, true]);
      expect(await store.applyOutcomes([write(2, true)])).toEqual([false]);
      expect((await store.recentOutcomes(10)).map((o) => o.id).sort()).toEqual([fx.outcomeId(1), fx.outcomeId(2), fx.outcomeId(3)].sort());
      expect(await store.offerStats()).toEqual([{ offerId: 'renewal-bonus', segment: 'mid:contract', made: 2, accepted: 1 }]);
      expect((await store.customerBundle(fx.customerId(1)))?.interactions).toHaveLength(3);
      const feed = await store.changesAfter(seqBefore, 100);
      expect(feed.changes.filter((c) => c.entity === 'interaction')).toHaveLength(3);
      expect(await store.applyOutcomes([])).toEqual([]);
    });

    it('applies exactly one of twenty concurrent inserts of one id', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => store.insertOutcome(fx.outcome(7))));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.recentOutcomes(50)).toEqual([fx.outcome(7)]);
    });

    it('keeps any text a note holds, NUL and non-BMP characters included', async () => {
      const odd = fx.outcome(2, { notes: 'before\u0000after \u{1F600} "quoted" \\ back', summary: 'שלום مرحبا 你好' });
      await store.insertOutcome(odd);
      expect(await store.recentOutcomes(1)).toEqual([odd]);
    });

    it('lists recent outcomes newest first, later arrivals first on a tie', async () => {
      const at = (minute: number): string => new Date(Date.UTC(2025, 0, 2, 9, minute)).toISOString();
      await store.insertOutcome(fx.outcome(1, { receivedAt: at(3) }));
      await store.insertOutcome(fx.outcome(2, { receivedAt: at(1) }));
      await store.insertOutcome(fx.outcome(3, { receivedAt: at(2) }));
      await store.insertOutcome(fx.outcome(4, { receivedAt: at(3) }));
      expect((await store.recentOutcomes(10)).map((o) => o.id)).toEqual([4, 1, 3, 2].map(fx.outcomeId));
      expect((await store.recentOutcomes(2)).map((o) => o.id)).toEqual([4, 1].map(fx.outcomeId));
    });

    it('totals calls and saves per agent since a time', async () => {
      const day = (d: number): string => new Date(Date.UTC(2025, 0, d, 12)).toISOString();
      await store.insertOutcome(fx.outcome(1, { agentId: 'A-1', disposition: 'retained', receivedAt: day(2) }));
      await store.insertOutcome(fx.outcome(2, { agentId: 'A-1', disposition: 'churned', receivedAt: day(2) }));
      await store.insertOutcome(fx.outcome(3, { agentId: 'A-2', disposition: 'retained', receivedAt: day(3) }));
      await store.insertOutcome(fx.outcome(4, { agentId: 'A-2', disposition: 'retained', receivedAt: day(2) }));
      await store.insertOutcome(fx.outcome(5, { agentId: 'A-3', disposition: 'retained', receivedAt: day(1) }));
      const totals = (await store.outcomeTotals(day(2))).sort((a, b) => a.agentId.localeCompare(b.agentId));
      expect(totals).toEqual([{ agentId: 'A-1', calls: 2, saves: 1 }, { agentId: 'A-2', calls: 2, saves: 2 }]);
      expect(await store.outcomeTotals(day(9))).toEqual([]);
    });
  });

  describe('restart', () => {
    it('keeps everything across close and reopen, and carries on the feed where it stopped', async () => {
      await store.upsertAgent(fx.agent(1), 'hash-1');
      await store.upsertCustomers([fx.bundle(1, 2), fx.bundle(2, 1)]);
      await store.putPlaybook(fx.playbook('v1'));
      await store.bumpOfferStat('OFF-1', 'mid:price', true);
      await store.saveCall(fx.call(1, 'connected'));
      await store.insertOutcome(fx.outcome(1));
      const feed = await store.changesAfter(0, 100);

      await reopen();
      expect(await store.agentByUsername('agent1')).toEqual({ agent: fx.agent(1), passwordHash: 'hash-1' });
      expect(await store.customerCount()).toBe(2);
      expect(await store.customerBundle('C-0001')).toEqual(fx.bundle(1, 2));
      expect(await store.customerIdsByPhone(fx.customer(2).phones[0] ?? '')).toEqual(['C-0002']);
      expect(await store.playbook()).toEqual(fx.playbook('v1'));
      expect(await store.offerStats()).toEqual([{ offerId: 'OFF-1', segment: 'mid:price', made: 1, accepted: 1 }]);
      expect(await store.openCalls()).toEqual([fx.call(1, 'connected')]);
      expect(await store.recentOutcomes(10)).toEqual([fx.outcome(1)]);
      expect(await store.insertOutcome(fx.outcome(1))).toBe(false);
      expect(await store.changesAfter(0, 100)).toEqual(feed);

      await store.appendInteraction(fx.interaction(2, 9));
      const next = await store.changesAfter(feed.lastSeq, 100);
      expect(next.changes).toHaveLength(1);
      expect(next.changes[0]?.seq).toBeGreaterThan(feed.lastSeq);
    });
  });
});

describe.each([sqliteBackend(), postgresBackend()])('ServerStore scoring contract: $name', (backend: StoreBackend) => {
  let store: ServerStore;

  beforeAll(() => backend.init());
  afterAll(() => backend.dispose());
  beforeEach(async () => {
    await backend.reset();
    store = await backend.open();
  });
  afterEach(async () => {
    await store.close();
  });

  const txn = (n: number, k: number, kind: 'invoice' | 'payment' | 'payment_failed' | 'purchase', amount = 20): ReturnType<typeof fx.transaction> =>
    ({ ...fx.transaction(n, k), id: `T-${n}-${k}-${kind}`, kind, amount });

  it('counts labelled and churned customers; an unknown label in a later write keeps the known one', async () => {
    expect(await store.churnLabelCounts()).toEqual({ labelled: 0, churned: 0 });
    await store.upsertCustomers([
      { ...fx.bundle(1, 0), churnLabel: true },
      { ...fx.bundle(2, 0), churnLabel: false },
      { ...fx.bundle(3, 0), churnLabel: null },
      { ...fx.bundle(4, 0), churnLabel: true },
    ]);
    await store.upsertCustomers([{ ...fx.bundle(4, 0), churnLabel: null }]);
    expect(await store.churnLabelCounts()).toEqual({ labelled: 3, churned: 2 });
  });

  it('pages scoring inputs by id with label, scores, interactions in time order and transactions of the asked kinds', async () => {
    await store.upsertCustomers([
      { ...fx.bundle(2, 0), scores: null, interactions: [fx.interaction(2, 7), fx.interaction(2, 3)], churnLabel: false, transactions: [txn(2, 1, 'invoice'), txn(2, 1, 'payment'), txn(2, 2, 'payment_failed')] },
      { ...fx.bundle(1, 1), churnLabel: true, transactions: [txn(1, 5, 'purchase', 99.5), txn(1, 1, 'payment')] },
      { ...fx.bundle(3, 0), churnLabel: null },
    ]);
    const first = await store.scoringInputs(null, 2, { transactionKinds: ['payment', 'purchase', 'payment_failed'] });
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

    const rest = await store.scoringInputs(first.nextCursor, 2);
    expect(rest.rows.map((r) => [r.customer.id, r.churnLabel, r.transactions.length])).toEqual([['C-0003', null, 0]]);
    expect(rest.nextCursor).toBeNull();
    const everything = await store.scoringInputs(null, 10);
    expect(everything.rows[1]?.transactions.map((t) => t.kind).sort()).toEqual(['invoice', 'payment', 'payment_failed']);
    expect(await store.scoringInputs('C-0003', 10)).toEqual({ rows: [], nextCursor: null });
    await expect(store.scoringInputs(null, 0)).rejects.toThrow(RangeError);
  });

  it('writes scores as feed changes, skipping unknown customers and folding repeats to the last', async () => {
    await store.upsertCustomers([fx.bundle(1, 0), fx.bundle(2, 0)]);
    const before = await store.lastSeq();
    const written = await store.putScores([
      fx.scores(1, { churnProbability: 0.1 }),
      fx.scores(9, { churnProbability: 0.9 }),
      fx.scores(2, { churnProbability: 0.2, rfmSegment: 'Champions', lifecycleStage: 'mature', previousChurn: { probability: 0.3, at: '2025-01-01T00:00:00.000Z', churnModel: 'm0' } }),
      fx.scores(1, { churnProbability: 0.15, churnModel: 'churn-2' }),
    ]);
    expect(written).toBe(2);
    expect(await store.putScores([])).toBe(0);
    const feed = await store.changesAfter(before, 100);
    expect(feed.changes.map((c) => c.entity)).toEqual(['scores', 'scores']);
    expect(feed.changes.map((c) => c.seq)).toEqual([before + 1, before + 2]);
    expect((await store.customerBundle('C-0001'))?.scores).toEqual(fx.scores(1, { churnProbability: 0.15, churnModel: 'churn-2' }));
    expect((await store.customerBundle('C-0002'))?.scores).toMatchObject({ rfmSegment: 'Champions', lifecycleStage: 'mature', previousChurn: { churnModel: 'm0' } });
    expect(await store.customerBundle('C-0009')).toBeNull();
    expect((await store.snapshotPage(null, 10)).scores.map((s) => s.customerId)).toEqual(['C-0001', 'C-0002']);
  });
});

describe.each([sqliteBackend(), postgresBackend()])('ServerStore identity contract: $name', (backend: StoreBackend) => {
  let store: ServerStore;

  beforeAll(() => backend.init());
  afterAll(() => backend.dispose());
  beforeEach(async () => {
    await backend.reset();
    store = await backend.open();
  });
  afterEach(async () => {
    await store.close();
  });

  const record = (id: string, given: string, source = 'crm') => ({ source, record_id: id, given_name: given, family_name: 'Levi', phone: '+972501234567' });

  it('upserts source records by content hash: the same records again change nothing', async () => {
    const first = await store.upsertSourceRecords([
      { record: record('R1', 'Dana'), hash: 'h1', customerId: 'C-1' },
      { record: record('R2', 'Avi'), hash: 'h2' },
    ]);
    expect(first).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    const seq = await store.lastSeq();
    const again = await store.upsertSourceRecords([{ record: record('R1', 'Dana'), hash: 'h1' }, { record: record('R2', 'Avi'), hash: 'h2' }]);
    expect(again).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    const changed = await store.upsertSourceRecords([{ record: record('R2', 'Avraham'), hash: 'h2b' }]);
    expect(changed).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    // Source records are server-private: the change feed does not move.
    expect(await store.lastSeq()).toBe(seq);
    const stored = await store.sourceRecords();
    expect(stored.map((s) => [s.record.record_id, s.record.given_name, s.hash, s.customerId])).toEqual([
      ['R1', 'Dana', 'h1', 'C-1'],
      ['R2', 'Avraham', 'h2b', null],
    ]);
  });

  it('keeps a record apart per source, and remembers which customer each record resolved into', async () => {
    await store.upsertSourceRecords([{ record: record('R1', 'Dana'), hash: 'a' }, { record: record('R1', 'Dana', 'support'), hash: 'b' }]);
    await store.assignSourceRecords([{ source: 'support', recordId: 'R1', customerId: 'C-9' }]);
    const stored = await store.sourceRecords();
    expect(stored.map((s) => `${s.record.source}:${s.record.record_id}:${s.customerId}`)).toEqual(['crm:R1:null', 'support:R1:C-9']);
    // An update without a customer id keeps the one stored.
    await store.upsertSourceRecords([{ record: record('R1', 'Danna', 'support'), hash: 'c' }]);
    expect((await store.sourceRecords())[1]?.customerId).toBe('C-9');
  });

  it('appends identity decisions in order, once per id, across a restart', async () => {
    const decision = (id: string, kind: 'split' | 'merge') => ({
      id, kind, actor: 'A001', at: '2026-11-20T10:00:00.000Z', customerIds: ['C-1'], recordKeys: ['crm:R1', 'support:R1'],
      addNeverLink: kind === 'split' ? [['crm:R1', 'support:R1'] as [string, string]] : [],
      removeNeverLink: kind === 'merge' ? [['crm:R1', 'support:R1'] as [string, string]] : [],
      addMustLink: [], removeMustLink: [],
    });
    await store.addIdentityDecision(decision('d2', 'split'));
    await store.addIdentityDecision(decision('d1', 'merge'));
    await store.addIdentityDecision(decision('d2', 'split'));
    await store.close();
    store = await backend.open();
    const decisions = await store.identityDecisions();
    expect(decisions.map((d) => d.id)).toEqual(['d2', 'd1']);
    expect(decisions[0]?.addNeverLink).toEqual([['crm:R1', 'support:R1']]);
  });

  it('reads customers by id, skipping unknown ones', async () => {
    await store.upsertCustomers([fx.bundle(1), fx.bundle(2)]);
    const found = await store.customersByIds([fx.customerId(2), 'nobody', fx.customerId(1), fx.customerId(2)]);
    expect(found.map((c) => c.id).sort()).toEqual([fx.customerId(1), fx.customerId(2)]);
    expect(await store.customersByIds([])).toEqual([]);
  });
});
