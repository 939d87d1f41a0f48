import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src-server/routing-server';
import { api, startServer } from '../../support/stack';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

describe('the routing server on PostgreSQL, selected by configuration', () => {
  let database: TestDatabase;
  let server: RunningServer;
  let remove: () => void;

  beforeAll(async () => {
    database = await createTestDatabase('server');
    ({ server, remove } = await startServer({ demoCustomers: 30, databaseUrl: database.url }));
  });
  afterAll(async () => {
    await server?.close();
    remove?.();
    await database?.drop();
  });

  it('seeds, resolves a caller, and serves the snapshot from PostgreSQL', async () => {
    expect(await server.store.customerCount()).toBe(30);
    const page = await server.store.snapshotPage(null, 30);
    const customer = page.customers.find((c) => c.phones.length > 0)!;
    const created = await api(server, 'POST', '/api/calls', { callerNumber: customer.phones[0], language: 'en' });
    expect(created.status).toBe(201);
    expect(created.body.customerId).toBe(customer.id);
    const login = await api(server, 'POST', '/api/auth/login', { username: 'ava', password: 'demo' }, '');
    const snapshot = await api(server, 'GET', '/api/sync/snapshot?limit=10', undefined, String(login.body.token));
    expect((snapshot.body.customers as unknown[]).length).toBe(10);
  });

  it('builds and serves the cold-sync image from PostgreSQL', async () => {
    const login = await api(server, 'POST', '/api/auth/login', { username: 'ava', password: 'demo' }, '');
    const token = String(login.body.token);
    const manifest = await api(server, 'GET', '/api/sync/image', undefined, token);
    expect(manifest.status).toBe(200);
    expect(manifest.body.totalCustomers).toBe(30);
    expect(manifest.body.asOfSeq).toBeGreaterThan(0);
    expect(manifest.body.asOfSeq).toBeLessThanOrEqual(await server.store.lastSeq());
    const file = await fetch(new URL(`/api/sync/image/${String(manifest.body.sha256)}`, server.url), { headers: { authorization: `Bearer ${token}` } });
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(manifest.body.sha256);
  });
});
