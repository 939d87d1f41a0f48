import type { Logger } from 'pino';
import type { Call } from '@shared/domain/call';
import { jsonInSlices } from '../store/common/json-in-slices';
import { json } from '../store/common/rows';
import type { DecisionWriter } from '../routing/decision-writer';
import { FencedError, type RoutingLease } from './lease';

const RETRY_FIRST_MS = 50;
const RETRY_MAX_MS = 2_000;

/**
 * The routing authority's decisions (call records: queued, offered to whom,
 * answered, ended; and the router's state with its learnt statistics) written
 * under the lease's fence. Call records are written in batches (all that
 * queued up while the previous batch was committing, one row per call, the
 * latest state), so one PostgreSQL round trip carries a burst of decisions.
 *
 * Nothing a decision causes leaves the node before the decision is stored:
 * `afterSaved` runs desktop messages (offers, revocations) only once every
 * record queued before them committed under the fence. A node fenced off
 * therefore never shows an offer that does not count.
 */
export class FencedDecisions implements DecisionWriter {
  private pending = new Map<string, Call>();
  private queuedGen = 0;
  private committedGen = 0;
  private waiters: Array<{ gen: number; run: () => void; fail?: (error: Error) => void }> = [];
  private writing: Promise<void> | null = null;
  private fenced = false;
  private sealed = false;

  constructor(
    private readonly lease: RoutingLease,
    private readonly log: Logger,
    private readonly onFenced: (error: FencedError) => void,
  ) {}

  saveCall(call: Call): void {
    if (this.fenced) return;
    this.pending.set(call.id, call);
    this.queuedGen++;
    this.kick();
  }

  afterSaved(run: () => void): void {
    if (this.fenced) return;
    if (this.committedGen >= this.queuedGen) {
      run();
      return;
    }
    this.waiters.push({ gen: this.queuedGen, run });
  }

  stored(): Promise<void> {
    if (this.sealed) return Promise.reject(new FencedError('this node is stopping: it makes no more routing decisions'));
    return this.committed(this.queuedGen);
  }

  seal(): void {
    this.sealed = true;
  }

  async saveState(kind: string, state: unknown): Promise<void> {
    try {
      // The state was taken before this call: the records it knows of are those queued so far.
      const gen = this.queuedGen;
      // Written out before the transaction, in slices: the routing loop keeps deciding meanwhile.
      const data = await jsonInSlices(state);
      await this.committed(gen);
      await this.lease.fenced(async (client) => {
        await client.query(
          'INSERT INTO documents (kind, data, seq) VALUES ($1, $2, 0) ON CONFLICT (kind) DO UPDATE SET data = excluded.data, seq = excluded.seq',
          [kind, data],
        );
      });
    } catch (error) {
      if (error instanceof FencedError) this.fence(error);
      throw error;
    }
  }

  /** Resolves once the records queued up to generation `gen` are stored; rejects if the node was fenced off. */
  private committed(gen: number): Promise<void> {
    if (this.fenced) return Promise.reject(new FencedError('this node no longer routes'));
    if (this.committedGen >= gen) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ gen, run: resolve, fail: reject }));
  }

  /** Resolves once everything queued so far is stored (or the node was fenced off). */
  async drain(): Promise<void> {
    while (this.writing) await this.writing;
  }

  pendingCount(): number {
    return this.pending.size;
  }

  private kick(): void {
    if (this.writing || this.fenced || this.pending.size === 0) return;
    this.writing = this.writeAll().finally(() => {
      this.writing = null;
    });
  }

  private async writeAll(): Promise<void> {
    let delay = RETRY_FIRST_MS;
    while (this.pending.size > 0 && !this.fenced) {
      const batch = [...this.pending.values()];
      const gen = this.queuedGen;
      this.pending.clear();
      try {
        // One statement, one round trip: the batch is written only if the lease row still has this node's token.
        await this.lease.fencedStatement((fence, p, token) => ({
          sql: `INSERT INTO calls (id, state, agent_id, customer_id, created_at, data, fence)
             SELECT * FROM unnest($${p}::text[], $${p + 1}::text[], $${p + 2}::text[], $${p + 3}::text[], $${p + 4}::text[], $${p + 5}::text[], $${p + 6}::bigint[])
             WHERE EXISTS (SELECT 1 FROM ${fence})
             ON CONFLICT (id) DO UPDATE SET state = excluded.state, agent_id = excluded.agent_id, customer_id = excluded.customer_id,
               data = excluded.data, fence = excluded.fence
             WHERE calls.fence IS NULL OR calls.fence <= excluded.fence`,
          params: [
            batch.map((c) => c.id), batch.map((c) => c.state), batch.map((c) => c.agentId), batch.map((c) => c.customerId),
            batch.map((c) => c.createdAt), batch.map((c) => json(c)), batch.map(() => token),
          ],
        }));
        delay = RETRY_FIRST_MS;
        this.committedGen = gen;
        const ready = this.waiters.filter((w) => w.gen <= gen);
        this.waiters = this.waiters.filter((w) => w.gen > gen);
        for (const waiter of ready) waiter.run();
      } catch (error) {
        if (error instanceof FencedError) {
          this.fence(error);
          return;
        }
        // Put the batch back under anything newer, and try again: records are never written out of order.
        for (const call of batch) if (!this.pending.has(call.id)) this.pending.set(call.id, call);
        this.log.error({ err: error, calls: batch.length, retryInMs: delay }, 'failed to store routing decisions; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }
  }

  private fence(error: FencedError): void {
    if (this.fenced) return;
    this.fenced = true;
    this.pending.clear();
    for (const waiter of this.waiters) waiter.fail?.(error);
    this.waiters = [];
    this.onFenced(error);
  }
}
