import { changesPageSchema, type Change, type ChangesAvailable } from '@shared/contract/sync';
import type { LocalCache } from '../cache/local-cache';
import { applySnapshot, fetchSnapshotPages, forgetSnapshotProgress } from './apply-snapshot';
import { fetchImageInWorker, runSnapshotInWorker } from './snapshot-in-worker';
import { adoptFetchedImage, ColdSyncStoppedError, ImageSyncUnavailableError, syncFromImage, type ImageSyncResult } from './image-sync';
import { CacheImageRejectedError, removeImageFile } from '../cache/image-install';
import { silentLogger, type DeskLogger } from '../desk/logger';
import type { ServerHttpClient } from '../server-link/server-http-client';
import { request, type ServerSocket } from '../server-link/server-socket';

// Measured at 100,000 customers: 1,000 per page synced in 15 s, 2,000 in 19 s (bigger pages outlive the
// fetcher's young generation, and collecting them cost more than the extra requests), 500 in 17 s.
const SNAPSHOT_PAGE = 1000;
const CHANGES_PAGE = 2000;
/**
 * Image attempts that fail on the way (network, a busy or restarting server) before a session takes
 * paged JSON instead. At a shift start the image is the cheap path for the server too: falling back
 * at the first timeout would turn a busy server's trouble into hundreds of paged snapshots.
 */
const IMAGE_ATTEMPTS = 3;

/** How the last cold sync filled the cache: from the server's image, or paged JSON (and why not the image). */
export type ColdSyncPath = { path: 'image'; result: ImageSyncResult } | { path: 'json'; imageRefused: string | null };

export interface SyncProgress {
  phase: 'snapshot' | 'changes' | 'ready';
  done: number;
  total: number;
}

/**
 * Server-to-desktop sync. A cold cache takes a paged snapshot over HTTP;
 * afterwards the desktop pulls the change feed after the last sequence it
 * applied on every connect, and takes the changes the server sends when the
 * feed moves (pulling instead when they do not follow on).
 * Runs are serialised, so overlapping triggers never apply out of order.
 */
export class SyncEngine {
  private running: Promise<void> = Promise.resolve();
  /** Ends the cold sync's worker threads when the session ends (see stop). */
  private readonly stopping = new AbortController();
  /** The snapshot under way, if any (settled either way). */
  private snapshotRun: Promise<void> = Promise.resolve();

  constructor(
    private readonly cache: LocalCache,
    private readonly http: ServerHttpClient,
    private readonly token: () => string,
    private readonly onProgress: (progress: SyncProgress) => void,
    private readonly onApplied?: (changes: readonly Change[]) => void,
    private readonly options: {
      /** Off only where workers cannot start (e.g. some test runners); the work is the same either way. */
      useWorker?: boolean;
      /** Customers per snapshot page; tests shrink it to cut a cold sync between pages. */
      snapshotPageSize?: number;
      /** Off: cold syncs take paged JSON without asking for the server's image. */
      images?: boolean;
      log?: DeskLogger;
    } = {},
  ) {}

  /** How the last cold sync of this session went; null before one ran. */
  lastColdSync: ColdSyncPath | null = null;
  private imageFailures = 0;

  /**
   * The session is ending: a cold sync under way is stopped (its threads
   * ended, a plain image it left removed), and this resolves once nothing of
   * it can write into the cache any more, so the cache can be closed.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.snapshotRun;
  }

  needsSnapshot(): boolean {
    return this.cache.meta.get('snapshot_complete') !== '1';
  }

  /** Takes the snapshot if the cache has never completed one. */
  coldSync(): Promise<void> {
    return this.serialise(async () => {
      if (this.needsSnapshot()) await this.snapshot();
    });
  }

  pull(socket: ServerSocket): Promise<void> {
    return this.serialise(() => this.pullPages(socket));
  }

  /**
   * The server said the feed moved. Changes that came with the message and
   * follow on from what this cache holds are applied at once; otherwise
   * (this desktop missed a message, or the move was too big to send along)
   * it pulls. A move this cache already has is ignored.
   */
  receive(push: ChangesAvailable, socket: ServerSocket): Promise<void> {
    return this.serialise(async () => {
      const last = this.cache.feed.lastAppliedSeq();
      if (push.lastSeq <= last) return;
      if (push.changes === undefined || push.afterSeq === undefined || push.afterSeq > last) {
        await this.pullPages(socket);
        return;
      }
      const fresh = push.changes.filter((change) => change.seq > last);
      this.cache.feed.applyChanges(fresh, push.lastSeq);
      if (fresh.length > 0) this.onApplied?.(fresh);
    });
  }

