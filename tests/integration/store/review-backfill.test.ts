import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { runMigrations } from '@shared/storage/migrations';
import { SERVER_MIGRATIONS } from '../../../src-server/store/migrations';
import { openServerStore } from '../../../src-server/store/open-store';
import { POSTGRES_SERVER_MIGRATIONS, runPostgresMigrations } from '../../../src-server/store/postgres-migrations';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { makeTempDir } from '../../support/temp-dir';
import * as fx from './fixtures';

/**
 * Outcomes stored before the review's migration get their facts and rollups
 * from it: segments from the scores, the rest "unknown". Each store is
 * brought to the version before, given two outcomes, then opened.
 */
const saved = fx.outcome(1, { customerId: fx.customerId(1), receivedAt: '2026-11-02T10:00:00.000Z', clv: 900 });
const lost = fx.outcome(2, { customerId: fx.customerId(2), disposition: 'churned', receivedAt: '2026-11-03T10:00:00.000Z', offerId: 'OFF-1', offerOutcome: 'declined' });
const scores = fx.scores(1, { rfmSegment: 'Champions', lifecycleStage: 'mature' });
const filter = { from: '2026-11-01', to: '2026-11-30' };
const dir = makeTempDir('review-backfill');
let database: TestDatabase | null = null;
afterAll(async () => {
  dir.remove();
  await database?.drop();
});

async function expectBackfilled(store: Awaited<ReturnType<typeof openServerStore>>): Promise<void> {
  const totals = await store.reviewTotals(filter, { from: '2026-10-02', to: '2026-10-31' });
  expect(totals.current).toEqual({ calls: 2, saves: 1, offersMade: 1, offersAccepted: 0, valueSaved: 900, offerCost: 0, verifiedResolved: 0, verifiedStayed: 0 });
  expect((await store.reviewCut(filter, 'rfm', { from: '2026-10-02', to: '2026-10-31' })).map((g) => [g.key, g.current.calls])).toEqual([['Champions', 1], ['unknown', 1]]);
  const rows = await store.reviewCalls({ ...filter, lifecycle: 'mature' }, { savesOnly: true, before: null, limit: 10 });
  expect(rows.map((r) => [r.outcomeId, r.direction, r.arm])).toEqual([[saved.id, 'unknown', 'unknown']]);
  await store.close();
}

it('backfills the review from outcomes stored before it, on SQLite', async () => {
  const file = join(dir.path, 'old.db');
  const db = new Database(file);
  runMigrations(db, SERVER_MIGRATIONS.filter((m) => m.version < 6), 'test');
  const insert = db.prepare('INSERT INTO outcomes (id, call_id, customer_id, agent_id, disposition, received_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const o of [saved, lost]) insert.run(o.id, o.callId, o.customerId, o.agentId, o.disposition, o.receivedAt, JSON.stringify(o));
  db.prepare('INSERT INTO scores (customer_id, data, seq) VALUES (?, ?, 1)').run(scores.customerId, JSON.stringify(scores));
  db.close();
  await expectBackfilled(await openServerStore({ kind: 'sqlite', file }));
});

it('backfills the review from outcomes stored before it, on PostgreSQL', async () => {
  database = await createTestDatabase('review backfill');
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await runPostgresMigrations(client as unknown as pg.PoolClient, POSTGRES_SERVER_MIGRATIONS.filter((m) => m.version < 5), 'test');
    for (const o of [saved, lost]) {
      await client.query('INSERT INTO outcomes (id, call_id, customer_id, agent_id, disposition, received_at, data) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [o.id, o.callId, o.customerId, o.agentId, o.disposition, o.receivedAt, JSON.stringify(o)]);
    }
    await client.query('INSERT INTO scores (customer_id, data, seq) VALUES ($1, $2, 1)', [scores.customerId, JSON.stringify(scores)]);
  } finally {
    await client.end();
  }
  await expectBackfilled(await openServerStore({ kind: 'postgres', url: database.url }));
});
