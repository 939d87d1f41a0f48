import type { LocalCache } from '../cache/local-cache';
import { prepareSnapshotPage, type PreparedSnapshotPage } from '../cache/prepared-rows';
import type { SnapshotPage } from '@shared/contract/sync';
import type { ServerHttpClient } from '../server-link/server-http-client';

/** Where an unfinished snapshot stopped, kept in the cache's meta table with each page. */
const CURSOR = 'snapshot_cursor';
const AS_OF = 'snapshot_as_of';
const DONE = 'snapshot_done';

/** The snapshot's pages from a cursor on (null: from the start), in customer-id order, validated and prepared for the cache. */
export type SnapshotPageSource = (cursor: string | null) => AsyncIterable<PreparedSnapshotPage>;

/**
 * Takes a full snapshot into the cache, page by page, then records the feed
 * position of the first page so the change feed continues from there.
 * A snapshot cut short (the server restarted, the network went) resumes
 * after the last page it applied: pages are idempotent, and whatever changed
 * behind the cursor since is in the feed after the first page's position.
 */
export async function applySnapshot(cache: LocalCache, pages: SnapshotPageSource, onProgress: (done: number, total: number) => void): Promise<void> {
  const resumeAt = cache.meta.get(CURSOR) || null;
  let done = resumeAt ? Number(cache.meta.get(DONE) ?? 0) : 0;
  let asOfSeq: number | null = resumeAt ? Number(cache.meta.get(AS_OF) ?? 0) : null;
  for await (const page of pages(resumeAt)) {
    asOfSeq ??= page.asOfSeq;
    done += page.customers.length;
    cache.feed.applyPreparedRows(page, { meta: { [CURSOR]: page.nextCursor ?? '', [AS_OF]: String(asOfSeq), [DONE]: String(done) } });
    onProgress(done, page.totalCustomers);
    // Let other work on this thread in between pages.
    await new Promise((resolve) => setImmediate(resolve));
  }
  cache.feed.applyChanges([], asOfSeq ?? 0);
  cache.meta.set('snapshot_complete', '1');
}

/** Pages fetched over HTTP on this thread, the next one requested while the current one is handed on. */
export function fetchSnapshotPages(http: ServerHttpClient, token: string, pageSize: number): SnapshotPageSource {
  return async function* pages(cursor) {
    let next: Promise<SnapshotPage> | null = http.snapshotPage(token, cursor, pageSize);
    while (next) {
      const page: SnapshotPage = await next;
      next = page.nextCursor ? http.snapshotPage(token, page.nextCursor, pageSize) : null;
      // If the consumer stops early, the prefetch is abandoned; it must not surface as an unhandled rejection.
      next?.catch(() => undefined);
      yield prepareSnapshotPage(page);
    }
  };
}

/** Forgets a half-done snapshot, so the next one starts from the first page (the server asked for a fresh one). */
export function forgetSnapshotProgress(cache: LocalCache): void {
  cache.meta.set(CURSOR, '');
}
