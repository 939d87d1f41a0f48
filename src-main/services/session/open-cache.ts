import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { CacheUnreadableError, LocalCache } from '../cache/local-cache';
import { describeRebuild, salvageOutbox } from '../cache/salvage-outbox';
import type { CacheKeyProvider } from '../key-provider';

export interface OpenedCache {
  cache: LocalCache;
  /** Set when the cache could not be read and was rebuilt: what was salvaged, for the status bar. */
  rebuildNotice: string | null;
}

/** Opens the user's cache; an unreadable one is set aside and rebuilt from the server. */
export async function openUserCache(dataDir: string, username: string, keys: CacheKeyProvider): Promise<OpenedCache> {
  const dir = join(dataDir, 'users', username.replace(/[^a-zA-Z0-9_-]/g, '_'));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'cache.db');
  const key = await keys.cacheKey();
  try {
    return { cache: new LocalCache(file, key), rebuildNotice: null };
  } catch (error) {
    if (!(error instanceof CacheUnreadableError)) throw error;
    const aside = `${file}.unreadable-${Date.now()}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
    }
    const cache = new LocalCache(file, await keys.cacheKey());
    // Saved work not yet sent is read out of the damaged file and queued again; the server applies each id once.
    const salvage = salvageOutbox(aside, key);
    cache.outbox.requeue(salvage.entries);
    return { cache, rebuildNotice: describeRebuild(salvage) };
  }
}

/** A stable clock node per desktop cache, so two desktops of one agent never tie. */
export function clockNode(cache: LocalCache, agentId: string): string {
  let node = cache.meta.get('hlc_node');
  if (!node) {
    node = `${agentId}-${randomUUID().slice(0, 8)}`.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32);
    cache.meta.set('hlc_node', node);
  }
  return node;
}
