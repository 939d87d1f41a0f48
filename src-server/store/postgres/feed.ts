import type { SnapshotPage } from '@shared/contract/sync';
import { assertPositiveLimit } from '../common/constants';
import { changesPage, feedSql, languageList, snapshotRequired, tooFarBehind, type FeedRow } from '../common/feed';
import type { CustomerScope, FeedStore } from '../roles/feed-store';
import { snapshotPageJson } from '../common/snapshot-page-json';
import { readAgents } from './agents';
import { readLastSeq, type PgContext } from './database';
import { readModels } from './documents';
import { readOfferStats, readPlaybook } from './playbook';

const DIALECT = { after: '$1', limit: '$2', nullInteger: 'NULL::integer', nullText: 'NULL::text' };
const FEED_SQL = feedSql(DIALECT);

export function postgresFeed({ pool, transaction }: PgContext): FeedStore {
  const snapshotJson = async (cursor: string | null, limit: number, scope: CustomerScope): Promise<string> => {
    assertPositiveLimit(limit);
    // A scope filters on the customers' language column (no row parsed); scores and history follow their customer.
    const inScope = scope ? ` AND language IN ${languageList(scope)}` : '';
    const ofScope = scope ? ` AND customer_id IN (SELECT id FROM customers WHERE id BETWEEN $1 AND $2${inScope})` : '';
    return transaction('SNAPSHOT', async (client) => {
      const asOfSeq = await readLastSeq(client);
      const total = await client.query<{ n: number }>(`SELECT COUNT(*)::integer AS n FROM customers WHERE TRUE${inScope}`);
      const customerRows = (await client.query<{ id: string; data: string }>(`SELECT id, data FROM customers WHERE id > $1${inScope} ORDER BY id LIMIT $2`, [cursor ?? '', limit])).rows;
      const first = customerRows[0]?.id;
      const lastId = customerRows[customerRows.length - 1]?.id;
      const texts = async (sql: string): Promise<string[]> =>
        first === undefined || lastId === undefined ? [] : (await client.query<{ data: string }>(sql, [first, lastId])).rows.map((row) => row.data);
      return snapshotPageJson({
        asOfSeq,
        totalCustomers: total.rows[0]?.n ?? 0,
        customers: customerRows.map((row) => row.data),
        scores: await texts(`SELECT data FROM scores WHERE customer_id BETWEEN $1 AND $2${ofScope} ORDER BY customer_id`),
        interactions: await texts(`SELECT data FROM interactions WHERE customer_id BETWEEN $1 AND $2${ofScope} ORDER BY customer_id, occurred_at, id`),
        // Reference data rides on the first page only, read in the same snapshot as everything else.
        reference: cursor !== null ? null : {
          agents: await readAgents(client),
          playbook: await readPlaybook(client),
          offerStats: await readOfferStats(client),
          models: await readModels(client),
        },
        nextCursor: customerRows.length === limit ? (lastId ?? null) : null,
      });
    });
  };

  return {
    async lastSeq() {
      return readLastSeq(pool);
    },
    async changesAfter(afterSeq, limit, scope = null) {
      assertPositiveLimit(limit);
      // One snapshot for the position and the rows, so lastSeq never runs ahead of what was read.
      return transaction('SNAPSHOT', async (client) => {
        const last = await readLastSeq(client);
        if (tooFarBehind(last, afterSeq)) return snapshotRequired(last);
        return changesPage((await client.query<FeedRow>(scope ? feedSql(DIALECT, scope) : FEED_SQL, [afterSeq, limit])).rows, last, limit);
      });
    },
    async snapshotPage(cursor, limit, scope = null): Promise<SnapshotPage> {
      return JSON.parse(await snapshotJson(cursor, limit, scope)) as SnapshotPage;
    },
    async snapshotPageJson(cursor, limit, scope = null) {
      return snapshotJson(cursor, limit, scope);
    },
  };
}
