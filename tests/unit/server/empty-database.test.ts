import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { writeEmptyDatabase } from '../../../src-server/sync-image/empty-database';
import { makeTempDir } from '../../support/temp-dir';

describe('an empty database written by hand', () => {
  const dir = makeTempDir('empty-database');
  afterAll(() => dir.remove());

  it.each([[4096, 64], [8192, 32], [65536, 0]])('is a sound SQLite file of %i-byte pages with %i bytes reserved, and keeps them as it grows', (pageSize, reserveBytes) => {
    const file = join(dir.path, `empty-${pageSize}-${reserveBytes}.db`);
    writeEmptyDatabase(file, { pageSize, reserveBytes });
    expect(statSync(file).size).toBe(pageSize);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const db = new Database(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT NOT NULL); CREATE INDEX t_text ON t (text)');
    const insert = db.prepare('INSERT INTO t (text) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 5000; i += 1) insert.run(`row ${i} `.repeat(20));
    })();
    db.exec('VACUUM');
    expect(db.pragma('page_size', { simple: true })).toBe(pageSize);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(5000);
    db.close();
    expect(readFileSync(file)[20]).toBe(reserveBytes);
  });

  it('names a page size or reserve SQLite cannot take', () => {
    expect(() => writeEmptyDatabase(join(dir.path, 'bad.db'), { pageSize: 3000, reserveBytes: 0 })).toThrow(/page size 3000/);
    expect(() => writeEmptyDatabase(join(dir.path, 'bad.db'), { pageSize: 512, reserveBytes: 64 })).toThrow(/64 reserved bytes do not fit a 512-byte page/);
  });
});
