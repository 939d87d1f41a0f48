import type { Pool, PoolClient } from 'pg';
import type { Interaction } from '@shared/domain/interaction';
import { json } from '../common/rows';

/** Rows per multi-row statement in a batch write; keeps each bound array a few megabytes at most. */
export const ROWS_PER_STATEMENT = 5_000;

export type TransactionMode = 'READ WRITE' | 'SNAPSHOT';

/** Either the pool (one-off statements) or a client inside a transaction. */
export type Queryable = Pool | PoolClient;

/** The connection pool as every role module of the store uses it. */
export interface PgContext {
  readonly pool: Pool;
  /**
   * Runs `work` in one transaction on one pooled connection. SNAPSHOT reads
   * see a single consistent state of the whole database (REPEATABLE READ).
   */
  transaction<T>(mode: TransactionMode, work: (client: PoolClient) => Promise<T>): Promise<T>;
}

export function pgContext(pool: Pool): PgContext {
  return {
    pool,
    async transaction(mode, work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      // The pool listens for errors only on idle connections. One the server ends while it is checked out,
      // between two statements (idle-in-transaction timeout, a restart, this process paused past it), would
      // raise an 'error' event no one hears and end the process: it fails this transaction instead.
      let lost: Error | undefined;
      // The first error is the server's reason; "Connection terminated unexpectedly" follows it.
      const onLost = (error: Error): void => {
        lost ??= error;
      };
      client.on('error', onLost);
      try {
        await client.query(mode === 'SNAPSHOT' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          // A connection that cannot even roll back is not handed out again.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        // pg's own message ("not queryable") hides why: the server's reason names it.
        if (lost !== undefined) throw new Error(`PostgreSQL ended the connection during a transaction: ${lost.message}`, { cause: error });
        throw error;
      } finally {
        client.removeListener('error', onLost);
        client.release(broken ?? lost);
      }
    },
  };
}

/** Takes the next `count` feed positions and returns the first; the counter row stays locked until commit. */
export async function reserveSeqs(client: PoolClient, count: number): Promise<number> {
  const { rows } = await client.query<{ last_seq: string }>('UPDATE feed_counter SET last_seq = last_seq + $1 RETURNING last_seq', [count]);
  const row = rows[0];
  if (!row) throw new Error('The feed counter row is missing from the server database');
  return Number(row.last_seq) - count + 1;
}

/** Takes the feed lock without moving the position, for a write that may turn out to change nothing. */
export async function lockFeed(client: PoolClient): Promise<void> {
  await client.query('SELECT last_seq FROM feed_counter FOR UPDATE');
}

export async function readLastSeq(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ last_seq: string }>('SELECT last_seq FROM feed_counter');
  return Number(rows[0]?.last_seq ?? 0);
}

export function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += ROWS_PER_STATEMENT) yield items.slice(start, start + ROWS_PER_STATEMENT);
}

// Writes more than one role makes: an outcome appends an interaction and counts an offer; scoring and customer batches both write scores.

/** Upserts an interaction at feed position `seq`. */
export async function writeInteraction(client: PoolClient, interaction: Interaction, seq: number): Promise<void> {
  await client.query(
    `INSERT INTO interactions (id, customer_id, occurred_at, data, seq) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET data = excluded.data, seq = excluded.seq`,
    [interaction.id, interaction.customerId, interaction.occurredAt, json(interaction), seq],
  );
}

export interface ScoresRow { customerId: string; data: string; seq: number }

/** Upserts scores rows (JSON text, feed position each), ROWS_PER_STATEMENT to a statement. */
export async function writeScores(client: PoolClient, rows: readonly ScoresRow[]): Promise<void> {
  for (const chunk of chunks(rows)) {
    await client.query(
      `INSERT INTO scores (customer_id, data, seq) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
       ON CONFLICT (customer_id) DO UPDATE SET data = excluded.data, seq = excluded.seq`,
      [chunk.map((r) => r.customerId), chunk.map((r) => r.data), chunk.map((r) => r.seq)],
    );
  }
}

/** Counts an offer made (and whether it was accepted) at feed position `seq`; returns the counts now. */
export async function countOffer(client: PoolClient, offer: { offerId: string; segment: string; accepted: boolean }, seq: number): Promise<{ made: number; accepted: number }> {
  const { rows } = await client.query<{ made: number; accepted: number }>(
    `INSERT INTO offer_stats (offer_id, segment, made, accepted, seq) VALUES ($1, $2, 1, $3, $4)
     ON CONFLICT (offer_id, segment) DO UPDATE SET made = offer_stats.made + 1,
       accepted = offer_stats.accepted + excluded.accepted, seq = excluded.seq
     RETURNING made, accepted`,
    [offer.offerId, offer.segment, offer.accepted ? 1 : 0, seq],
  );
  return { made: rows[0]?.made ?? 0, accepted: rows[0]?.accepted ?? 0 };
}
