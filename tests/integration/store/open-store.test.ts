import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStoreLocation, openServerStore, storeLocationFor, type StoreLocation } from '../../../src-server/store/open-store';

describe('choosing the store from configuration', () => {
  it('uses SQLite in the data directory when no database URL is set', () => {
    expect(storeLocationFor(undefined, '/var/holdfast')).toEqual({ kind: 'sqlite', file: join('/var/holdfast', 'routing.db') });
    expect(storeLocationFor('  ', '/var/holdfast')).toEqual({ kind: 'sqlite', file: join('/var/holdfast', 'routing.db') });
  });

  it('uses PostgreSQL for a postgres:// or postgresql:// URL', () => {
    expect(storeLocationFor('postgres://app:pw@db.internal:5432/holdfast', '/d')).toEqual({ kind: 'postgres', url: 'postgres://app:pw@db.internal:5432/holdfast' });
    expect(storeLocationFor('postgresql://db/holdfast?sslmode=require', '/d').kind).toBe('postgres');
  });

  it('refuses any other URL rather than quietly falling back to SQLite, without echoing the password', () => {
    expect(() => storeLocationFor('mysql://app:hunter2@db/holdfast', '/d')).toThrow(/Unsupported database URL/);
    expect(() => storeLocationFor('mysql://app:hunter2@db/holdfast', '/d')).not.toThrow(/hunter2/);
  });

  it('describes a location for logs with the password masked', () => {
    expect(describeStoreLocation({ kind: 'postgres', url: 'postgres://app:hunter2@db:5432/holdfast' })).toBe('PostgreSQL at postgres://app:***@db:5432/holdfast');
    expect(describeStoreLocation({ kind: 'sqlite', file: '/d/routing.db' })).toBe('SQLite at /d/routing.db');
  });

  it('rejects a malformed location with a message naming the problem', async () => {
    await expect(openServerStore({ kind: 'postgres', url: 'http://example.test/db' })).rejects.toThrow(/postgres:\/\/ or postgresql:\/\/ URL/);
    await expect(openServerStore({ kind: 'sqlite', file: '' })).rejects.toThrow(/needs a file path/);
    await expect(openServerStore({ kind: 'oracle' } as unknown as StoreLocation)).rejects.toThrow(/Invalid store location/);
  });

  it('names the database, not the password, when PostgreSQL cannot be reached', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const opening = openServerStore({ kind: 'postgres', url: 'postgres://app:hunter2@127.0.0.1:1/holdfast' });
    await expect(opening).rejects.toThrow(/Cannot connect to the PostgreSQL server database at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/holdfast/);
    await expect(opening).rejects.not.toThrow(/hunter2/);
  });
});
