import type Database from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import { parseStored } from '@shared/util/stored-json';

/** The settings table: one user's preferences by key (the AI endpoint's, for one), each kept as JSON. */
export class SettingsRows {
  private readonly select: Database.Statement<[string], { value: string }>;
  private readonly upsert: Database.Statement<[string, string, string]>;

  constructor(db: Database.Database) {
    this.select = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.upsert = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
  }

  /** The setting as its schema reads it; null when unset, or when what is stored no longer parses. */
  get<S extends z.ZodType>(key: string, schema: S): z.output<S> | null {
    return parseStored(this.select.get(key)?.value ?? null, schema);
  }

  put(key: string, value: unknown): void {
    this.upsert.run(key, JSON.stringify(value), new Date().toISOString());
  }
}
