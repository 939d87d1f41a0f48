import type { LocalCache } from '../cache/local-cache';
import type { OutboxResult } from '@shared/contract/server-socket';
import { request, type ServerSocket } from '../server-link/server-socket';
import { RetryTimer, type BackoffPolicy } from '../sync/retry-timer';

const BATCH = 250;

export interface OutboxSenderOptions {
  /** How long the server has to acknowledge a batch before it counts as not delivered. */
  ackTimeoutMs?: number;
  /** Backoff between retries of a batch that was not acknowledged, while the link stays up. */
  retry?: BackoffPolicy;
}

/**
 * Drains the outbox to the server in write order. An entry leaves the
 * outbox only when the server acknowledges its id (applied now, or already
 * applied before), so a crash or a cut connection at any point means a
 * retry, never a loss; the server's unique key means never a duplicate.
 * A batch that was refused or timed out is retried on its own, with backoff,
 * for as long as the link is up; a reconnect flushes again anyway.
 */
export class OutboxSender {
  private flushing: Promise<void> | null = null;
  private again = false;
  private readonly ackTimeoutMs: number;
  private readonly retry: RetryTimer;

  constructor(private readonly cache: LocalCache, private readonly onChange: () => void, options: OutboxSenderOptions = {}) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 30_000;
    this.retry = new RetryTimer(options.retry ?? { baseMs: 1_000, maxMs: 30_000 });
  }

  flush(socket: ServerSocket): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = this.drain(socket).catch(() => 'failed' as const).then((outcome) => {
      this.flushing = null;
      if (outcome === 'drained') this.retry.reset();
      if (this.again && socket.connected) {
        this.again = false;
        void this.flush(socket);
      } else if (outcome === 'failed' && socket.connected && this.cache.isOpen) {
        this.retry.schedule(() => {
          if (socket.connected && this.cache.isOpen) void this.flush(socket);
        });
      }
    });
    return this.flushing;
  }

  /** Drops a pending retry (the session is ending). */
  stop(): void {
    this.retry.cancel();
  }

  private async drain(socket: ServerSocket): Promise<'drained' | 'failed' | 'stopped'> {
    while (socket.connected && this.cache.isOpen) {
      const entries = this.cache.outbox.pending(BATCH);
      if (entries.length === 0) return 'drained';
      let results: OutboxResult[];
      try {
        // One message, one durable commit on the server: the batch keeps write order, so each customer's order holds.
        ({ results } = await request(socket, 'outbox:submit', { entries: entries.map((e) => ({ kind: e.kind, payload: e.payload })) }, this.ackTimeoutMs));
      } catch (error) {
        if (!this.cache.isOpen) return 'stopped';
        // Not acknowledged: every entry stays queued and is sent again (the server may have applied it: that ack says duplicate).
        this.cache.outbox.markFailed(entries[0]!.id, error instanceof Error ? error.message : String(error));
        return 'failed';
      }
      if (!this.cache.isOpen) return 'stopped';
      this.cache.outbox.settle(results);
      this.onChange();
    }
    return 'stopped';
  }
}
