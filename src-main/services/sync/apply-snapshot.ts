import type { SnapshotPage } from '@shared/contract/sync';
import type { LocalCache } from '../cache/local-cache';
import type { ServerHttpClient } from '../server-link/server-http-client';

/** Where an unfinished snapshot stopped, kept in the cache's meta table with each page. */
const CURSOR = 'snapshot_cursor';
const AS_OF = 'snapshot_as_of';
const DONE = 'snapshot_done';

/**
 * Takes a full snapshot into the cache: pages in customer-id order, the next
 * page fetched while the current one is applied, then the feed position of
 * the first page recorded so the change feed continues from there.
 * A snapshot cut short (the server restarted, the network went) resumes
 * after the last page it applied: pages are idempotent, and whatever changed
 * behind the cursor since is in the feed after the first page's position.
 */
export async function applySnapshot(
  cache: LocalCache,
  http: ServerHttpClient,
  token: string,
  pageSize: number,
  onProgress: (done: number, total: number) => void,
): Promise<void> {
  const resumeAt = cache.meta(CURSOR) || null;
  let done = resumeAt ? Number(cache.meta(DONE) ?? 0) : 0;
  let asOfSeq: number | null = resumeAt ? Number(cache.meta(AS_OF) ?? 0) : null;
  let next: Promise<SnapshotPage> | null = http.snapshotPage(token, resumeAt, pageSize);
  while (next) {
    const page: SnapshotPage = await next;
    next = page.nextCursor ? http.snapshotPage(token, page.nextCursor, pageSize) : null;
    // If applying this page fails, the prefetch is abandoned; it must not surface as an unhandled rejection.
    next?.catch(() => undefined);
    asOfSeq ??= page.asOfSeq;
    done += page.customers.length;
    cache.applySnapshotPage(page, { meta: { [CURSOR]: page.nextCursor ?? '', [AS_OF]: String(asOfSeq), [DONE]: String(done) } });
    onProgress(done, page.totalCustomers);
    // Let other work on this thread in between pages.
    await new Promise((resolve) => setImmediate(resolve));
  }
  cache.applyChanges([], asOfSeq ?? 0);
  cache.setMeta('snapshot_complete', '1');
}

/** Forgets a half-done snapshot, so the next one starts from the first page (the server asked for a fresh one). */
export function forgetSnapshotProgress(cache: LocalCache): void {
  cache.setMeta(CURSOR, '');
}
