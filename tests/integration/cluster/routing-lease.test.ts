import pg from 'pg';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RoutingLease } from '../../../src-server/cluster/lease';
import { openPostgresServerStore, postgresPoolConfig } from '../../../src-server/store/postgres-store';
import { TsProcess } from '../../support/child-process';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

const WATCHDOG_MS = 3000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A lease holder in a process of its own (whose main thread a test can stall, or which it can kill) and a
 * contender in this process that takes the lease as soon as it may.
 */
class LeasePair {
  holder!: TsProcess;
  contender!: RoutingLease;
  holderToken = 0;
  readonly contenderTokens: number[] = [];
  private db!: TestDatabase;
  private pool!: pg.Pool;

  constructor(readonly leaseMs: number) {}

  async start(): Promise<void> {
    this.db = await createTestDatabase('routing_lease');
    await (await openPostgresServerStore(this.db.url)).close();
    this.pool = new pg.Pool(postgresPoolConfig(this.db.url, { maxConnections: 2 }));
    this.pool.on('error', () => undefined);
    this.holder = new TsProcess('tests/support/lease-holder.ts', [JSON.stringify({ databaseUrl: this.db.url, nodeId: 'holder', leaseMs: this.leaseMs, watchdogMs: WATCHDOG_MS })]);
    this.holderToken = Number((await this.holder.waitForLine((line) => line.ev === 'acquired', 30_000)).token);
    this.contender = new RoutingLease(this.pool, this.pool, {
      group: 'all-queues', nodeId: 'contender', url: 'http://contender.invalid', leaseMs: this.leaseMs, watchdogMs: WATCHDOG_MS, keeperPool: postgresPoolConfig(this.db.url),
    }, { acquired: (token) => this.contenderTokens.push(token), lost: () => undefined, keeperEnded: () => undefined }, pino({ level: 'silent' }));
    this.contender.start();
  }

  async holderOfRow(): Promise<string | undefined> {
    return (await this.pool.query<{ holder: string }>("SELECT holder FROM cluster_leases WHERE queue_group = 'all-queues'")).rows[0]?.holder;
  }

  async close(): Promise<void> {
    await this.contender?.release();
    await this.holder?.killHard();
    await this.pool?.end();
    await this.db?.drop();
  }
}

/** A fresh pair for every case of the calling describe block. */
function leasePairs(leaseMs: number): () => LeasePair {
  let pair: LeasePair;
  beforeEach(async () => {
    pair = new LeasePair(leaseMs);
    await pair.start();
  }, 60_000);
  afterEach(() => pair.close());
  return () => pair;
}

/** The lease is kept by a thread of its own, watched by the main thread's heartbeat. */
describe('the routing lease under a stalled main thread', () => {
  const LEASE_MS = 1000;
  const current = leasePairs(LEASE_MS);

  it('is kept through a main thread busy for more than two leases', async () => {
    const pair = current();
    pair.holder.send({ cmd: 'block', ms: LEASE_MS * 2.5 });
    const unblocked = await pair.holder.waitForLine((line) => line.ev === 'blocked', 20_000);
    expect(unblocked.held).not.toBeNull();
    // A few more renewals' worth: nobody took over, and the holder never heard it lost anything.
    await sleep(LEASE_MS * 1.5);
    expect(pair.contenderTokens).toEqual([]);
    expect(await pair.holderOfRow()).toBe('holder');
    expect(pair.holder.lines.filter((line) => line.ev === 'lost')).toEqual([]);
  });

  it('is given up by a main thread stuck past the watchdog, and the holder learns it lost it', async () => {
    const pair = current();
    const stuckMs = WATCHDOG_MS + LEASE_MS * 2.5;
    const stalledAt = performance.now();
    pair.holder.send({ cmd: 'block', ms: stuckMs });
    // Taken over while the holder is still stuck: after the watchdog's span and one lease, not at the end of the stall.
    for (let i = 0; i < stuckMs / 50 && pair.contenderTokens.length === 0; i++) await sleep(50);
    const takenAfterMs = performance.now() - stalledAt;
    expect(pair.contenderTokens).toHaveLength(1);
    expect(takenAfterMs).toBeGreaterThan(WATCHDOG_MS);
    expect(takenAfterMs).toBeLessThan(stuckMs);
    expect(await pair.holderOfRow()).toBe('contender');
    await pair.holder.waitForLine((line) => line.ev === 'blocked', 20_000);
    const lost = await pair.holder.waitForLine((line) => line.ev === 'lost', 10_000);
    expect(String(lost.reason)).toMatch(/another node holds the lease/);
  });
});

/** A node that finds the holder's address refusing connections says so; the lease is taken over without waiting for it to run out. */
describe('the routing lease of a holder that is gone', () => {
  const LEASE_MS = 10_000;
  const current = leasePairs(LEASE_MS);

  it('is taken over at once, under a new token, when a node reports the holder gone', async () => {
    const pair = current();
    await pair.holder.killHard();
    const reportedAt = performance.now();
    pair.contender.holderGone(pair.holderToken);
    for (let i = 0; i < 100 && pair.contenderTokens.length === 0; i++) await sleep(20);
    // Far sooner than the dead holder's 10 s lease would have run out.
    expect(performance.now() - reportedAt).toBeLessThan(LEASE_MS / 4);
    expect(pair.contenderTokens).toEqual([pair.holderToken + 1]);
    expect(await pair.holderOfRow()).toBe('contender');
  });

  it('is not taken over on a report about a token that is no longer on the row', async () => {
    const pair = current();
    pair.contender.holderGone(pair.holderToken - 1);
    await sleep(1000);
    expect(pair.contenderTokens).toEqual([]);
    expect(await pair.holderOfRow()).toBe('holder');
    expect(pair.holder.lines.filter((line) => line.ev === 'lost')).toEqual([]);
  });
});
