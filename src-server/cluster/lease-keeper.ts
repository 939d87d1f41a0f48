import type { Pool } from 'pg';

export interface LeaseKeeperOptions {
  /** The queue group the lease is for (one authority routes each group). */
  group: string;
  nodeId: string;
  /** Where the other nodes reach this one. */
  url: string;
  leaseMs: number;
  /**
   * How long the node's main thread may go unheard before the lease is no longer renewed for it. A busy
   * event loop (a reconnection storm, a restore) answers late but answers, and keeps the lease; a hung
   * one lets it run out, and another node takes over.
   */
  watchdogMs: number;
}

/** What the keeper tells the node's main thread. */
export type LeaseKeeperEvent =
  | { kind: 'acquired'; token: number }
  | { kind: 'lost'; reason: string }
  | { kind: 'warn'; message: string }
  | { kind: 'released' };

/** What the node's main thread tells the keeper. */
export type LeaseKeeperCommand = { kind: 'alive' } | { kind: 'release' } | { kind: 'stop' } | { kind: 'holderGone'; token: number };

/**
 * Acquires and renews the routing lease row (see lease.ts for what the lease
 * guarantees). It runs on a thread of its own (lease-worker.ts): on the main
 * thread, a storm of reconnecting desktops once delayed the renewals past the
 * lease, another node took over, lost it the same way, and no node routed.
 * Here a renewal waits only for PostgreSQL. The main thread's heartbeat is
 * the watchdog: the keeper renews or acquires only for a main thread it heard
 * from within `watchdogMs`, so a hung routing loop still gives the lease up.
 */
export class LeaseKeeper {
  private token: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = false;
  private lastAlive = performance.now();
  private starved = false;
  /** The token of a holder whose process is known to be gone: taken over at the next tick, without waiting for its expiry. */
  private goneToken: number | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly options: LeaseKeeperOptions,
    private readonly emit: (event: LeaseKeeperEvent) => void,
  ) {}

  start(): void {
    this.runTick();
  }

  /** The main thread's heartbeat. */
  alive(): void {
    this.lastAlive = performance.now();
    if (this.starved) {
      this.starved = false;
      this.emit({ kind: 'warn', message: 'routing lease: the main thread answers again; renewals resume' });
    }
  }

  /**
   * The holder of `token` is gone: its address refused a connection, so no process listens there. Safety
   * rests on the token, not on the expiry (lease.ts): taking over now is as safe as after the expiry, and
   * saves the rest of the dead holder's lease (2-3 s of a 3 s lease) in a failover.
   */
  holderGone(token: number): void {
    if (this.token !== null || this.stopped) return;
    this.goneToken = token;
    if (this.ticking) return;
    if (this.timer) clearTimeout(this.timer);
    this.runTick();
  }

  /** Gives the lease up at once (a clean shutdown), so another node takes over without waiting for it to run out. */
  async release(): Promise<void> {
    this.stop();
    await this.ticking;
    const token = this.token;
    this.token = null;
    if (token !== null) {
      await this.pool.query('UPDATE cluster_leases SET expires_at = now() WHERE queue_group = $1 AND holder = $2 AND token = $3', [this.options.group, this.options.nodeId, token]);
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private runTick(): void {
    this.ticking = this.tick().finally(() => {
      this.ticking = null;
    });
  }

  private mainThreadAlive(): boolean {
    const silentMs = performance.now() - this.lastAlive;
    if (silentMs <= this.options.watchdogMs) return true;
    if (!this.starved) {
      this.starved = true;
      this.emit({ kind: 'warn', message: `routing lease: the main thread has not answered for ${Math.round(silentMs)} ms; the lease is no longer renewed` });
    }
    return false;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const { group, nodeId, url, leaseMs } = this.options;
    try {
      if (!this.mainThreadAlive()) {
        // Not renewed: it runs out and another node may take over. The token is kept, so if the main thread
        // comes back before that, renewing goes on; if not, the next renewal finds the token gone.
      } else if (this.token === null && this.goneToken !== null) {
        const gone = this.goneToken;
        this.goneToken = null;
        const { rows } = await this.pool.query<{ token: string }>(
          `UPDATE cluster_leases SET holder = $2, token = token + 1, expires_at = now() + $3 * interval '1 millisecond', holder_url = $4
           WHERE queue_group = $1 AND token = $5 AND holder <> $2
           RETURNING token`,
          [group, nodeId, leaseMs, url, gone],
        );
        if (rows[0] && !this.stopped) {
          this.token = Number(rows[0].token);
          this.emit({ kind: 'warn', message: `routing lease: its holder (token ${gone}) refused connections; taken over before it ran out` });
          this.emit({ kind: 'acquired', token: this.token });
        }
      } else if (this.token === null) {
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
          this.emit({ kind: 'acquired', token: this.token });
        }
      } else {
        // Renewed while the token is still this node's, even if it ran out meanwhile: nobody took over.
        const { rowCount } = await this.pool.query(
          `UPDATE cluster_leases SET expires_at = now() + $4 * interval '1 millisecond'
           WHERE queue_group = $1 AND holder = $2 AND token = $3`,
          [group, nodeId, this.token, leaseMs],
        );
        if (!rowCount) {
          // A node acquires the lease at most once in its life (lease.ts): the keeper stops with it.
          this.token = null;
          this.stop();
          this.emit({ kind: 'lost', reason: 'another node holds the lease now' });
          return;
        }
      }
    } catch (error) {
      // PostgreSQL out of reach: nothing can be decided meanwhile either (every decision is written there under the fence).
      if (!this.stopped) this.emit({ kind: 'warn', message: `routing lease: PostgreSQL did not answer: ${error instanceof Error ? error.message : String(error)}` });
    }
    if (this.stopped) return;
    // A holder renews three times a lease; the others look for a free lease twice as often, so takeover is quick.
    const delayMs = this.token !== null ? Math.floor(leaseMs / 3) : this.goneToken !== null ? 0 : Math.floor(leaseMs / 6);
    this.timer = setTimeout(() => this.runTick(), delayMs);
  }
}
