import type { SnapshotPage } from '@shared/contract/sync';
import { changesPage, feedSql, snapshotRequired, tooFarBehind, type FeedRow } from '../common/feed';
import type { FeedStore } from '../roles/feed-store';
import { snapshotPageJson } from '../common/snapshot-page-json';
import { readAgents } from './agents';
import type { SqliteContext } from './database';
import { readModels } from './documents';
import { readOfferStats, readPlaybook } from './playbook';

const FEED_SQL = feedSql({ after: '@after', limit: '@limit', nullInteger: 'NULL', nullText: 'NULL' });

export function sqliteFeed({ db, lastSeq }: SqliteContext): FeedStore {
  const snapshotJson = (cursor: string | null, limit: number): string => db.transaction(() => {
    const asOfSeq = lastSeq();
    const totalCustomers = Number(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM customers').get()?.n ?? 0);
    const customerRows = db.prepare<[string, number], { id: string; data: string }>('SELECT id, data FROM customers WHERE id > ? ORDER BY id LIMIT ?').all(cursor ?? '', limit);
    const first = customerRows[0]?.id;
    const lastId = customerRows[customerRows.length - 1]?.id;
    const texts = (sql: string): string[] =>
      first === undefined || lastId === undefined ? [] : db.prepare<[string, string], { data: string }>(sql).pluck().all(first, lastId) as unknown as string[];
    return snapshotPageJson({
      asOfSeq, totalCustomers,
      customers: customerRows.map((r) => r.data),
      scores: texts('SELECT data FROM scores WHERE customer_id BETWEEN ? AND ?'),
      interactions: texts('SELECT data FROM interactions WHERE customer_id BETWEEN ? AND ? ORDER BY customer_id, occurred_at'),
      reference: cursor !== null ? null : { agents: readAgents(db), playbook: readPlaybook(db), offerStats: readOfferStats(db), models: readModels(db) },
      nextCursor: customerRows.length === limit ? (lastId ?? null) : null,
    });
  })();

  return {
    async lastSeq() {
      return lastSeq();
    },
    async changesAfter(afterSeq, limit) {
      const last = lastSeq();
      if (tooFarBehind(last, afterSeq)) return snapshotRequired(last);
      return changesPage(db.prepare<[{ after: number; limit: number }], FeedRow>(FEED_SQL).all({ after: afterSeq, limit }), last, limit);
    },
    async snapshotPage(cursor, limit): Promise<SnapshotPage> {
      return JSON.parse(snapshotJson(cursor, limit)) as SnapshotPage;
    },
    async snapshotPageJson(cursor, limit) {
      return snapshotJson(cursor, limit);
    },
  };
}
