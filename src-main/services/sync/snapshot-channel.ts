import type { MessagePort } from 'node:worker_threads';
import type { PreparedSnapshotPage } from '../cache/prepared-rows';
import type { SnapshotPageSource } from './apply-snapshot';

/**
 * The two threads of a cold sync talk over one MessagePort: the writer says
 * where to start and grants credit a page at a time; the fetcher sends pages
 * until the last, or an error. Credit bounds how many prepared pages wait in
 * memory when the writer is the slower of the two.
 */
export type ToFetcher = { type: 'start'; cursor: string | null } | { type: 'credit' };
export type ToWriter = { type: 'page'; page: PreparedSnapshotPage } | { type: 'error'; message: string };

/** Pages the fetcher may run ahead of the writer. */
export const PAGES_AHEAD = 2;

/** The writer's side: pages as they arrive from the fetcher thread. */
export function pagesFromPort(port: MessagePort): SnapshotPageSource {
  return async function* pages(cursor) {
    const arrived: ToWriter[] = [];
    let wake: (() => void) | null = null;
    let closed = false;
    const onMessage = (message: ToWriter): void => {
      arrived.push(message);
      wake?.();
    };
    const onClose = (): void => {
      closed = true;
      wake?.();
    };
    port.on('message', onMessage);
    port.on('close', onClose);
    try {
      port.postMessage({ type: 'start', cursor } satisfies ToFetcher);
      for (;;) {
        const message = arrived.shift();
        if (!message) {
          if (closed) throw new Error('The snapshot fetcher stopped before the last page');
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        if (message.type === 'error') throw new Error(message.message);
        yield message.page;
        if (!message.page.nextCursor) return;
        port.postMessage({ type: 'credit' } satisfies ToFetcher);
      }
    } finally {
      port.off('message', onMessage);
      port.off('close', onClose);
    }
  };
}

/** The fetcher's side: waits for the start, then sends pages while it has credit. */
export async function servePages(port: MessagePort, source: SnapshotPageSource): Promise<void> {
  let credit = PAGES_AHEAD;
  let start: ((cursor: string | null) => void) | null = null;
  let granted: (() => void) | null = null;
  const started = new Promise<string | null>((resolve) => (start = resolve));
  port.on('message', (message: ToFetcher) => {
    if (message.type === 'start') start?.(message.cursor);
    else {
      credit += 1;
      granted?.();
    }
  });
  try {
    for await (const page of source(await started)) {
      while (credit === 0) {
        await new Promise<void>((resolve) => (granted = resolve));
        granted = null;
      }
      credit -= 1;
      port.postMessage({ type: 'page', page } satisfies ToWriter);
    }
  } catch (error) {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies ToWriter);
  } finally {
    port.close();
  }
}
