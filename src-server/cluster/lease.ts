import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { pgContext, type PgContext } from '../store/postgres/database';

/** A decision was refused because this node no longer holds the routing lease it was made under. */
export class FencedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FencedError';
  }
}

export interface LeaseOptions {
  /** The queue group the lease is for (one authority routes each group). */
  group: string;
  nodeId: string;
  /** Where the other nodes reach this one. */
  url: string;
  leaseMs: number;
}

export interface LeaseHooks {
  /** This node now routes the group, under `token`. */
  acquired(token: number): void;
  /** This node held the lease and does no longer (expired, or taken over): it must make no more decisions. */
  lost(reason: string): void;
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
 */
export class RoutingLease {
  private token: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private lostOnce = false;
  /** Transactions on the write pool (BEGIN, COMMIT, ROLLBACK, a broken connection not handed out again). */
  private readonly writes: PgContext;

  constructor(
    /** Acquiring, renewing and reading the lease: kept apart from the decisions' writes so they never wait for them. */
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
    void this.tick();
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
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const token = this.token;
    this.token = null;
    if (token === null) return;
    await this.pool.query('UPDATE cluster_leases SET expires_at = now() WHERE queue_group = $1 AND holder = $2 AND token = $3', [this.options.group, this.options.nodeId, token]);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.lostOnce) return;
    const { group, nodeId, url, leaseMs } = this.options;
    try {
      if (this.token === null) {
        const { rows } = await this.pool.query<{ token: string }>(
          `INSERT INTO cluster_leases (queue_group, holder, token, expires_at, holder_url)
           VALUES ($1, $2, 1, now() + $3 * interval '1 millisecond', $4)
           ON CONFLICT (queue_group) DO UPDATE SET holder = excluded.holder, token = cluster_leases.token + 1,
             expires_at = excluded.expires_at, holder_url = excluded.holder_url
           WHERE cluster_leases.expires_at <= now()
           RETURNING token`,
          [group, nodeId, leaseMs, url],
        );
        if (rows[0] && !this.stopped) {
          this.token = Number(rows[0].token);
          this.log.info({ group, token: this.token }, 'routing lease acquired: this node routes');
          this.hooks.acquired(this.token);
        }
      } else {
        // Renewed while the token is still this node's, even if it ran out meanwhile: nobody took over.
        const { rowCount } = await this.pool.query(
          `UPDATE cluster_leases SET expires_at = now() + $4 * interval '1 millisecond'
           WHERE queue_group = $1 AND holder = $2 AND token = $3`,
          [group, nodeId, this.token, leaseMs],
        );
        if (!rowCount) this.lose('another node holds the lease now');
      }
    } catch (error) {
      // PostgreSQL out of reach: nothing can be decided meanwhile either (every decision is written there under the fence).
      this.log.warn({ err: error }, 'routing lease: PostgreSQL did not answer');
    }
    // A holder renews three times a lease; the others look for a free lease twice as often, so takeover is quick.
    this.schedule(this.token !== null ? Math.floor(leaseMs / 3) : Math.floor(leaseMs / 6));
  }

  private lose(reason: string): void {
    if (this.token === null || this.lostOnce) return;
    this.lostOnce = true;
    this.log.error({ group: this.options.group, token: this.token, reason }, 'routing lease lost: this node makes no more routing decisions');
    this.token = null;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.hooks.lost(reason);
  }
}
