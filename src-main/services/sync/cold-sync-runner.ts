import type { SyncEngine } from './sync-engine';
import { RetryTimer, type BackoffPolicy } from './retry-timer';

export interface ColdSyncHooks {
  /** Whether the server looks reachable (the realtime link is up): only then is a failure retried on a timer. */
  online(): boolean;
  /** The cache is complete: time to pull the feed from where the snapshot left it. */
  onComplete(): void;
  /** A run failed; `retryInMs` is null when it waits for the next connect instead. */
  onFailure(error: unknown, retryInMs: number | null): void;
}

/**
 * Keeps a cold sync going until the cache is complete. A run that fails (the
 * server restarted, the network went) is tried again after a capped, jittered
 * backoff while the link is up, and at once on every (re)connect; each run
 * resumes after the last page the cache applied.
 */
export class ColdSyncRunner {
  private running = false;
  private stopped = false;
  private readonly retry: RetryTimer;

  constructor(private readonly sync: Pick<SyncEngine, 'needsSnapshot' | 'coldSync'>, private readonly hooks: ColdSyncHooks, policy: BackoffPolicy = { baseMs: 1_000, maxMs: 30_000 }) {
    this.retry = new RetryTimer(policy);
  }

  /** Starts a run unless the cache is complete or one is under way; a pending backoff is cut short. */
  start(): void {
    if (this.stopped || this.running || !this.sync.needsSnapshot()) return;
    this.retry.cancel();
    this.running = true;
    this.sync.coldSync().then(
      () => {
        this.running = false;
        if (this.stopped) return;
        this.retry.reset();
        this.hooks.onComplete();
      },
      (error: unknown) => {
        this.running = false;
        if (this.stopped) return;
        const retryInMs = this.hooks.online() ? this.retry.schedule(() => {
          if (this.hooks.online()) this.start();
        }) : null;
        this.hooks.onFailure(error, retryInMs);
      },
    );
  }

  /** The session ended: no more runs or retries. */
  stop(): void {
    this.stopped = true;
    this.retry.cancel();
  }
}
