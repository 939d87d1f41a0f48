import type { Worker } from 'node:worker_threads';
import type pg from 'pg';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { LeaseKeeperCommand, LeaseKeeperEvent, LeaseKeeperOptions } from './lease-keeper';
import type { LeaseWorkerData } from './lease-worker';
import { startServerWorker } from '../start-worker';
import { pgContext, type PgContext } from '../store/postgres/database';

/** A decision was refused because this node no longer holds the routing lease it was made under. */
export class FencedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FencedError';
  }
}

export interface LeaseOptions extends LeaseKeeperOptions {
  /** The lease keeper's connection (a thread of its own opens it). */
  keeperPool: pg.PoolConfig;
}

export interface LeaseHooks {
  /** This node now routes the group, under `token`. */
  acquired(token: number): void;
  /** This node held the lease and does no longer (expired, or taken over): it must make no more decisions. */
  lost(reason: string): void;
  /** The keeper thread ended: nobody renews or looks for the lease for this node any more. */
  keeperEnded(reason: string): void;
}

export interface Authority {
  nodeId: string;
  url: string;
  token: number;
}

/**
 * The routing lease of one queue group in PostgreSQL, with a fencing token.
 *
 * Why not a Redis lock or a consensus library: the decisions live in
 * PostgreSQL, so the fence must be checked where they are written, in the same
 * transaction (`fenced`). The lease row's expiry is set by PostgreSQL's clock,
 * so nodes' clocks need not agree. Every takeover raises the token, so a
 * holder whose token is still on the row knows nobody else has decided since:
 * it may go on (and renew) even if it was slow past the expiry, and once the
 * token changed, none of its writes can commit. Safety rests on the token
 * alone; the expiry only decides when another node may take over.
 *
 * A node acquires the lease at most once in its life: once lost, the process
 * ends (cluster-node.ts), so no state from before can leak into a decision.
 *
 * Acquiring and renewing run on a thread of their own (lease-keeper.ts), so a
 * busy event loop here does not lose the lease; this thread's heartbeat tells
 * the keeper it still runs.
 */
export class RoutingLease {
  private token: number | null = null;
  private keeper: Worker | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private released: (() => void) | null = null;
  private reportedGone: number | null = null;
  private stopped = false;
  private lostOnce = false;
  /** Transactions on the write pool (BEGIN, COMMIT, ROLLBACK, a broken connection not handed out again). */
  private readonly writes: PgContext;

  constructor(
    /** Reading who holds the lease: kept apart from the decisions' writes so it never waits for them. */
    private readonly pool: Pool,
    /** The fenced decision writes. */
    writePool: Pool,
    private readonly options: LeaseOptions,
    private readonly hooks: LeaseHooks,
    private readonly log: Logger,
  ) {
    this.writes = pgContext(writePool);
  }

  start(): void {
    const { keeperPool, ...options } = this.options;
    const data: LeaseWorkerData = { pool: keeperPool, options };
    const keeper = startServerWorker(import.meta.url, 'lease-worker', data);
    // The keeper never keeps the process alive: a node that ends, ends with it.
    keeper.unref();
    keeper.on('message', (event: LeaseKeeperEvent) => this.onKeeperEvent(event));
    keeper.on('error', (error) => this.log.error({ err: error }, 'routing lease: the keeper thread failed'));
    keeper.once('exit', (code) => {
      this.keeper = null;
      this.released?.();
      if (this.stopped) return;
      // Nobody renews the lease or looks for it any more.
      const reason = `the lease keeper thread ended (exit code ${code})`;
      this.lose(reason);
      this.stop();
      this.hooks.keeperEnded(reason);
    });
    this.keeper = keeper;
    // Twice as often as the keeper renews: a beat that comes late by less than the watchdog's span costs nothing.
    this.heartbeat = setInterval(() => this.tell({ kind: 'alive' }), Math.max(50, Math.floor(this.options.leaseMs / 6)));
    this.heartbeat.unref();
  }

  /** The token while this node holds the lease (as far as it knows; `fenced` checks it where it counts), else null. */
  held(): number | null {
    return this.token;
  }

