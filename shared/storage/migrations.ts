/**
 * Numbered schema migrations for SQLite databases, used by both the server
 * store and the desktop cache. The database records its version in
 * `PRAGMA user_version`; a database newer than the app is refused rather than
 * opened, because an older app would corrupt data it does not understand.
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The slice of a better-sqlite3 database this module needs. */
export interface MigratableDatabase {
  pragma(source: string, options?: { simple?: boolean }): unknown;
  exec(sql: string): unknown;
  transaction(fn: () => void): () => unknown;
}

export class DatabaseTooNewError extends Error {
  constructor(readonly found: number, readonly supported: number, what: string) {
    super(`The ${what} is at schema version ${found}, newer than this app supports (${supported}). Update the app, or remove the file to rebuild it.`);
    this.name = 'DatabaseTooNewError';
  }
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

export function runMigrations(db: MigratableDatabase, migrations: readonly Migration[], what: string): { from: number; to: number } {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migrations must be numbered 1..n without gaps; found ${m.version} at position ${i + 1}`);
  });
  const supported = latestVersion(ordered);
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > supported) throw new DatabaseTooNewError(current, supported, what);
  for (const migration of ordered) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return { from: current, to: supported };
}
