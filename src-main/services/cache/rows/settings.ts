import type Database from 'better-sqlite3-multiple-ciphers';

/** The settings table: one user's preferences by key (the AI endpoint's, for one). */
export class SettingsRows {
  private readonly select: Database.Statement<[string], { value: string }>;
  private readonly upsert: Database.Statement<[string, string, string]>;

  constructor(db: Database.Database) {
    this.select = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.upsert = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
  }

  get(key: string): string | null {
    return this.select.get(key)?.value ?? null;
  }

  put(key: string, value: string): void {
    this.upsert.run(key, value, new Date().toISOString());
  }
}
