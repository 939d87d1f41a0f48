import { changesPageSchema, type Change, type SnapshotPage } from '@shared/contract/sync';
import type { LocalCache } from '../cache/local-cache';
import type { ServerHttpClient } from '../server-link/server-http-client';
import { request, type ServerSocket } from '../server-link/server-socket';

/** Small enough that applying one page holds the backend's event loop for tens of milliseconds, not hundreds. */
const SNAPSHOT_PAGE = 1000;
const CHANGES_PAGE = 2000;

export interface SyncProgress {
  phase: 'snapshot' | 'changes' | 'ready';
  done: number;
  total: number;
}

/**
 * Server-to-desktop sync. A cold cache takes a paged snapshot over HTTP;
 * afterwards the desktop pulls the change feed after the last sequence it
 * applied, on every connect and whenever the server says the feed moved.
 * Runs are serialised, so overlapping triggers never apply out of order.
 */
export class SyncEngine {
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly cache: LocalCache,
    private readonly http: ServerHttpClient,
    private readonly token: () => string,
    private readonly onProgress: (progress: SyncProgress) => void,
    private readonly onApplied?: (changes: readonly Change[]) => void,
  ) {}

  needsSnapshot(): boolean {
    return this.cache.meta('snapshot_complete') !== '1';
  }

  /** Takes the snapshot if the cache has never completed one. */
  coldSync(): Promise<void> {
    return this.serialise(async () => {
      if (this.needsSnapshot()) await this.snapshot();
    });
  }

  pull(socket: ServerSocket): Promise<void> {
    return this.serialise(async () => {
      for (;;) {
        // What the server sends is checked against the contract before it touches the cache.
        const page = changesPageSchema.parse(await request(socket, 'changes:pull', { afterSeq: this.cache.lastAppliedSeq(), limit: CHANGES_PAGE }));
        if (page.snapshotRequired) {
          this.cache.setMeta('snapshot_complete', '0');
          await this.snapshot();
          continue;
        }
        if (page.changes.length > 0) this.onProgress({ phase: 'changes', done: page.changes.length, total: page.changes.length });
        this.cache.applyChanges(page.changes, page.lastSeq);
        if (page.changes.length > 0) this.onApplied?.(page.changes);
        if (page.changes.length < CHANGES_PAGE) break;
      }
      this.onProgress({ phase: 'ready', done: this.cache.customerCount(), total: this.cache.customerCount() });
    });
  }

  private async snapshot(): Promise<void> {
    let done = 0;
    let asOfSeq: number | null = null;
    // Fetch the next page while this one is applied: the server and the cache work side by side.
    let next: Promise<SnapshotPage> | null = this.http.snapshotPage(this.token(), null, SNAPSHOT_PAGE);
    while (next) {
      const page: SnapshotPage = await next;
      next = page.nextCursor ? this.http.snapshotPage(this.token(), page.nextCursor, SNAPSHOT_PAGE) : null;
      // If applying this page fails, the prefetch is abandoned; it must not surface as an unhandled rejection.
      next?.catch(() => undefined);
      // The feed position of the first page: changes after it are pulled once the snapshot is in.
      asOfSeq ??= page.asOfSeq;
      this.cache.applySnapshotPage(page);
      done += page.customers.length;
      this.onProgress({ phase: 'snapshot', done, total: page.totalCustomers });
      // Let offers and UI calls in between pages.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.cache.applyChanges([], asOfSeq ?? 0);
    this.cache.setMeta('snapshot_complete', '1');
  }

  private serialise(run: () => Promise<void>): Promise<void> {
    const next = this.running.then(run, run);
    this.running = next.catch(() => undefined);
    return next;
  }
}
