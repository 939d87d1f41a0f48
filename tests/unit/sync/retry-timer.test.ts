import { describe, expect, it } from 'vitest';
import { backoffMs, RetryTimer } from '../../../src-main/services/sync/retry-timer';

describe('retry backoff', () => {
  const policy = { baseMs: 1_000, maxMs: 30_000 };

  it('doubles from the base and stops at the cap', () => {
    const upper = (attempt: number): number => backoffMs(attempt, policy, () => 1);
    expect([1, 2, 3, 4, 5, 6, 10].map(upper)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('jitters within the upper half, so desktops that failed together spread out', () => {
    expect(backoffMs(3, policy, () => 0)).toBe(2_000);
    expect(backoffMs(3, policy, () => 0.5)).toBe(3_000);
    const spread = new Set(Array.from({ length: 50 }, () => backoffMs(4, policy)));
    expect(spread.size).toBeGreaterThan(10);
    for (const delay of spread) expect(delay >= 4_000 && delay <= 8_000).toBe(true);
  });

  it('grows with each failure in a row and starts over after a success', async () => {
    const timer = new RetryTimer({ baseMs: 10, maxMs: 40 }, () => 1);
    const delays = [timer.schedule(() => undefined), timer.schedule(() => undefined), timer.schedule(() => undefined), timer.schedule(() => undefined)];
    expect(delays).toEqual([10, 20, 40, 40]);
    timer.reset();
    let ran = 0;
    expect(timer.schedule(() => ran++)).toBe(10);
    await new Promise((r) => setTimeout(r, 50));
    expect(ran).toBe(1);
    // Only one retry is ever pending: scheduling again replaces it.
    timer.schedule(() => ran++);
    timer.schedule(() => ran++);
    await new Promise((r) => setTimeout(r, 60));
    expect(ran).toBe(2);
  });
});
