import type { Migration } from '@shared/storage/migrations';
import { rebuildRollupsSql } from './common/review-sql';

/**
 * Server schema. Entity tables carry the feed sequence of their latest change,
 * so "what changed after N" is a range scan and the feed never grows beyond
 * one row per entity.
 */
export const SERVER_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta (key, value) VALUES ('last_seq', '0');

      CREATE TABLE agents (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        data TEXT NOT NULL,
        seq INTEGER NOT NULL
      );

      CREATE TABLE source_records (
        source TEXT NOT NULL,
        record_id TEXT NOT NULL,
        customer_id TEXT,
        content_hash TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (source, record_id)
      );
      CREATE INDEX source_records_customer ON source_records (customer_id);

      CREATE TABLE customers (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        data TEXT NOT NULL,
        churn_label INTEGER,
        seq INTEGER NOT NULL
      );
      CREATE INDEX customers_seq ON customers (seq);
      CREATE INDEX customers_account ON customers (account_id);

      CREATE TABLE customer_phones (
        phone TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        PRIMARY KEY (phone, customer_id)
      );

      CREATE TABLE scores (
        customer_id TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        seq INTEGER NOT NULL
      );
      CREATE INDEX scores_seq ON scores (seq);

      CREATE TABLE interactions (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        data TEXT NOT NULL,
        seq INTEGER NOT NULL
      );
      CREATE INDEX interactions_customer ON interactions (customer_id, occurred_at);
      CREATE INDEX interactions_seq ON interactions (seq);

      CREATE TABLE transactions (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        amount REAL NOT NULL,
        kind TEXT NOT NULL
      );
      CREATE INDEX transactions_customer ON transactions (customer_id, occurred_at);

      CREATE TABLE documents (
        kind TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        seq INTEGER NOT NULL
      );

      CREATE TABLE offer_stats (
        offer_id TEXT NOT NULL,
        segment TEXT NOT NULL,
        made INTEGER NOT NULL,
        accepted INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (offer_id, segment)
      );
      CREATE INDEX offer_stats_seq ON offer_stats (seq);

      CREATE TABLE calls (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        agent_id TEXT,
        customer_id TEXT,
        created_at TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX calls_state ON calls (state);

      -- Wrap-ups, applied exactly once: the id is made on the desktop.
      CREATE TABLE outcomes (
        id TEXT PRIMARY KEY,
        call_id TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        disposition TEXT NOT NULL,
        received_at TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX outcomes_received ON outcomes (received_at);
      CREATE INDEX outcomes_agent ON outcomes (agent_id);
    `,
  },
  {
    version: 2,
    name: 'identity decisions',
    sql: `
      -- Agents' confirm / merge / split decisions, replayed in order on every resolution.
      CREATE TABLE identity_decisions (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        made_at TEXT NOT NULL,
        data TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'phones by customer',
    sql: `
      -- Rewriting a customer replaces its phones (DELETE ... WHERE customer_id = ?): without this
      -- index each rewrite scans the whole table, so seeding or resolving a book was quadratic.
      CREATE INDEX customer_phones_customer ON customer_phones (customer_id);
    `,
  },
  {
    version: 4,
    name: 'accounts',
    sql: `
      -- Sign-in state beside each account: disabled, a password to change at first sign-in, and a
      -- token version every access token carries (bumped to revoke them all).
      ALTER TABLE agents ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE agents ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE agents ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
      -- Refresh tokens, by the SHA-256 of the token: one use each (rotated), revoked with the agent's tokens.
      CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        agent_id TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX refresh_tokens_agent ON refresh_tokens (agent_id);
    `,
  },
  {
    version: 5,
    name: 'customers by language',
    sql: `
      -- An agent's snapshot and feed hold only the customers of its languages: filtered on this
      -- column (computed from the stored profile, so no write path has to keep it) without parsing rows.
      ALTER TABLE customers ADD COLUMN language TEXT GENERATED ALWAYS AS (json_extract(data, '$.language')) VIRTUAL;
      CREATE INDEX customers_language ON customers (language, id);
    `,
  },
  {
    version: 6,
    name: 'account events',
    sql: `
      -- Billing's account events (cancelled, renewed, ...), each id once: they verify retention outcomes.
      CREATE TABLE account_events (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX account_events_customer ON account_events (customer_id, occurred_at);
      -- Verification reads retention outcomes by time.
      CREATE INDEX outcomes_disposition_received ON outcomes (disposition, received_at);
    `,
  },
  {
    version: 7,
    name: 'offer decisions',
    sql: `
      -- The offer learner's decision per call with its propensity: the log off-policy evaluation reads.
      CREATE TABLE offer_decisions (
        call_id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX offer_decisions_decided ON offer_decisions (decided_at);
    `,
  },
  {
    version: 8,
    name: 'playbook versions',
    sql: `
      -- Every published playbook, whole: the feed carries only the newest (documents 'playbook').
      CREATE TABLE playbook_versions (
        version INTEGER PRIMARY KEY,
        published_at TEXT NOT NULL,
        published_by TEXT NOT NULL,
        data TEXT NOT NULL
      );
    `,
  },
  {
    version: 9,
    name: 'retention review facts and daily rollups',
    sql: `
      -- One row per outcome with what the review cuts it by, as it stood when the outcome was applied
      -- (tier, RFM segment, lifecycle stage, script, direction, routing arm). Clustered by day, so a
      -- range is one contiguous read. The verified outcome of the retention loop joins on outcome_id.
      CREATE TABLE review_facts (
        day TEXT NOT NULL,
        outcome_id TEXT NOT NULL,
        received_at TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        team TEXT NOT NULL,
        tier TEXT NOT NULL,
        rfm TEXT NOT NULL,
        lifecycle TEXT NOT NULL,
        offer_id TEXT NOT NULL,
        script TEXT NOT NULL,
        channel TEXT NOT NULL,
        direction TEXT NOT NULL,
        arm TEXT NOT NULL,
        retention INTEGER NOT NULL,
        saved INTEGER NOT NULL,
        offer_made INTEGER NOT NULL,
        offer_accepted INTEGER NOT NULL,
        value_saved REAL NOT NULL,
        offer_cost REAL NOT NULL,
        brief TEXT NOT NULL,
        PRIMARY KEY (day, outcome_id)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX review_facts_outcome ON review_facts (outcome_id);
      CREATE INDEX review_facts_agent ON review_facts (agent_id, day);
      -- Every column a filtered range sums or groups by, so a filtered query reads this narrow index
      -- and never the rows (with their briefs).
      CREATE INDEX review_facts_scan ON review_facts (day, retention, team, tier, rfm, lifecycle, offer_id, script, channel, direction, arm,
        saved, offer_made, offer_accepted, value_saved, offer_cost, agent_id);
      CREATE INDEX review_facts_received ON review_facts (received_at, outcome_id);
      CREATE INDEX review_facts_customer ON review_facts (customer_id, day);
      -- Sums per day and per value of each cut (dim 'all' = the whole day): an unfiltered range of any
      -- length reads a few hundred rows a day instead of every outcome.
      CREATE TABLE review_daily (
        day TEXT NOT NULL,
        dim TEXT NOT NULL,
        key TEXT NOT NULL,
        calls INTEGER NOT NULL,
        saves INTEGER NOT NULL,
        offers_made INTEGER NOT NULL,
        offers_accepted INTEGER NOT NULL,
        value_saved REAL NOT NULL,
        offer_cost REAL NOT NULL,
        PRIMARY KEY (dim, day, key)
      ) WITHOUT ROWID;
      -- The cohort view's untouched at-risk customers, found without parsing every score.
      ALTER TABLE scores ADD COLUMN churn_band TEXT GENERATED ALWAYS AS (json_extract(data, '$.churnBand')) VIRTUAL;
      CREATE INDEX scores_churn_band ON scores (churn_band, customer_id);
      -- Outcomes stored before this migration: segments from the scores as they are now (the ones at the
      -- time were not kept), direction, arm and script unknown, offer cost 0.
      INSERT INTO review_facts
      SELECT substr(o.received_at, 1, 10), o.id, o.received_at, o.customer_id, o.agent_id, 'none',
        COALESCE(json_extract(o.data, '$.valueTier'), json_extract(s.data, '$.valueTier'), 'unknown'),
        COALESCE(json_extract(s.data, '$.rfmSegment'), 'unknown'), COALESCE(json_extract(s.data, '$.lifecycleStage'), 'unknown'),
        COALESCE(json_extract(o.data, '$.offerId'), 'none'), 'unknown', 'call', 'unknown', 'unknown',
        CASE WHEN o.disposition <> 'not_retention' THEN 1 ELSE 0 END,
        CASE WHEN o.disposition = 'retained' THEN 1 ELSE 0 END,
        CASE WHEN json_extract(o.data, '$.offerId') IS NOT NULL AND json_extract(o.data, '$.offerOutcome') <> 'no_offer' THEN 1 ELSE 0 END,
        CASE WHEN json_extract(o.data, '$.offerId') IS NOT NULL AND json_extract(o.data, '$.offerOutcome') = 'accepted' THEN 1 ELSE 0 END,
        CASE WHEN o.disposition = 'retained' THEN COALESCE(json_extract(o.data, '$.clv'), 0) ELSE 0 END,
        0,
        json_object('churnProbability', json_extract(s.data, '$.churnProbability'), 'reasons', json('[]'), 'clv', json_extract(o.data, '$.clv'))
      FROM outcomes o LEFT JOIN scores s ON s.customer_id = o.customer_id;
      ${rebuildRollupsSql({ verdicts: false })};
    `,
  },
  {
    version: 10,
    name: 'telephony',
    sql: `
      -- Each agent's phone (a SIP URI or an extension), where telephony sends the calls they accept.
      CREATE TABLE agent_phones (
        agent_id TEXT PRIMARY KEY,
        address TEXT NOT NULL
      );
      -- The webhook adapter's outbox: kept until the receiver acknowledges, so a restart loses nothing.
      CREATE TABLE telephony_deliveries (
        id TEXT PRIMARY KEY,
        call_id TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        delivered_at TEXT,
        last_error TEXT
      );
      CREATE INDEX telephony_deliveries_due ON telephony_deliveries (next_attempt_at) WHERE delivered_at IS NULL;
    `,
  },
  {
    version: 11,
    name: 'verified outcomes in the review',
    sql: `
      -- Each outcome's verdict at the learning horizon (pending, stayed, left), written by the
      -- verified-outcomes job; the rollups count the claimed saves resolved and verified.
      ALTER TABLE review_facts ADD COLUMN verdict TEXT NOT NULL DEFAULT 'pending';
      ALTER TABLE review_daily ADD COLUMN verified_resolved INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE review_daily ADD COLUMN verified_stayed INTEGER NOT NULL DEFAULT 0;
      -- The covering index of filtered ranges gains the verdict, so they still never read the rows.
      DROP INDEX review_facts_scan;
      CREATE INDEX review_facts_scan ON review_facts (day, retention, team, tier, rfm, lifecycle, offer_id, script, channel, direction, arm,
        saved, offer_made, offer_accepted, value_saved, offer_cost, agent_id, verdict);
    `,
  },
];
