import type { SnapshotPage } from '@shared/contract/sync';
import { changesPage, feedSql, languageList, snapshotRequired, tooFarBehind, type FeedRow } from '../common/feed';
import type { CustomerScope, FeedStore } from '../roles/feed-store';
import { snapshotPageJson } from '../common/snapshot-page-json';
import { readAgents } from './agents';
import type { SqliteContext } from './database';
import { readModels } from './documents';
import { readOfferStats, readPlaybook } from './playbook';

const DIALECT = { after: '@after', limit: '@limit', nullInteger: 'NULL', nullText: 'NULL' };
const FEED_SQL = feedSql(DIALECT);

export function sqliteFeed({ db, lastSeq }: SqliteContext): FeedStore {
  const snapshotJson = (cursor: string | null, limit: number, scope: CustomerScope): string => db.transaction(() => {
    const asOfSeq = lastSeq();
    // A scope filters on the customers' language column (no row parsed); scores and history follow their customer.
    const inScope = scope ? ` AND language IN ${languageList(scope)}` : '';
    const ofScope = scope ? ` AND customer_id IN (SELECT id FROM customers WHERE id BETWEEN ? AND ?${inScope})` : '';
    const totalCustomers = Number(db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM customers WHERE 1 = 1${inScope}`).get()?.n ?? 0);
    const customerRows = db.prepare<[string, number], { id: string; data: string }>(`SELECT id, data FROM customers WHERE id > ?${inScope} ORDER BY id LIMIT ?`).all(cursor ?? '', limit);
    const first = customerRows[0]?.id;
    const lastId = customerRows[customerRows.length - 1]?.id;
    const texts = (sql: string): string[] =>
      first === undefined || lastId === undefined ? [] : db.prepare<string[], { data: string }>(sql).pluck().all(...(scope ? [first, lastId, first, lastId] : [first, lastId])) as unknown as string[];
    return snapshotPageJson({
      asOfSeq, totalCustomers,
      customers: customerRows.map((r) => r.data),
      scores: texts(`SELECT data FROM scores WHERE customer_id BETWEEN ? AND ?${ofScope}`),
      interactions: texts(`SELECT data FROM interactions WHERE customer_id BETWEEN ? AND ?${ofScope} ORDER BY customer_id, occurred_at`),
      reference: cursor !== null ? null : { agents: readAgents(db), playbook: readPlaybook(db), offerStats: readOfferStats(db), models: readModels(db) },
      nextCursor: customerRows.length === limit ? (lastId ?? null) : null,
    });
  })();

  return {
    async lastSeq() {
      return lastSeq();
    },
    async changesAfter(afterSeq, limit, scope = null) {
      const last = lastSeq();
      if (tooFarBehind(last, afterSeq)) return snapshotRequired(last);
      return changesPage(db.prepare<[{ after: number; limit: number }], FeedRow>(scope ? feedSql(DIALECT, scope) : FEED_SQL).all({ after: afterSeq, limit }), last, limit);
    },
    async snapshotPage(cursor, limit, scope = null): Promise<SnapshotPage> {
      return JSON.parse(snapshotJson(cursor, limit, scope)) as SnapshotPage;
    },
    async snapshotPageJson(cursor, limit, scope = null) {
      return snapshotJson(cursor, limit, scope);
    },
  };
}
