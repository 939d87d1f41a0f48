import type { Migration } from '@shared/storage/migrations';

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
];
