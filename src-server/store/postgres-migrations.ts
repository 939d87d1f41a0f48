import type { PoolClient } from 'pg';
import { DatabaseTooNewError, latestVersion, type Migration } from '@shared/storage/migrations';
import { rebuildRollupsSql } from './common/review-sql';

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
    name: 'account events',
    sql: `
      -- Billing's account events (cancelled, renewed, ...), each id once: they verify retention outcomes.
      CREATE TABLE account_events (
        id TEXT COLLATE "C" PRIMARY KEY,
        customer_id TEXT COLLATE "C" NOT NULL,
        kind TEXT NOT NULL,
        occurred_at TEXT COLLATE "C" NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX account_events_customer ON account_events (customer_id, occurred_at);
      -- Verification reads retention outcomes by time.
      CREATE INDEX outcomes_disposition_received ON outcomes (disposition, received_at);
    `,
  },
  {
    version: 6,
    name: 'offer decisions',
    sql: `
      -- The offer learner's decision per call with its propensity: the log off-policy evaluation reads.
      CREATE TABLE offer_decisions (
        call_id TEXT COLLATE "C" PRIMARY KEY,
        customer_id TEXT COLLATE "C" NOT NULL,
        decided_at TEXT COLLATE "C" NOT NULL,
        data TEXT NOT NULL,
        arrival BIGINT GENERATED ALWAYS AS IDENTITY
      );
      CREATE INDEX offer_decisions_decided ON offer_decisions (decided_at, arrival);
    `,
  },
  {
    version: 7,
    name: 'playbook versions',
    sql: `
      -- Every published playbook, whole: the feed carries only the newest (documents 'playbook').
      CREATE TABLE playbook_versions (
        version INTEGER PRIMARY KEY,
        published_at TEXT COLLATE "C" NOT NULL,
        published_by TEXT COLLATE "C" NOT NULL,
        data TEXT NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: 'retention review facts and daily rollups',
    sql: `
      -- One row per outcome with what the review cuts it by, as it stood when the outcome was applied;
      -- see the SQLite migration. The verified outcome of the retention loop joins on outcome_id.
      CREATE TABLE review_facts (
        outcome_id TEXT COLLATE "C" PRIMARY KEY,
        day TEXT COLLATE "C" NOT NULL,
        received_at TEXT COLLATE "C" NOT NULL,
        customer_id TEXT COLLATE "C" NOT NULL,
        agent_id TEXT COLLATE "C" NOT NULL,
        team TEXT COLLATE "C" NOT NULL,
        tier TEXT COLLATE "C" NOT NULL,
        rfm TEXT COLLATE "C" NOT NULL,
        lifecycle TEXT COLLATE "C" NOT NULL,
        offer_id TEXT COLLATE "C" NOT NULL,
        script TEXT COLLATE "C" NOT NULL,
        channel TEXT COLLATE "C" NOT NULL,
        direction TEXT COLLATE "C" NOT NULL,
        arm TEXT COLLATE "C" NOT NULL,
        retention SMALLINT NOT NULL,
        saved SMALLINT NOT NULL,
        offer_made SMALLINT NOT NULL,
        offer_accepted SMALLINT NOT NULL,
        value_saved DOUBLE PRECISION NOT NULL,
        offer_cost DOUBLE PRECISION NOT NULL,
        brief TEXT NOT NULL
      );
      -- Covering: a filtered range is an index-only scan (the rows, with their briefs, are not read).
      CREATE INDEX review_facts_day ON review_facts (day) INCLUDE (retention, agent_id, team, tier, rfm, lifecycle, offer_id, script, channel, direction, arm,
        saved, offer_made, offer_accepted, value_saved, offer_cost);
      CREATE INDEX review_facts_agent ON review_facts (agent_id, day);
      CREATE INDEX review_facts_received ON review_facts (received_at, outcome_id);
      CREATE INDEX review_facts_customer ON review_facts (customer_id, day);
      CREATE TABLE review_daily (
        day TEXT COLLATE "C" NOT NULL,
        dim TEXT COLLATE "C" NOT NULL,
        key TEXT COLLATE "C" NOT NULL,
        calls INTEGER NOT NULL,
        saves INTEGER NOT NULL,
        offers_made INTEGER NOT NULL,
        offers_accepted INTEGER NOT NULL,
        value_saved DOUBLE PRECISION NOT NULL,
        offer_cost DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (dim, day, key)
      );
      ALTER TABLE scores ADD COLUMN churn_band TEXT COLLATE "C" GENERATED ALWAYS AS ((data::json ->> 'churnBand')) STORED;
      CREATE INDEX scores_churn_band ON scores (churn_band, customer_id);
      -- Outcomes stored before this migration: segments from the scores as they are now, direction, arm
      -- and script unknown, offer cost 0. json (not jsonb): it reads only the fields asked for.
      INSERT INTO review_facts (day, outcome_id, received_at, customer_id, agent_id, team, tier, rfm, lifecycle, offer_id, script, channel, direction, arm,
        retention, saved, offer_made, offer_accepted, value_saved, offer_cost, brief)
      SELECT substr(o.received_at, 1, 10), o.id, o.received_at, o.customer_id, o.agent_id, 'none',
        COALESCE(o.data::json ->> 'valueTier', s.data::json ->> 'valueTier', 'unknown'),
        COALESCE(s.data::json ->> 'rfmSegment', 'unknown'), COALESCE(s.data::json ->> 'lifecycleStage', 'unknown'),
        COALESCE(o.data::json ->> 'offerId', 'none'), 'unknown', 'call', 'unknown', 'unknown',
        CASE WHEN o.disposition <> 'not_retention' THEN 1 ELSE 0 END,
        CASE WHEN o.disposition = 'retained' THEN 1 ELSE 0 END,
        CASE WHEN o.data::json ->> 'offerId' IS NOT NULL AND o.data::json ->> 'offerOutcome' <> 'no_offer' THEN 1 ELSE 0 END,
        CASE WHEN o.data::json ->> 'offerId' IS NOT NULL AND o.data::json ->> 'offerOutcome' = 'accepted' THEN 1 ELSE 0 END,
        CASE WHEN o.disposition = 'retained' THEN COALESCE((o.data::json ->> 'clv')::double precision, 0) ELSE 0 END,
        0,
        json_build_object('churnProbability', (s.data::json ->> 'churnProbability')::double precision, 'reasons', json_build_array(), 'clv', (o.data::json ->> 'clv')::double precision)::text
      FROM outcomes o LEFT JOIN scores s ON s.customer_id = o.customer_id;
      ${rebuildRollupsSql({ verdicts: false })};
    `,
  },
  {
    version: 9,
    name: 'telephony',
    sql: `
      -- Each agent's phone (a SIP URI or an extension), where telephony sends the calls they accept.
      CREATE TABLE agent_phones (
        agent_id TEXT COLLATE "C" PRIMARY KEY,
        address TEXT NOT NULL
      );
      -- The webhook adapter's outbox: kept until the receiver acknowledges, so a restart loses nothing.
      CREATE TABLE telephony_deliveries (
        id TEXT COLLATE "C" PRIMARY KEY,
        call_id TEXT COLLATE "C" NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        delivered_at TEXT,
        last_error TEXT
      );
      CREATE INDEX telephony_deliveries_due ON telephony_deliveries (next_attempt_at) WHERE delivered_at IS NULL;
    `,
  },
  {
    version: 10,
    name: 'verified outcomes in the review',
    sql: `
      -- See the SQLite migration: each outcome's verdict at the learning horizon, and the rollups'
      -- counts of claimed saves resolved and verified.
      ALTER TABLE review_facts ADD COLUMN verdict TEXT COLLATE "C" NOT NULL DEFAULT 'pending';
      ALTER TABLE review_daily ADD COLUMN verified_resolved INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE review_daily ADD COLUMN verified_stayed INTEGER NOT NULL DEFAULT 0;
      DROP INDEX review_facts_day;
      CREATE INDEX review_facts_day ON review_facts (day) INCLUDE (retention, agent_id, team, tier, rfm, lifecycle, offer_id, script, channel, direction, arm,
        saved, offer_made, offer_accepted, value_saved, offer_cost, verdict);
    `,
  },
  {
    version: 11,
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
