import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgContext } from '../../../src-server/store/postgres/database';
import { postgresPoolConfig } from '../../../src-server/store/postgres-store';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * PostgreSQL ends a connection that sits in a transaction too long (as a routing node paused with
 * SIGSTOP finds on waking). The connection is checked out then, so no pool listener hears the error:
 * unheard, it would end the process. It must fail that one transaction and leave the pool working.
 */
describe('a PostgreSQL connection the server ends mid-transaction', () => {
  let db: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase('connection_lost');
    pool = new pg.Pool(postgresPoolConfig(db.url, { idleInTransactionTimeoutMs: 200, maxConnections: 1 }));
    pool.on('error', () => undefined);
    await pool.query('CREATE TABLE kept (id int PRIMARY KEY)');
    await pool.query('INSERT INTO kept VALUES (1)');
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('fails that transaction with the server\'s reason, and the next one runs', async () => {
    const transactions = pgContext(pool);
    const stalled = transactions.transaction('READ WRITE', async (client) => {
      await client.query('INSERT INTO kept VALUES (2)');
      // Idle in the transaction past the server's limit, as a paused process would be.
      await sleep(800);
      await client.query('INSERT INTO kept VALUES (3)');
    });
    await expect(stalled).rejects.toThrow('PostgreSQL ended the connection during a transaction: terminating connection due to idle-in-transaction timeout');

    // The broken connection was not handed out again: with one connection allowed, this runs on a new one.
    await transactions.transaction('READ WRITE', async (client) => {
      await client.query('INSERT INTO kept VALUES (4)');
    });
    const { rows } = await pool.query<{ id: number }>('SELECT id FROM kept ORDER BY id');
    expect(rows.map((row) => row.id)).toEqual([1, 4]);
  });
});
