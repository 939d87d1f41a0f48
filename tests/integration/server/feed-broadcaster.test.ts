import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChangesAvailable } from '@shared/contract/sync';
import { FeedBroadcaster } from '../../../src-server/realtime/feed-broadcaster';
import { openSqliteServerStore } from '../../../src-server/store/sqlite-store';
import { makeTempDir } from '../../support/temp-dir';
import { bundle, interaction } from '../store/fixtures';

/** What the broadcaster tells desktops, on a real SQLite store. */
describe('the feed broadcaster', () => {
  const dir = makeTempDir('feed-broadcaster');
  const store = openSqliteServerStore(join(dir.path, 'routing.db'));
  afterAll(async () => {
    await store.close();
    dir.remove();
  });
  const sent: ChangesAvailable[] = [];
  const feed = new FeedBroadcaster(store, (payload) => sent.push(payload));
  const settled = async (): Promise<void> => {
    // The broadcaster reads the store asynchronously; let it finish what the last move started.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  };

  it('sends a small move along, continuing from where the last message left off, and the messages chain without a gap', async () => {
    await store.upsertCustomers([bundle(1, 0)]);
    await feed.start();
    const start = await store.lastSeq();
    await store.appendInteraction(interaction(1, 1));
    feed.moved();
    await settled();
    await store.appendInteraction(interaction(1, 2));
    feed.moved();
    await settled();
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({ afterSeq: start, changes: [{ entity: 'interaction', data: { id: interaction(1, 1).id } }] });
    expect(sent[1]?.afterSeq).toBe(sent[0]?.lastSeq);
    expect(sent[1]?.changes?.map((c) => c.entity)).toEqual(['interaction']);
  });

  it('nudges for a move too big to send along, and still sends the next small move from where the nudge left off', async () => {
    sent.length = 0;
    await store.upsertCustomers(Array.from({ length: 150 }, (_, n) => bundle(100 + n, 1)));
    feed.moved();
    await settled();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.changes).toBeUndefined();
    expect(sent[0]?.lastSeq).toBe(await store.lastSeq());

    await store.appendInteraction(interaction(1, 3));
    feed.moved();
    await settled();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ afterSeq: sent[0]?.lastSeq, changes: [{ entity: 'interaction', data: { id: interaction(1, 3).id } }] });
  });

  it('coalesces moves that come while one is being sent, keeping feed order', async () => {
    sent.length = 0;
    for (let k = 4; k < 9; k++) {
      await store.appendInteraction(interaction(1, k));
      feed.moved();
    }
    await settled();
    const ids = sent.flatMap((m) => m.changes ?? []).map((c) => (c.entity === 'interaction' ? c.data.id : ''));
    expect(ids).toEqual([4, 5, 6, 7, 8].map((k) => interaction(1, k).id));
    expect(sent.length).toBeLessThan(5);
    for (let i = 1; i < sent.length; i++) expect(sent[i]?.afterSeq).toBe(sent[i - 1]?.lastSeq);
  });
});