  /**
   * Runs `work` in one transaction that first finds this node's token still
   * on the lease row (and keeps the row share-locked to commit, so a takeover
   * waits for it): a node that lost its lease writes nothing.
   */
  async fenced<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const token = this.held();
    if (token === null) throw new FencedError(`node ${this.options.nodeId} does not hold the routing lease of "${this.options.group}"`);
    return this.writes.transaction('READ WRITE', async (client) => {
      const { rowCount } = await client.query(
        'SELECT 1 FROM cluster_leases WHERE queue_group = $1 AND holder = $2 AND token = $3 FOR SHARE',
        [this.options.group, this.options.nodeId, token],
      );
      if (!rowCount) {
        this.lose('the lease row no longer has this node\'s token');
        throw new FencedError(`node ${this.options.nodeId} lost the routing lease of "${this.options.group}" (token ${token})`);
      }
      return work(client);
    });
  }

  /**
   * One write under the fence in a single statement (its own transaction): one round trip where `fenced` takes
   * four (BEGIN, the check, the write, COMMIT); the routing node writes every offer's record this way before the
   * offer leaves. `write` is handed the name of a CTE that holds the lease row FOR SHARE while this node's token
   * is on it (a takeover's UPDATE waits for the statement), the number of its first parameter and the token; it
   * must write only `WHERE EXISTS (SELECT 1 FROM <fence>)`.
   */
  async fencedStatement(write: (fence: string, firstParam: number, token: number) => { sql: string; params: unknown[] }): Promise<void> {
    const token = this.held();
    if (token === null) throw new FencedError(`node ${this.options.nodeId} does not hold the routing lease of "${this.options.group}"`);
    const { sql, params } = write('fence', 4, token);
    const { rows } = await this.writes.pool.query<{ held: number }>(
      `WITH fence AS MATERIALIZED (SELECT 1 FROM cluster_leases WHERE queue_group = $1 AND holder = $2 AND token = $3 FOR SHARE),
       written AS (${sql})
       SELECT (SELECT count(*) FROM fence)::int AS held`,
      [this.options.group, this.options.nodeId, token, ...params],
    );
    if (!rows[0]?.held) {
      this.lose('the lease row no longer has this node\'s token');
      throw new FencedError(`node ${this.options.nodeId} lost the routing lease of "${this.options.group}" (token ${token})`);
    }
  }

  /** Who routes the group now (an unexpired lease), or null. */
  async authority(): Promise<Authority | null> {
    const { rows } = await this.pool.query<{ holder: string; holder_url: string; token: string }>(
      'SELECT holder, holder_url, token FROM cluster_leases WHERE queue_group = $1 AND expires_at > now()',
      [this.options.group],
    );
    const row = rows[0];
    return row ? { nodeId: row.holder, url: row.holder_url, token: Number(row.token) } : null;
  }

  /** Gives the lease up at once (a clean shutdown), so another node takes over without waiting for it to run out. */
  async release(): Promise<void> {
    this.token = null;
    if (this.stopped || !this.keeper) return this.stop();
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    const keeper = this.keeper;
    // The keeper finishes a renewal under way first, so the release is the last word on the row.
    await new Promise<void>((resolve) => {
      this.released = resolve;
      this.tell({ kind: 'release' });
    });
    await keeper.terminate();
  }

  stop(): void {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.tell({ kind: 'stop' });
    void this.keeper?.terminate();
  }

  /** The holder of `token` refused a connection (its process is gone): take the lease over now (see LeaseKeeper.holderGone). */
  holderGone(token: number): void {
    if (this.token !== null || this.stopped || this.reportedGone === token) return;
    this.reportedGone = token;
    this.tell({ kind: 'holderGone', token });
  }

  private tell(command: LeaseKeeperCommand): void {
    this.keeper?.postMessage(command);
  }

  private onKeeperEvent(event: LeaseKeeperEvent): void {
    switch (event.kind) {
      case 'acquired':
        if (this.stopped) return;
        this.token = event.token;
        this.log.info({ group: this.options.group, token: event.token }, 'routing lease acquired: this node routes');
        this.hooks.acquired(event.token);
        return;
      case 'lost':
        this.lose(event.reason);
        return;
      case 'warn':
        this.log.warn(event.message);
        return;
      case 'released':
        this.released?.();
        return;
    }
  }

  private lose(reason: string): void {
    if (this.token === null || this.lostOnce) return;
    this.lostOnce = true;
    this.log.error({ group: this.options.group, token: this.token, reason }, 'routing lease lost: this node makes no more routing decisions');
    this.token = null;
    this.stop();
    this.hooks.lost(reason);
  }
}
