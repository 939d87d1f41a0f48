import type { Migration } from '@shared/storage/migrations';

/** The desktop's local cache: what the pop reads, and the outbox it writes. */
export const CACHE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE customers (id TEXT PRIMARY KEY, data TEXT NOT NULL);
      CREATE TABLE customer_phones (phone TEXT NOT NULL, customer_id TEXT NOT NULL, PRIMARY KEY (phone, customer_id));
      CREATE TABLE scores (customer_id TEXT PRIMARY KEY, data TEXT NOT NULL);
      CREATE TABLE interactions (id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, occurred_at TEXT NOT NULL, data TEXT NOT NULL);
      CREATE INDEX interactions_customer ON interactions (customer_id, occurred_at);
      CREATE TABLE agents (id TEXT PRIMARY KEY, data TEXT NOT NULL);
      CREATE TABLE documents (kind TEXT PRIMARY KEY, data TEXT NOT NULL);
      CREATE TABLE offer_stats (offer_id TEXT NOT NULL, segment TEXT NOT NULL, made INTEGER NOT NULL, accepted INTEGER NOT NULL, PRIMARY KEY (offer_id, segment));

      -- Wrap-ups are written here and to the outbox in one transaction.
      CREATE TABLE wrapups (id TEXT PRIMARY KEY, call_id TEXT NOT NULL, customer_id TEXT NOT NULL, created_at TEXT NOT NULL, data TEXT NOT NULL);
      CREATE TABLE outbox (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        acked_at TEXT
      );
      CREATE INDEX outbox_pending ON outbox (acked_at, position);
    `,
  },
  {
    version: 2,
    name: 'ai audit, wrap-up drafts, settings',
    sql: `
      -- One row per model call: the exact redacted request body and its SHA-256. Nothing unredacted.
      CREATE TABLE ai_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        call_id TEXT,
        customer_id TEXT,
        purpose TEXT NOT NULL,
        model TEXT NOT NULL,
        endpoint_host TEXT NOT NULL,
        payload_sha256 TEXT NOT NULL,
        payload TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        total_tokens INTEGER NOT NULL,
        tokens_estimated INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        fallback_reason TEXT,
        attempts INTEGER NOT NULL,
        latency_ms REAL NOT NULL,
        first_token_ms REAL
      );
      CREATE INDEX ai_audit_call ON ai_audit (call_id, id);

      -- The wrap-up being typed, autosaved so a crash or reload loses nothing; removed once saved.
      CREATE TABLE wrapup_drafts (call_id TEXT PRIMARY KEY, customer_id TEXT, form TEXT, draft TEXT, updated_at TEXT NOT NULL);

      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
    `,
  },
  {
    version: 3,
    name: 'phones-by-customer',
    // Re-writing a customer replaces its phones; without this index that is a scan of every phone.
    sql: 'CREATE INDEX customer_phones_customer ON customer_phones (customer_id);',
  },
];
