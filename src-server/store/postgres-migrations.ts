import type { PoolClient } from 'pg';
import { DatabaseTooNewError, latestVersion, type Migration } from '@shared/storage/migrations';

/**
 * PostgreSQL schema for the routing server: the same tables as the SQLite
 * schema in ./migrations, written in PostgreSQL's own types.
 *
 * - `data` stays TEXT holding JSON.stringify output, as in SQLite, rather than
 *   JSONB: JSONB refuses strings containing U+0000 (a pasted wrap-up note can
 *   hold one), and nothing queries inside the documents.
 * - Ids and timestamps sort with COLLATE "C" (byte order), so paging and
 *   ordering match SQLite's BINARY collation whatever the database locale is.
 * - The feed position lives in a one-row counter, not a SEQUENCE: see
 *   postgres-store.ts for why.
 */
export const POSTGRES_SERVER_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE feed_counter (
        singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
        last_seq BIGINT NOT NULL
      );
      INSERT INTO feed_counter (singleton, last_seq) VALUES (TRUE, 0);

      CREATE TABLE agents (
        id TEXT COLLATE "C" PRIMARY KEY,
        username TEXT COLLATE "C" NOT NULL UNIQUE,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        data TEXT NOT NULL,
        seq BIGINT NOT NULL
      );
      CREATE INDEX agents_seq ON agents (seq);

      CREATE TABLE source_records (
        source TEXT COLLATE "C" NOT NULL,
        record_id TEXT COLLATE "C" NOT NULL,
        customer_id TEXT COLLATE "C",
        content_hash TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (source, record_id)
      );
      CREATE INDEX source_records_customer ON source_records (customer_id);

      CREATE TABLE customers (
        id TEXT COLLATE "C" PRIMARY KEY,
        account_id TEXT COLLATE "C" NOT NULL,
        data TEXT NOT NULL,
        churn_label BOOLEAN,
        seq BIGINT NOT NULL
      );
      CREATE INDEX customers_seq ON customers (seq);
      CREATE INDEX customers_account ON customers (account_id);

      CREATE TABLE customer_phones (
        phone TEXT COLLATE "C" NOT NULL,
        customer_id TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (phone, customer_id)
      );
      CREATE INDEX customer_phones_customer ON customer_phones (customer_id);

      CREATE TABLE scores (
        customer_id TEXT COLLATE "C" PRIMARY KEY,
        data TEXT NOT NULL,
        seq BIGINT NOT NULL
      );
      CREATE INDEX scores_seq ON scores (seq);

      CREATE TABLE interactions (
        id TEXT COLLATE "C" PRIMARY KEY,
        customer_id TEXT COLLATE "C" NOT NULL,
        occurred_at TEXT COLLATE "C" NOT NULL,
        data TEXT NOT NULL,
        seq BIGINT NOT NULL
      );
      CREATE INDEX interactions_customer ON interactions (customer_id, occurred_at);
      CREATE INDEX interactions_seq ON interactions (seq);

      CREATE TABLE transactions (
        id TEXT COLLATE "C" PRIMARY KEY,
        customer_id TEXT COLLATE "C" NOT NULL,
        occurred_at TEXT COLLATE "C" NOT NULL,
        amount DOUBLE PRECISION NOT NULL,
        kind TEXT NOT NULL
      );
      CREATE INDEX transactions_customer ON transactions (customer_id, occurred_at);

      CREATE TABLE documents (
        kind TEXT COLLATE "C" PRIMARY KEY,
        data TEXT NOT NULL,
        seq BIGINT NOT NULL
      );
      CREATE INDEX documents_seq ON documents (seq);

      CREATE TABLE offer_stats (
        offer_id TEXT COLLATE "C" NOT NULL,
        segment TEXT COLLATE "C" NOT NULL,
        made INTEGER NOT NULL,
        accepted INTEGER NOT NULL,
        seq BIGINT NOT NULL,
        PRIMARY KEY (offer_id, segment)
      );
      CREATE INDEX offer_stats_seq ON offer_stats (seq);

      CREATE TABLE calls (
        id TEXT COLLATE "C" PRIMARY KEY,
        state TEXT NOT NULL,
        agent_id TEXT COLLATE "C",
        customer_id TEXT COLLATE "C",
        created_at TEXT COLLATE "C" NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX calls_state ON calls (state);

      -- Wrap-ups, applied exactly once: the id is made on the desktop.
      -- arrival stands in for SQLite's rowid: it breaks ties in received_at by insertion order.
      CREATE TABLE outcomes (
        id TEXT COLLATE "C" PRIMARY KEY,
        arrival BIGINT GENERATED ALWAYS AS IDENTITY,
        call_id TEXT COLLATE "C" NOT NULL,
        customer_id TEXT COLLATE "C" NOT NULL,
        agent_id TEXT COLLATE "C" NOT NULL,
        disposition TEXT NOT NULL,
        received_at TEXT COLLATE "C" NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX outcomes_received ON outcomes (received_at, arrival);
      CREATE INDEX outcomes_agent ON outcomes (agent_id);
    `,
  },
  {
    version: 2,
    name: 'identity decisions',
    sql: `
      CREATE TABLE identity_decisions (
        position BIGSERIAL PRIMARY KEY,
        id TEXT COLLATE "C" NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        made_at TEXT NOT NULL,
        data TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'accounts',
    sql: `
      ALTER TABLE agents ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
      ALTER TABLE agents ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
      ALTER TABLE agents ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE refresh_tokens (
        token_hash TEXT COLLATE "C" PRIMARY KEY,
        agent_id TEXT COLLATE "C" NOT NULL,
        expires_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX refresh_tokens_agent ON refresh_tokens (agent_id);
    `,
  },
  {
    version: 4,
    name: 'customers by language',
    sql: `
      -- An agent's snapshot and feed hold only the customers of its languages: filtered on this
      -- column (computed from the stored profile, so no write path has to keep it) without parsing rows.
      ALTER TABLE customers ADD COLUMN language TEXT COLLATE "C" GENERATED ALWAYS AS ((data::jsonb ->> 'language')) STORED;
      CREATE INDEX customers_language ON customers (language, id);
    `,
  },
  {
    version: 5,
    name: 'routing cluster',
    sql: `
      -- One row per queue group: who routes it, until when (PostgreSQL's clock, not the nodes'), and the
      -- fencing token, raised at every change of holder. A decision is written only in a transaction that
      -- finds the writer's token still there (src-server/cluster/lease.ts).
      CREATE TABLE cluster_leases (
        queue_group TEXT COLLATE "C" PRIMARY KEY,
        holder TEXT COLLATE "C" NOT NULL,
        token BIGINT NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        holder_url TEXT NOT NULL
      );
      -- Every node of the cluster and when it was last heard of: the authority forgets the desktops of a
      -- node that went silent.
      CREATE TABLE cluster_nodes (
        node_id TEXT COLLATE "C" PRIMARY KEY,
        url TEXT NOT NULL,
        seen_at TIMESTAMPTZ NOT NULL
      );
      -- The fencing token of the decision that wrote a call record last (NULL: a single server wrote it).
      ALTER TABLE calls ADD COLUMN fence BIGINT;
    `,
  },
];

/** Any fixed number will do; it only has to be the same for every server sharing the database. */
const MIGRATION_LOCK_KEY = 7_401_305_118;

/**
 * Brings the database up to the newest migration, recording each applied
 * version in `schema_version`. A database newer than this app is refused, as
 * for SQLite. The advisory lock lets several servers start against one
 * database at once: the first migrates, the others wait and then find nothing
 * to do. DDL is transactional in PostgreSQL, so a failed migration leaves
 * nothing behind.
 */
export async function runPostgresMigrations(
  client: PoolClient,
  migrations: readonly Migration[],
  what: string,
): Promise<{ from: number; to: number }> {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migrations must be numbered 1..n without gaps; found ${m.version} at position ${i + 1}`);
  });
  const supported = latestVersion(ordered);

  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_version (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_version');
    const current = rows[0]?.version ?? 0;
    if (current > supported) throw new DatabaseTooNewError(current, supported, what);
    for (const migration of ordered) {
      if (migration.version <= current) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_version (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    }
    await client.query('COMMIT');
    return { from: current, to: supported };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
