import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { SYNC_IMAGE_FORMAT, type SyncImageManifest } from '@shared/contract/sync-image';
import { CACHE_MIGRATIONS } from '@shared/storage/cache-migrations';
import { latestVersion } from '@shared/storage/migrations';
import { privateDir } from '../private-files';
import type { CustomerScope, FeedStore } from '../store/roles/feed-store';
import { buildCacheImage } from './build-image';
import { zstdCopyOf, type CompressedImage } from './compress-image';

/** When an image stops being served: the feed moved this many changes past it, or it is this old. */
export interface ImageWindow {
  maxLagChanges: number;
  maxAgeMs: number;
}

export interface SyncImage {
  manifest: SyncImageManifest;
  file: string;
  /** The same bytes zstd-compressed, for desktops that ask (null where this runtime has no zstd). */
  zstd: CompressedImage | null;
  scopeKey: string;
  builtAtMs: number;
}

/** One name per scope: 'all', or its languages sorted ('languages:en,zh'); the same set of customers, the same image. */
export function scopeKeyOf(scope: CustomerScope): string {
  return scope === null ? 'all' : `languages:${[...new Set(scope.languages)].sort().join(',')}`;
}

/**
 * The server's cold-sync images, one per scope, in a private folder. An
 * image is built on first demand and served to every desktop of its scope
 * until its window ends (the feed moved too far past it, or it aged out);
 * desktops that ask while one is being built wait for that same build, so
 * a shift start of two thousand desktops costs one build per scope plus
 * the transfers. A replaced image's file is unlinked: downloads already
 * streaming it keep their open descriptor and finish.
 */
export class SyncImageCache {
  private readonly current = new Map<string, SyncImage>();
  private readonly building = new Map<string, Promise<SyncImage>>();
  private builds = 0;

  constructor(
    private readonly store: Pick<FeedStore, 'snapshotPageJson' | 'lastSeq'>,
    private readonly dir: string,
    private readonly window: ImageWindow,
    private readonly log: Pick<Logger, 'info' | 'warn'>,
    private readonly now: () => number = Date.now,
  ) {
    privateDir(dir);
    // Images of an earlier run describe a feed position this run cannot vouch for: start clean.
    for (const name of readdirSync(dir)) if (name.endsWith('.sqlite') || name.endsWith('.sqlite.zst') || name.includes('.building')) rmSync(join(dir, name), { force: true });
  }

  /** How many images this server has built (the shift-start bench and the de-duplication test count them). */
  get buildCount(): number {
    return this.builds;
  }

  /** The image for a scope: the current one if its window is still open, else one built now (once, however many ask). */
  async imageFor(scope: CustomerScope): Promise<SyncImage> {
    const key = scopeKeyOf(scope);
    const image = this.current.get(key);
    if (image && (await this.fresh(image))) return image;
    const pending = this.building.get(key);
    if (pending) return pending;
    const build = this.build(key, scope).finally(() => this.building.delete(key));
    this.building.set(key, build);
    return build;
  }

  /** A served image by its hash, only if it is the current image of the caller's scope: nobody downloads another scope's image. */
  imageById(scope: CustomerScope, sha256: string): SyncImage | null {
    const image = this.current.get(scopeKeyOf(scope));
    return image && image.manifest.sha256 === sha256 ? image : null;
  }

  private async fresh(image: SyncImage): Promise<boolean> {
    if (this.now() - image.builtAtMs > this.window.maxAgeMs) return false;
    return (await this.store.lastSeq()) - image.manifest.asOfSeq <= this.window.maxLagChanges;
  }

  private async build(key: string, scope: CustomerScope): Promise<SyncImage> {
    const started = this.now();
    const temporary = join(this.dir, `image-${randomBytes(6).toString('hex')}.building`);
    try {
      const built = await buildCacheImage(this.store, scope, temporary);
      const sha256 = await hashFile(temporary);
      const file = join(this.dir, `${sha256}.sqlite`);
      renameSync(temporary, file);
      // Built once per image like the image itself: every download of it then moves about a ninth of the bytes.
      const zstd = await zstdCopyOf(file);
      const image: SyncImage = {
        file, zstd, scopeKey: key, builtAtMs: this.now(),
        manifest: {
          format: SYNC_IMAGE_FORMAT, schemaVersion: latestVersion(CACHE_MIGRATIONS), sha256, bytes: statSync(file).size,
          asOfSeq: built.asOfSeq, totalCustomers: built.totalCustomers, builtAt: new Date(this.now()).toISOString(),
          ...(zstd ? { zstd: { sha256: zstd.sha256, bytes: zstd.bytes } } : {}),
        },
      };
      const replaced = this.current.get(key);
      this.current.set(key, image);
      this.builds += 1;
      // Two scopes with the same customers get the same bytes, so the same name: keep a file another scope still serves.
      if (replaced && replaced.file !== file && ![...this.current.values()].some((other) => other.file === replaced.file)) {
        rmSync(replaced.file, { force: true });
        if (replaced.zstd) rmSync(replaced.zstd.file, { force: true });
      }
      // The scope's key names languages only, never a customer.
      this.log.info({ scope: key, customers: built.totalCustomers, asOfSeq: built.asOfSeq, bytes: image.manifest.bytes, zstdBytes: zstd?.bytes ?? null, ms: this.now() - started }, 'built a cold-sync image');
      return image;
    } catch (error) {
      rmSync(temporary, { force: true });
      rmSync(`${temporary}.zst`, { force: true });
      this.log.warn({ err: error, scope: key }, 'could not build a cold-sync image; desktops take paged JSON');
      throw error;
    }
  }
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });
}
