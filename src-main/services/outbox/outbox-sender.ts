import type { LocalCache } from '../cache/local-cache';
import type { OutboxResult } from '@shared/contract/server-socket';
import { request, type ServerSocket } from '../server-link/server-socket';

const BATCH = 250;

/**
 * Drains the outbox to the server in write order. An entry leaves the
 * outbox only when the server acknowledges its id (applied now, or already
 * applied before), so a crash or a cut connection at any point means a
 * retry, never a loss; the server's unique key means never a duplicate.
 */
export class OutboxSender {
  private flushing: Promise<void> | null = null;
  private again = false;

  constructor(private readonly cache: LocalCache, private readonly onChange: () => void) {}

  flush(socket: ServerSocket): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    // A flush that fails (the session closed under it, the link dropped) is retried on the next connect.
    this.flushing = this.drain(socket).catch(() => undefined).finally(() => {
      this.flushing = null;
      if (this.again && socket.connected) {
        this.again = false;
        void this.flush(socket);
      }
    });
    return this.flushing;
  }

  private async drain(socket: ServerSocket): Promise<void> {
    while (socket.connected && this.cache.isOpen) {
      const entries = this.cache.pendingOutbox(BATCH);
      if (entries.length === 0) return;
      let results: OutboxResult[];
      try {
        // One message, one durable commit on the server: the batch keeps write order, so each customer's order holds.
        ({ results } = await request(socket, 'outbox:submit', { entries: entries.map((e) => ({ kind: e.kind, payload: e.payload })) }, 30_000));
      } catch (error) {
        if (!this.cache.isOpen) return;
        // Not acknowledged: every entry stays queued and is sent again on the next flush.
        this.cache.markFailed(entries[0]!.id, error instanceof Error ? error.message : String(error));
        return;
      }
      if (!this.cache.isOpen) return;
      this.cache.settleOutbox(results);
      this.onChange();
    }
  }
}
