import type { ChangesAvailable } from '@shared/contract/sync';
import type { Session, SessionHolder } from '../session/session';
import type { StatusDesk } from '../status/status-desk';

/** What the desk does with the server link for its cache: catch up on every connect, follow the feed between. */
export class SyncLink {
  constructor(
    private readonly sessions: SessionHolder,
    private readonly status: StatusDesk,
  ) {}

  /** On every (re)connect: drain the outbox, resume a cold sync or catch up on the feed, then let the desks resubscribe. */
  async connected(session: Session): Promise<void> {
    // Saved work goes first, whatever state the cache is in: a pending snapshot must not hold it back.
    void session.outbox.flush(session.socket);
    if (session.sync.needsSnapshot()) {
      // Its completion pulls the feed.
      session.coldSync.start();
    } else {
      try {
        await session.sync.pull(session.socket);
      } catch (error) {
        this.status.setSync({ ...this.status.syncStatus, phase: 'error', message: `Sync failed: ${error instanceof Error ? error.message : String(error)}` });
        // The server asked for a fresh snapshot and it did not finish: keep at it.
        if (this.sessions.isCurrent(session) && session.sync.needsSnapshot()) session.coldSync.start();
      }
    }
    this.sessions.connect(session);
  }

  /** The feed moved. A malformed push (null) is not trusted: the feed is pulled instead, and that answer is checked too. */
  changesAvailable(session: Session, push: ChangesAvailable | null): void {
    // The snapshot's feed position covers this; a cold sync waiting out its backoff keeps waiting (a busy feed must not hammer a failing snapshot).
    if (session.sync.needsSnapshot()) return;
    // What is applied reaches the pop through the feed hook (CallDesk.feedApplied); a failure waits for the next move.
    (push ? session.sync.receive(push, session.socket) : session.sync.pull(session.socket)).catch(() => undefined);
  }
}
