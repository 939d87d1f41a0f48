import { postgresOfferDecisions } from './postgres/offer-decisions';
import { postgresAccountEvents } from './postgres/account-events';
import { postgresAccounts } from './postgres/accounts';
import pg from 'pg';
import type { PoolClient } from 'pg';
import { POSTGRES_SERVER_MIGRATIONS, runPostgresMigrations } from './postgres-migrations';
import { postgresAgents } from './postgres/agents';
import { postgresCalls } from './postgres/calls';
import { postgresCustomers } from './postgres/customers';
import { pgContext } from './postgres/database';
import { postgresDocuments } from './postgres/documents';
import { postgresFeed } from './postgres/feed';
import { postgresIdentity } from './postgres/identity';
import { postgresOutcomes } from './postgres/outcomes';
import { postgresPlaybook } from './postgres/playbook';
import { postgresReview } from './postgres/review';
import { postgresScoring } from './postgres/scoring';
import { postgresTelephony } from './postgres/telephony';
import type { ServerStore } from './server-store';

export interface PostgresStoreOptions {
  /** Connections in the pool. */
  maxConnections?: number;
  /** How long to wait for a connection (new or from the pool) before failing (default 10 s). */
  connectionTimeoutMs?: number;
  /** How long one statement may run before PostgreSQL cancels it (default 60 s; 0 = no limit). */
  statementTimeoutMs?: number;
  /** How long an idle pooled connection is kept (default 30 s). */
  idleTimeoutMs?: number;
  /** How long a session may sit idle inside a transaction before PostgreSQL ends it (default 60 s). */
  idleInTransactionTimeoutMs?: number;
  /** Told about errors on idle pooled connections (say, the server restarting); the pool replaces the connection. */
  onPoolError?: (error: Error) => void;
}

/** The URL with any password masked, fit for logs and error messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * The routing server's store on PostgreSQL, for sites that want a networked
 * database. Behaves as the SQLite store does; the shared contract tests in
 * tests/integration/store hold both to the same cases. Each role's SQL lives
 * in its own module under postgres/, all of them on the one pool.
 *
 * Connects, migrates the schema and returns the open store. Fails with a
 * message naming the database when it cannot.
 *
 * The change feed. Every entity row carries the feed sequence of its latest
 * change, and a desktop asks for rows with seq > the last one it applied. That
 * only works if a row can never become visible with a seq lower than one a
 * reader has already passed. A SEQUENCE breaks that under concurrent writers:
 * transaction A takes 7, B takes 8, B commits, a reader sees 8 and moves to 8,
 * then A commits 7 and the reader never sees it. So the position is a one-row
 * counter instead, bumped with UPDATE ... RETURNING inside each feed-writing
 * transaction (postgres/database.ts, reserveSeqs). The row lock it takes is
 * held to commit, so seqs are handed out in commit order and every reader sees
 * a gap-free prefix. The price is that feed writes are serialised, which they
 * are in SQLite too; batches reserve all their seqs with one bump.
 */
/**
 * The pool's settings: no wait, statement or idle without a bound, so a
 * database that hangs (a lock, a dead network path) fails requests instead of
 * holding them, and every pooled connection, for ever.
 */
export function postgresPoolConfig(url: string, options: PostgresStoreOptions = {}): pg.PoolConfig {
  return {
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: 'holdfast-routing',
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
    statement_timeout: options.statementTimeoutMs ?? 60_000,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 60_000,
    // Outcomes must never be lost: a commit waits for the WAL flush even if the server default says otherwise
    // (the SQLite store runs synchronous = FULL for the same reason). A startup parameter, so it holds from
    // the connection's first statement with no query queued behind the pool's back.
    options: '-c synchronous_commit=on',
  };
}

export async function openPostgresServerStore(url: string, options: PostgresStoreOptions = {}): Promise<ServerStore> {
  const pool = new pg.Pool(postgresPoolConfig(url, options));
  pool.on('error', options.onPoolError ?? ((error) => process.stderr.write(`holdfast: idle PostgreSQL connection failed: ${error.message}\n`)));
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message || error.name : String(error);
    throw new Error(`Cannot connect to the PostgreSQL server database at ${redactDatabaseUrl(url)}: ${reason}`, { cause: error });
  }
  // Checked out, the connection has no pool listener: a server that ends it mid-migration fails the open, not the process.
  let lost: Error | undefined;
  const onLost = (error: Error): void => {
    lost ??= error;
  };
  client.on('error', onLost);
  try {
    // A migration may rebuild an index over a large book: no statement limit for it, the session default again after.
    await client.query('SET statement_timeout = 0');
    await runPostgresMigrations(client, POSTGRES_SERVER_MIGRATIONS, 'server database');
    await client.query('RESET statement_timeout');
  } catch (error) {
    client.release(true);
    await pool.end().catch(() => undefined);
    throw error;
  } finally {
    client.removeListener('error', onLost);
  }
  client.release(lost);

  const context = pgContext(pool);
  let closed = false;
  return {
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
    ...postgresAgents(context),
    ...postgresAccounts(context),
    ...postgresCustomers(context),
    ...postgresFeed(context),
    ...postgresPlaybook(context),
    ...postgresDocuments(context),
    ...postgresCalls(context),
    ...postgresOutcomes(context),
    ...postgresIdentity(context),
    ...postgresScoring(context),
    ...postgresAccountEvents(context),
    ...postgresOfferDecisions(context),
    ...postgresReview(context),
    ...postgresTelephony(context),
  };
}
