import type { SnapshotPage } from '@shared/contract/sync';
import type { LocalCache } from '../cache/local-cache';
import type { ServerHttpClient } from '../server-link/server-http-client';

/**
 * Takes a full snapshot into the cache: pages in customer-id order, the next
 * page fetched while the current one is applied, then the feed position of
 * the first page recorded so the change feed continues from there.
 */
export async function applySnapshot(
  cache: LocalCache,
  http: ServerHttpClient,
  token: string,
  pageSize: number,
  onProgress: (done: number, total: number) => void,
): Promise<void> {
  let done = 0;
  let asOfSeq: number | null = null;
  let next: Promise<SnapshotPage> | null = http.snapshotPage(token, null, pageSize);
  while (next) {
    const page: SnapshotPage = await next;
    next = page.nextCursor ? http.snapshotPage(token, page.nextCursor, pageSize) : null;
    // If applying this page fails, the prefetch is abandoned; it must not surface as an unhandled rejection.
    next?.catch(() => undefined);
    asOfSeq ??= page.asOfSeq;
    cache.applySnapshotPage(page);
    done += page.customers.length;
    onProgress(done, page.totalCustomers);
    // Let other work on this thread in between pages.
    await new Promise((resolve) => setImmediate(resolve));
  }
  cache.applyChanges([], asOfSeq ?? 0);
  cache.setMeta('snapshot_complete', '1');
}
