import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import { openServerStore, type StoreLocation } from '../../../src-server/store/open-store';
import type { ServerStore } from '../../../src-server/store/server-store';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

/**
 * One storage backend as the contract tests drive it. Each test starts from
 * an empty store (`reset`), may close and `open` it again to simulate a
 * restart, and may force the recorded schema version to test the "too new"
 * guard.
 */
export interface StoreBackend {
  name: string;
  init(): Promise<void>;
  reset(): Promise<void>;
  open(): Promise<ServerStore>;
  setSchemaVersion(version: number): Promise<void>;
  dispose(): Promise<void>;
}

export function sqliteBackend(): StoreBackend {
  let dir = '';
  let file = '';
  let fileCount = 0;
  return {
    name: 'sqlite',
    async init() {
      dir = mkdtempSync(join(tmpdir(), 'holdfast-store-contract-'));
    },
    async reset() {
      file = join(dir, `store-${++fileCount}.db`);
    },
    open: () => openServerStore({ kind: 'sqlite', file }),
    async setSchemaVersion(version) {
      const db = new Database(file);
      db.pragma(`user_version = ${version}`);
      db.close();
    },
    async dispose() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postgresBackend(): StoreBackend {
  let database: TestDatabase | null = null;
  /** The first test, and any after the schema version was forced, starts from an empty schema. */
  let schemaTampered = true;
  const databaseUrl = (): string => {
    if (!database) throw new Error('The PostgreSQL test database was not created (see the error from beforeAll)');
    return database.url;
  };
  const location = (): StoreLocation => ({ kind: 'postgres', url: databaseUrl() });
  const onDatabase = async (sql: string, params: unknown[] = []): Promise<void> => {
    const client = new pg.Client({ connectionString: databaseUrl() });
    await client.connect();
    try {
      await client.query(sql, params);
    } finally {
      await client.end();
    }
  };
  return {
    name: 'postgres',
    async init() {
      database = await createTestDatabase('store_contract');
    },
    async reset() {
      if (schemaTampered) {
        await onDatabase('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
        schemaTampered = false;
        return;
      }
      // Emptying every table is a fraction of the cost of rebuilding the schema (DDL is slow on a busy
      // machine), and leaves the same empty store. The feed counter row is the one row a store needs.
      await onDatabase(`DO $$ DECLARE t record; BEGIN
        FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('schema_version', 'feed_counter') LOOP
          EXECUTE format('DELETE FROM public.%I', t.tablename);
        END LOOP;
        IF to_regclass('public.feed_counter') IS NOT NULL THEN UPDATE public.feed_counter SET last_seq = 0; END IF;
      END $$`);
    },
    open: () => openServerStore(location()),
    async setSchemaVersion(version) {
      schemaTampered = true;
      await onDatabase('INSERT INTO schema_version (version, name) VALUES ($1, $2)', [version, 'from a newer app']);
    },
    async dispose() {
      await database?.drop();
    },
  };
}
