import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SYNC_IMAGE_FORMAT } from '@shared/contract/sync-image';
import { CACHE_MIGRATIONS } from '@shared/storage/cache-migrations';
import { latestVersion } from '@shared/storage/migrations';
import { prepareCacheImage, removeImageFile, type PreparedImage } from '../cache/image-install';
import type { LocalCache } from '../cache/local-cache';
import type { ServerHttpClient } from '../server-link/server-http-client';

/** Why a cold sync did not come from the image; the engine logs it and takes paged JSON. */
export class ImageSyncUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ImageSyncUnavailableError';
  }
}

/** The session ended while a cold sync ran: it was stopped, not failed (nothing is retried or reported). */
export class ColdSyncStoppedError extends Error {
  constructor() {
    super('The cold sync was stopped: the session ended');
    this.name = 'ColdSyncStoppedError';
  }
}

/** Plain images left beside the cache by a run that was stopped or crashed hold customer records: removed. */
export function removeLeftImages(folder: string): void {
  for (const name of readdirSync(folder)) if (name.startsWith(IMAGE_FILE_PREFIX)) rmSync(join(folder, name), { force: true });
}

const IMAGE_FILE_PREFIX = 'sync-image-';

export interface ImageSyncResult {
  customers: number;
  asOfSeq: number;
  bytes: number;
  /** How it travelled: zstd-compressed, or the plain file (an older server or runtime). */
  encoding: 'zstd' | 'identity';
  /** Where the time went, for the bench and the log: the download (hash included), then encrypting and adopting the file. */
  downloadMs: number;
  installMs: number;
}

/** An image downloaded, checked and encrypted beside the cache, ready for the cache to adopt. */
export interface FetchedImage {
  prepared: PreparedImage;
  bytes: number;
  encoding: 'zstd' | 'identity';
  downloadMs: number;
  prepareMs: number;
}

/**
 * The part of a cold sync from the server's image that may run off the
 * cache's thread: the manifest, the file streamed beside the cache (0600,
 * in the cache's 0700 folder), its SHA-256 and size checked against the
 * manifest, then checked, scoped and encrypted in place (image-install.ts).
 * Any failure removes the file and throws, for paged JSON to take over.
 */
export async function fetchPreparedImage(
  http: ServerHttpClient,
  token: string,
  target: { folder: string; key: string; languages: readonly string[] | null },
  onStart: (totalCustomers: number) => void,
): Promise<FetchedImage> {
  const manifest = await http.syncImageManifest(token);
  if (!manifest) throw new ImageSyncUnavailableError('the server offers no cold-sync image (an older server, or images are off)');
  const schemaVersion = latestVersion(CACHE_MIGRATIONS);
  if (manifest.format !== SYNC_IMAGE_FORMAT || manifest.schemaVersion !== schemaVersion) {
    throw new ImageSyncUnavailableError(`the image is format ${manifest.format}, schema ${manifest.schemaVersion}; this app reads format ${SYNC_IMAGE_FORMAT}, schema ${schemaVersion}`);
  }
  onStart(manifest.totalCustomers);
  removeLeftImages(target.folder);
  const temporary = join(target.folder, `${IMAGE_FILE_PREFIX}${randomBytes(6).toString('hex')}.sqlite`);
  try {
    const started = performance.now();
    const got = await http.downloadSyncImage(token, manifest, temporary);
    const downloadMs = performance.now() - started;
    // The compressed bytes' hash where they were hashed (the manifest named it), else the file's.
    const expected = got.hashed === 'zstd' && manifest.zstd ? manifest.zstd.sha256 : manifest.sha256;
    if (got.sha256 !== expected || got.bytes !== manifest.bytes) {
      const which = got.hashed === 'zstd' ? 'compressed ' : '';
      throw new ImageSyncUnavailableError(`the downloaded image failed its check (${which}SHA-256 ${got.sha256.slice(0, 12)}…, ${got.bytes} bytes; the manifest says ${expected.slice(0, 12)}…, ${manifest.bytes} bytes)`);
    }
    const prepared = prepareCacheImage(temporary, target.key, { asOfSeq: manifest.asOfSeq, languages: target.languages });
    return { prepared, bytes: got.bytes, encoding: got.encoding, downloadMs, prepareMs: performance.now() - started - downloadMs };
  } catch (error) {
    removeImageFile(temporary);
    throw error;
  }
}

/** Makes a fetched image the cache file (LocalCache.adoptImage), on the cache's own connection; the file is gone after, adopted or not. */
export function adoptFetchedImage(cache: LocalCache, fetched: FetchedImage): ImageSyncResult {
  const started = performance.now();
  try {
    const { customers } = cache.adoptImage(fetched.prepared);
    const installMs = fetched.prepareMs + performance.now() - started;
    return { customers, asOfSeq: fetched.prepared.asOfSeq, bytes: fetched.bytes, encoding: fetched.encoding, downloadMs: fetched.downloadMs, installMs };
  } finally {
    removeImageFile(fetched.prepared.file);
  }
}

/** A cold sync from the server's image, all on this thread (tests, light clients). */
export async function syncFromImage(http: ServerHttpClient, token: string, cache: LocalCache, onStart: (totalCustomers: number) => void): Promise<ImageSyncResult> {
  const { file, key, languages } = cache.connectionDetails();
  return adoptFetchedImage(cache, await fetchPreparedImage(http, token, { folder: dirname(file), key, languages }, onStart));
}
