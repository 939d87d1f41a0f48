import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startRoutingServer } from '../../../src-server/routing-server';
import { ROUTER_STATE_DOCUMENT } from '../../../src-server/routing/router-state';
import { openServerStore } from '../../../src-server/store/open-store';
import { openPostgresServerStore, postgresPoolConfig } from '../../../src-server/store/postgres-store';
import { api, startServer } from '../../support/stack';
import { createTestDatabase } from '../../support/postgres';
import { makeTempDir } from '../../support/temp-dir';

const options = { port: 0, demoCustomers: 40, demoAsOf: '2026-11-20', logLevel: 'silent' } as const;

describe('failure paths of the routing server', () => {
  const dirs: Array<{ remove(): void }> = [];
  afterAll(() => {
    for (const dir of dirs) dir.remove();
  });

  it.each([
    ['not a router state at all', (_saved: Record<string, unknown>) => ({ format: 'something-else', learnt: 'lots' })],
    ['an engine snapshot the engine refuses', (saved: Record<string, unknown>) => ({ ...saved, engine: { bogus: true } })],
  ])('does not start on a saved routing state that cannot be read (%s), and leaves it as it was', async (_label, corrupt) => {
    const dir = makeTempDir('routing-state');
    dirs.push(dir);
    const first = await startRoutingServer({ ...options, dataDir: dir.path });
    await first.close();
    const file = join(dir.path, 'routing.db');
    let store = await openServerStore({ kind: 'sqlite', file });
    const saved = (await store.document(ROUTER_STATE_DOCUMENT)) as Record<string, unknown>;
    expect(saved.format).toBe('holdfast-router-state');
    const broken = corrupt(saved);
    await store.putDocument(ROUTER_STATE_DOCUMENT, broken);
    await store.close();

    await expect(startRoutingServer({ ...options, dataDir: dir.path })).rejects.toThrow(/routing state .*not starting, so that it is not overwritten/);

    store = await openServerStore({ kind: 'sqlite', file });
    expect(await store.document(ROUTER_STATE_DOCUMENT)).toEqual(broken);
    await store.close();
  });

  it('retries a call record whose save failed until it is stored, once, and counts the failures', async () => {
    const { server, remove } = await startServer({ demoCustomers: 40 });
    dirs.push({ remove });
    try {
      const save = server.store.saveCall.bind(server.store);
      let failures = 0;
      server.store.saveCall = async (call) => {
        if (failures < 2) {
          failures += 1;
          throw new Error('database briefly away');
        }
        return save(call);
      };
      const created = await api(server, 'POST', '/api/calls', { callerNumber: '+12125550111', language: 'en' });
      expect(created.status).toBe(201);
      const callId = String(created.body.callId);
      const stored = await (async () => {
        const deadline = Date.now() + 5000;
        for (;;) {
          const open = (await server.store.openCalls()).filter((c) => c.id === callId);
          if (open.length > 0 || Date.now() > deadline) return open;
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      expect(stored).toHaveLength(1);
      expect(failures).toBe(2);
      const metrics = await fetch(new URL('/metrics', server.url)).then((r) => r.text());
      expect(metrics).toMatch(/^holdfast_call_save_failures_total 2$/m);
      expect(metrics).toMatch(/^holdfast_call_saves_pending 0$/m);
    } finally {
      await server.close();
    }
  });

  it('bounds the PostgreSQL pool: connection, statement and idle timeouts', async () => {
    const config = postgresPoolConfig('postgres://db/holdfast', { connectionTimeoutMs: 1500, statementTimeoutMs: 300, idleTimeoutMs: 2000, idleInTransactionTimeoutMs: 700 });
    expect(config).toMatchObject({ connectionTimeoutMillis: 1500, statement_timeout: 300, idleTimeoutMillis: 2000, idle_in_transaction_session_timeout: 700 });
    expect(postgresPoolConfig('postgres://db/holdfast')).toMatchObject({ connectionTimeoutMillis: 10_000, statement_timeout: 60_000, idleTimeoutMillis: 30_000, idle_in_transaction_session_timeout: 60_000 });

    const database = await createTestDatabase('pool-timeouts');
    try {
      // The store opens (and migrates without a statement limit) under tight bounds.
      const store = await openPostgresServerStore(database.url, { statementTimeoutMs: 300 });
      expect(await store.lastSeq()).toBe(0);
      await store.close();
      const pool = new pg.Pool(postgresPoolConfig(database.url, { statementTimeoutMs: 300, idleInTransactionTimeoutMs: 700 }));
      try {
        expect((await pool.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0]?.statement_timeout).toBe('300ms');
        expect((await pool.query<{ idle_in_transaction_session_timeout: string }>('SHOW idle_in_transaction_session_timeout')).rows[0]?.idle_in_transaction_session_timeout).toBe('700ms');
        await expect(pool.query('SELECT pg_sleep(2)')).rejects.toThrow(/statement timeout/);
      } finally {
        await pool.end();
      }
    } finally {
      await database.drop();
    }
  });
});
