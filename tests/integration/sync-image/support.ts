import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { createDesktopBackend } from '../../../src-main/services/create-backend';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import type { DeskLogger } from '../../../src-main/services/desk/logger';
import { FileKeyProvider } from '../../../src-main/services/key-provider';
import { makeTempDir } from '../../support/temp-dir';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

/** A real desktop backend in this process with its own encrypted cache folder, its log lines kept for the test. */
export function desktop(serverUrl: string, options: { coldSyncImages?: boolean; cacheScope?: 'all' | 'queues' } = {}) {
  const dir = makeTempDir('image-desk');
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (fields: object, message: string): void => void lines.push({ level, fields: fields as Record<string, unknown>, message });
  const log: DeskLogger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  const keys = new FileKeyProvider(join(dir.path, 'cache.key'));
  const backend: DesktopBackend = createDesktopBackend({ serverUrl, dataDir: dir.path, keys, log, ...options });
  return {
    backend, lines, dir,
    /** Opens the user's cache file (after the backend closed) as the app does: encrypted, with its key. */
    async openCache(username: string): Promise<Database.Database> {
      const db = new Database(join(dir.path, 'users', username, 'cache.db'), { readonly: true });
      db.pragma("cipher='aegis'");
      db.pragma(`key='${await keys.cacheKey()}'`);
      return db;
    },
    async close(): Promise<void> {
      await backend.close();
    },
  };
}

/** Every row of the tables the server fills, in key order, as stored (the texts must match byte for byte). */
export function serverRows(db: Database.Database): Record<string, unknown[]> {
  return {
    customers: db.prepare('SELECT id, data FROM customers ORDER BY id').all(),
    customer_phones: db.prepare('SELECT phone, customer_id FROM customer_phones ORDER BY phone, customer_id').all(),
    scores: db.prepare('SELECT customer_id, data FROM scores ORDER BY customer_id').all(),
    interactions: db.prepare('SELECT id, customer_id, occurred_at, data FROM interactions ORDER BY id').all(),
    agents: db.prepare('SELECT id, data FROM agents ORDER BY id').all(),
    documents: db.prepare('SELECT kind, data FROM documents ORDER BY kind').all(),
    offer_stats: db.prepare('SELECT * FROM offer_stats ORDER BY offer_id, segment').all(),
  };
}

export function metaValue(db: Database.Database, key: string): string | null {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
}
