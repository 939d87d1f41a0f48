import type { ChangesAvailable } from '@shared/contract/sync';
import type { ServerStore } from '../store/server-store';

/** Up to this many changes ride along with the nudge; a bigger move (an import, a rescore) is pulled in pages. */
const INLINE_CHANGES = 200;

/**
 * Tells the connected desktops that the change feed moved, with the changes
 * themselves when they are few. Reading them once and sending one message to
 * the room replaces a pull from every desktop (a query and a round trip
 * each): with 50 desktops on one server, that was most of the time a
 * change took to reach the last of them. Moves that come while one is being
 * sent are coalesced into the next message, so messages keep feed order.
 */
export class FeedBroadcaster {
  private sentThrough: number | null = null;
  private sending: Promise<void> | null = null;
  private again = false;

  constructor(private readonly store: ServerStore, private readonly send: (payload: ChangesAvailable) => void) {}

  /** Where the feed stands when the server starts: desktops pull anything older themselves on connect. */
  async start(): Promise<void> {
    this.sentThrough = await this.store.lastSeq();
  }

  moved(): void {
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = this.sendMoves().finally(() => (this.sending = null));
  }

  private async sendMoves(): Promise<void> {
    do {
      this.again = false;
      const after = this.sentThrough ?? (await this.store.lastSeq());
      const page = await this.store.changesAfter(after, INLINE_CHANGES);
      if (page.changes.length === 0 && page.lastSeq <= after) continue;
      const whole = !page.snapshotRequired && page.changes.length < INLINE_CHANGES;
      this.send(whole ? { lastSeq: page.lastSeq, afterSeq: after, changes: page.changes } : { lastSeq: await this.store.lastSeq() });
      this.sentThrough = whole ? page.lastSeq : null;
    } while (this.again);
  }
}
