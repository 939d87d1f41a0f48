import pg from 'pg';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RoutingLease } from '../../../src-server/cluster/lease';
import { openPostgresServerStore, postgresPoolConfig } from '../../../src-server/store/postgres-store';
import { TsProcess } from '../../support/child-process';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

const LEASE_MS = 1000;
const WATCHDOG_MS = 3000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The lease is kept by a thread of its own, watched by the main thread's heartbeat. The holder runs in a
 * process of its own whose main thread the test stalls with a busy loop; a contender in this process
 * takes the lease as soon as it may.
 */
describe('the routing lease under a stalled main thread', () => {
  let db: TestDatabase;
  let holder: TsProcess | null = null;
  let contender: RoutingLease | null = null;
  let pool: pg.Pool;
  const contenderTokens: number[] = [];

  beforeEach(async () => {
    db = await createTestDatabase('routing_lease');
    await (await openPostgresServerStore(db.url)).close();
    pool = new pg.Pool(postgresPoolConfig(db.url, { maxConnections: 2 }));
    pool.on('error', () => undefined);
    contenderTokens.length = 0;
    holder = new TsProcess('tests/support/lease-holder.ts', [JSON.stringify({ databaseUrl: db.url, nodeId: 'holder', leaseMs: LEASE_MS, watchdogMs: WATCHDOG_MS })]);
    await holder.waitForLine((line) => line.ev === 'acquired', 30_000);
    contender = new RoutingLease(pool, pool, {
      group: 'all-queues', nodeId: 'contender', url: 'http://contender.invalid', leaseMs: LEASE_MS, watchdogMs: WATCHDOG_MS, keeperPool: postgresPoolConfig(db.url),
    }, { acquired: (token) => contenderTokens.push(token), lost: () => undefined, keeperEnded: () => undefined }, pino({ level: 'silent' }));
    contender.start();
  }, 60_000);

  afterEach(async () => {
    await contender?.release();
    await holder?.killHard();
    await pool?.end();
    await db?.drop();
  });

  const holderOfRow = async (): Promise<string | undefined> =>
    (await pool.query<{ holder: string }>("SELECT holder FROM cluster_leases WHERE queue_group = 'all-queues'")).rows[0]?.holder;

  it('is kept through a main thread busy for more than two leases', async () => {
    holder!.send({ cmd: 'block', ms: LEASE_MS * 2.5 });
    const unblocked = await holder!.waitForLine((line) => line.ev === 'blocked', 20_000);
    expect(unblocked.held).not.toBeNull();
    // A few more renewals' worth: nobody took over, and the holder never heard it lost anything.
    await sleep(LEASE_MS * 1.5);
    expect(contenderTokens).toEqual([]);
    expect(await holderOfRow()).toBe('holder');
    expect(holder!.lines.filter((line) => line.ev === 'lost')).toEqual([]);
  });

  it('is given up by a main thread stuck past the watchdog, and the holder learns it lost it', async () => {
    const stuckMs = WATCHDOG_MS + LEASE_MS * 2.5;
    const stalledAt = performance.now();
    holder!.send({ cmd: 'block', ms: stuckMs });
    // Taken over while the holder is still stuck: after the watchdog's span and one lease, not at the end of the stall.
    for (let i = 0; i < stuckMs / 50 && contenderTokens.length === 0; i++) await sleep(50);
    const takenAfterMs = performance.now() - stalledAt;
    expect(contenderTokens).toHaveLength(1);
    expect(takenAfterMs).toBeGreaterThan(WATCHDOG_MS);
    expect(takenAfterMs).toBeLessThan(stuckMs);
    expect(await holderOfRow()).toBe('contender');
    await holder!.waitForLine((line) => line.ev === 'blocked', 20_000);
    const lost = await holder!.waitForLine((line) => line.ev === 'lost', 10_000);
    expect(String(lost.reason)).toMatch(/another node holds the lease/);
  });
});