  private async pullPages(socket: ServerSocket): Promise<void> {
    for (;;) {
      // What the server sends is checked against the contract before it touches the cache.
      const page = changesPageSchema.parse(await request(socket, 'feed:pull', { afterSeq: this.cache.feed.lastAppliedSeq(), limit: CHANGES_PAGE }));
      if (page.snapshotRequired) {
        this.cache.meta.set('snapshot_complete', '0');
        forgetSnapshotProgress(this.cache);
        await this.snapshot();
        continue;
      }
      if (page.changes.length > 0) this.onProgress({ phase: 'changes', done: page.changes.length, total: page.changes.length });
      this.cache.feed.applyChanges(page.changes, page.lastSeq);
      if (page.changes.length > 0) this.onApplied?.(page.changes);
      if (page.changes.length < CHANGES_PAGE) break;
    }
    this.onProgress({ phase: 'ready', done: this.cache.customers.count(), total: this.cache.customers.count() });
  }

  /**
   * A cold snapshot runs in worker threads (one fetching, one writing on its
   * own connection to the cache), so the backend's event loop stays free
   * for offers while it runs.
   */
  private snapshot(): Promise<void> {
    const run = this.takeSnapshot();
    this.snapshotRun = run.catch(() => undefined);
    return run;
  }

  private async takeSnapshot(): Promise<void> {
    const onProgress = (done: number, total: number): void => this.onProgress({ phase: 'snapshot', done, total });
    let imageRefused: string | null = 'images are off on this desktop';
    if (this.options.images !== false) {
      try {
        const result = await this.imageSnapshot((total) => onProgress(0, total));
        this.lastColdSync = { path: 'image', result };
        onProgress(result.customers, result.customers);
        (this.options.log ?? silentLogger).info({ customers: result.customers, asOfSeq: result.asOfSeq, bytes: result.bytes, encoding: result.encoding, downloadMs: Math.round(result.downloadMs), installMs: Math.round(result.installMs) }, 'cold sync from the server image');
        return;
      } catch (error) {
        if (error instanceof ColdSyncStoppedError) throw error;
        imageRefused = error instanceof Error ? error.message : String(error);
        const refused = error instanceof ImageSyncUnavailableError || error instanceof CacheImageRejectedError;
        this.imageFailures += 1;
        // The reasons name sizes, hashes, versions and network errors, never a customer.
        if (!refused && this.imageFailures < IMAGE_ATTEMPTS) {
          // The cold-sync runner tries again after its backoff.
          (this.options.log ?? silentLogger).warn({ reason: imageRefused, attempt: this.imageFailures }, 'cold sync image failed; trying again');
          throw error;
        }
        (this.options.log ?? silentLogger).warn({ reason: imageRefused }, 'cold sync image not used; falling back to paged JSON');
      }
    }
    this.lastColdSync = { path: 'json', imageRefused };
    await this.jsonSnapshot(onProgress);
  }

  private async imageSnapshot(onStart: (total: number) => void): Promise<ImageSyncResult> {
    if (this.options.useWorker === false) return syncFromImage(this.http, this.token(), this.cache, onStart);
    const { file, key, languages } = this.cache.connectionDetails();
    const fetched = await fetchImageInWorker({ serverUrl: this.http.baseUrl, token: this.token(), file, key, languages }, onStart, this.stopping.signal);
    if (this.stopping.signal.aborted) {
      removeImageFile(fetched.prepared.file);
      throw new ColdSyncStoppedError();
    }
    // The thread has closed its connection; the swap runs here, on the cache's own.
    return adoptFetchedImage(this.cache, fetched);
  }

  private async jsonSnapshot(onProgress: (done: number, total: number) => void): Promise<void> {
    const pageSize = this.options.snapshotPageSize ?? SNAPSHOT_PAGE;
    if (this.options.useWorker === false) {
      await applySnapshot(this.cache, fetchSnapshotPages(this.http, this.token(), pageSize), onProgress);
      return;
    }
    const { file, key, languages } = this.cache.connectionDetails();
    // The worker writes through its own connection; this one sees each page as it commits.
    await runSnapshotInWorker({ serverUrl: this.http.baseUrl, token: this.token(), file, key, languages, pageSize }, onProgress, this.stopping.signal);
  }

  private serialise(run: () => Promise<void>): Promise<void> {
    const next = this.running.then(run, run);
    this.running = next.catch(() => undefined);
    return next;
  }
}
