import type { LocalCache } from '../cache/local-cache';
import { request, ServerAckError, type ServerSocket } from '../server-link/server-socket';

const BATCH = 200;

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
      for (const entry of entries) {
        try {
          if (entry.kind === 'wrapup') await request(socket, 'wrapup:submit', entry.payload);
          else await request(socket, 'profile:edit', entry.payload);
          this.cache.markAcked(entry.id);
        } catch (error) {
          if (!this.cache.isOpen) return;
          if (error instanceof ServerAckError && error.code === 'invalid_payload') {
            // The server will never take this entry; park it so the queue behind it moves.
            this.cache.markFailed(entry.id, error.message);
            this.cache.markAcked(entry.id);
          } else {
            this.cache.markFailed(entry.id, error instanceof Error ? error.message : String(error));
            return;
          }
        } finally {
          if (this.cache.isOpen) this.onChange();
        }
      }
    }
  }
}
