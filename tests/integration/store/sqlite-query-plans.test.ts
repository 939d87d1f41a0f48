import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteServerStore } from '../../../src-server/store/sqlite-store';
import { makeTempDir } from '../../support/temp-dir';

/**
 * The statements run once per customer when a book is seeded or resolved
 * must find their rows by index: one full scan each makes the whole pass
 * quadratic (100,000 customers took many minutes before the phones index).
 */
describe('SQLite server store query plans', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it('finds a customer\'s rows by index, never by scanning a table', async () => {
    const dir = makeTempDir('query-plans');
    dirs.push(dir);
    const file = join(dir.path, 'routing.db');
    await openSqliteServerStore(file).close();
    const db = new Database(file, { readonly: true });
    const perCustomer = [
      'DELETE FROM customer_phones WHERE customer_id = ?',
      'SELECT customer_id FROM customer_phones WHERE phone = ?',
      'SELECT data FROM scores WHERE customer_id = ?',
      'SELECT data FROM interactions WHERE customer_id = ? ORDER BY occurred_at',
      'SELECT id FROM transactions WHERE customer_id = ?',
      'SELECT id FROM customers WHERE account_id = ?',
      'SELECT source FROM source_records WHERE customer_id = ?',
    ];
    for (const sql of perCustomer) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x') as { detail: string }[];
      const details = plan.map((row) => row.detail).join(' | ');
      expect(details, sql).toMatch(/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY|USING PRIMARY KEY/);
      expect(details, sql).not.toMatch(/^SCAN \w+$|\| SCAN \w+$/);
    }
    db.close();
  });
});
