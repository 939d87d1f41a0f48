import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { DatabaseTooNewError, runMigrations } from '@shared/storage/migrations';

const migrations = [
  { version: 1, name: 'a', sql: 'CREATE TABLE a (x)' },
  { version: 2, name: 'b', sql: 'CREATE TABLE b (y)' },
];

describe('numbered migrations', () => {
  it('applies each migration once, in order', () => {
    const db = new Database(':memory:');
    expect(runMigrations(db, migrations, 'test db')).toEqual({ from: 0, to: 2 });
    expect(runMigrations(db, migrations, 'test db')).toEqual({ from: 2, to: 2 });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
  });

  it('refuses a database newer than the app', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 7');
    expect(() => runMigrations(db, migrations, 'test db')).toThrow(DatabaseTooNewError);
    expect(() => runMigrations(db, migrations, 'test db')).toThrow(/schema version 7, newer than this app supports \(2\)/);
  });

  it('refuses gaps in the numbering', () => {
    const db = new Database(':memory:');
    expect(() => runMigrations(db, [migrations[0]!, { version: 3, name: 'c', sql: '' }], 'test db')).toThrow(/without gaps/);
  });
});
