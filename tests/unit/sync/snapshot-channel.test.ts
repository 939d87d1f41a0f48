import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { PreparedSnapshotPage } from '../../../src-main/services/cache/prepared-rows';
import type { SnapshotPageSource } from '../../../src-main/services/sync/apply-snapshot';
import { PAGES_AHEAD, pagesFromPort, servePages } from '../../../src-main/services/sync/snapshot-channel';

const page = (n: number, last: number): PreparedSnapshotPage => ({
  asOfSeq: 7, totalCustomers: last + 1, nextCursor: n === last ? null : `C${n}`,
  customers: [{ id: `C${n}`, language: 'en', phones: [], stamps: [], data: '{}' }], scores: [], interactions: [],
});

/** A source of `count` pages that records how many it has produced, and from which cursor it started. */
function countingSource(count: number, failAfter?: number): { source: SnapshotPageSource; produced: () => number; startedAt: () => string | null | undefined } {
  let produced = 0;
  let startedAt: string | null | undefined;
  return {
    source: async function* pages(cursor) {
      startedAt = cursor;
      for (let n = 0; n < count; n++) {
        if (failAfter !== undefined && n === failAfter) throw new Error('the server went away');
        produced += 1;
        yield page(n, count - 1);
      }
    },
    produced: () => produced,
    startedAt: () => startedAt,
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

describe('the channel between the cold-sync fetcher and writer threads', () => {
  it('delivers every page in order from the cursor the writer asks for, and never runs more than its credit ahead', async () => {
    const { port1, port2 } = new MessageChannel();
    const { source, produced, startedAt } = countingSource(6);
    void servePages(port2, source);
    const received: string[] = [];
    for await (const p of pagesFromPort(port1)('C-resume')) {
      // The writer is slow: the fetcher may fill its credit, and no more.
      await tick();
      expect(produced() - received.length).toBeLessThanOrEqual(PAGES_AHEAD + 1);
      received.push(p.customers[0]!.id);
    }
    expect(startedAt()).toBe('C-resume');
    expect(received).toEqual(['C0', 'C1', 'C2', 'C3', 'C4', 'C5']);
    port1.close();
  });

  it('ends the writer with the fetcher\'s error, after the pages that came before it', async () => {
    const { port1, port2 } = new MessageChannel();
    void servePages(port2, countingSource(5, 2).source);
    const received: string[] = [];
    await expect((async () => {
      for await (const p of pagesFromPort(port1)(null)) received.push(p.customers[0]!.id);
    })()).rejects.toThrow('the server went away');
    expect(received).toEqual(['C0', 'C1']);
  });

  it('ends the writer with an error, not a hang, when the fetcher goes away before the last page', async () => {
    const { port1, port2 } = new MessageChannel();
    port2.on('message', () => port2.close());
    await expect((async () => {
      for await (const _ of pagesFromPort(port1)(null)) throw new Error('no page was sent');
    })()).rejects.toThrow('The snapshot fetcher stopped before the last page');
  });
});
