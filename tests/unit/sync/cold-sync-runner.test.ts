import { describe, expect, it } from 'vitest';
import { ColdSyncRunner } from '../../../src-main/services/sync/cold-sync-runner';

/** A cold sync that fails its first `failures` runs, then completes; it counts the runs it was asked for. */
function flakySync(failures: number): { needsSnapshot(): boolean; coldSync(): Promise<void>; runs: number } {
  let complete = false;
  const sync = {
    runs: 0,
    needsSnapshot: () => !complete,
    coldSync: async (): Promise<void> => {
      sync.runs += 1;
      if (sync.runs <= failures) throw new Error(`the server answered 503 (run ${sync.runs})`);
      complete = true;
    },
  };
  return sync;
}

const waitFor = async (check: () => boolean, timeoutMs = 5_000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('the cold-sync runner', () => {
  it('retries a failing cold sync on a growing backoff while the link is up, until it completes', async () => {
    const sync = flakySync(3);
    const retries: Array<number | null> = [];
    let completed = 0;
    const runner = new ColdSyncRunner(sync, { online: () => true, onComplete: () => (completed += 1), onFailure: (_e, retryInMs) => retries.push(retryInMs) }, { baseMs: 20, maxMs: 200 });
    runner.start();
    await waitFor(() => completed === 1);
    expect(sync.runs).toBe(4);
    expect(retries).toHaveLength(3);
    // Equal jitter: each delay is between half and all of base * 2^(n-1).
    retries.forEach((delay, n) => {
      expect(delay).toBeGreaterThanOrEqual(10 * 2 ** n);
      expect(delay).toBeLessThanOrEqual(20 * 2 ** n);
    });
    runner.stop();
  });

  it('waits for the next connect instead of a timer when the link is down, and a start cuts a pending backoff short', async () => {
    const sync = flakySync(1);
    let online = false;
    const retries: Array<number | null> = [];
    let completed = 0;
    const runner = new ColdSyncRunner(sync, { online: () => online, onComplete: () => (completed += 1), onFailure: (_e, retryInMs) => retries.push(retryInMs) }, { baseMs: 60_000, maxMs: 60_000 });
    runner.start();
    await waitFor(() => retries.length === 1);
    expect(retries).toEqual([null]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sync.runs).toBe(1);
    // The link came back: the reconnect starts it at once.
    online = true;
    runner.start();
    await waitFor(() => completed === 1);
    expect(sync.runs).toBe(2);
    runner.stop();
  });

  it('stops retrying once stopped (the session ended)', async () => {
    const sync = flakySync(100);
    const runner = new ColdSyncRunner(sync, { online: () => true, onComplete: () => undefined, onFailure: () => undefined }, { baseMs: 10, maxMs: 10 });
    runner.start();
    await waitFor(() => sync.runs >= 2);
    runner.stop();
    const runs = sync.runs;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(sync.runs).toBeLessThanOrEqual(runs + 1);
  });
});
