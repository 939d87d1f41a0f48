import type { ChangesAvailable } from '@shared/contract/sync';
import type { FeedStore } from '../store/roles/feed-store';

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
  /** Desktops have been told of every change up to here (sent along, or to be pulled). */
  private sentThrough = 0;
  private sending: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly store: FeedStore,
    private readonly send: (payload: ChangesAvailable) => void,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Where the feed stands when the server starts: desktops pull anything older themselves on connect. */
  async start(): Promise<void> {
    this.sentThrough = await this.store.lastSeq();
  }

  moved(): void {
    if (this.sending) {
      this.again = true;
      return;
    }
    // A failed read leaves sentThrough where it was, so the next move sends what this one missed.
    this.sending = this.sendMoves().catch(this.onError).finally(() => {
      this.sending = null;
      // A move that came after the last read but before this point would otherwise wait for the next one.
      if (this.again) this.moved();
    });
  }

  private async sendMoves(): Promise<void> {
    do {
      this.again = false;
      const after = this.sentThrough;
      const page = await this.store.changesAfter(after, INLINE_CHANGES);
      if (page.changes.length === 0 && page.lastSeq <= after) continue;
      if (!page.snapshotRequired && page.changes.length < INLINE_CHANGES) {
        this.send({ lastSeq: page.lastSeq, afterSeq: after, changes: page.changes });
        this.sentThrough = page.lastSeq;
      } else {
        // Too many to send along: a nudge, and each desktop pulls up to here in pages.
        const lastSeq = await this.store.lastSeq();
        this.send({ lastSeq });
        this.sentThrough = lastSeq;
      }
    } while (this.again);
  }
}
