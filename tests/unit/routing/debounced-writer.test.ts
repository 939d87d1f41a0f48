import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DebouncedWriter } from '../../../src-server/routing/router-state';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the router state writer', () => {
  it('writes once for many changes, a short delay after the first', async () => {
    const writes: number[] = [];
    const writer = new DebouncedWriter(async () => void writes.push(performance.now()), 30, pino({ level: 'silent' }));
    const first = performance.now();
    for (let i = 0; i < 20; i++) writer.schedule();
    await sleep(120);
    expect(writes).toHaveLength(1);
    expect(writes[0]! - first).toBeGreaterThanOrEqual(25);
    await writer.close();
  });

  it('spaces writes by a multiple of what the last one took, so a large state does not take all the time', async () => {
    const spans: Array<{ start: number; end: number }> = [];
    const writer = new DebouncedWriter(async () => {
      const start = performance.now();
      await sleep(60);
      spans.push({ start, end: performance.now() });
    }, 10, pino({ level: 'silent' }));
    writer.schedule();
    await sleep(100);
    expect(spans).toHaveLength(1);
    expect(writer.currentDelayMs()).toBeGreaterThanOrEqual(4 * 60);
    writer.schedule();
    while (spans.length < 2) await sleep(10);
    // Scheduled right after the first write ended: the second waited four times as long, not the 10 ms delay.
    expect(spans[1]!.start - spans[0]!.end).toBeGreaterThanOrEqual(4 * 60 - 40);
    await writer.close();
  });

  it('goes on after a write that failed', async () => {
    let calls = 0;
    const writer = new DebouncedWriter(async () => {
      calls++;
      if (calls === 1) throw new Error('database away');
    }, 5, pino({ level: 'silent' }));
    await writer.flush();
    await writer.flush();
    expect(calls).toBe(2);
    await writer.close();
  });
});
