import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SYNC_IMAGE_FORMAT } from '@shared/contract/sync-image';
import { CACHE_MIGRATIONS } from '@shared/storage/cache-migrations';
import { latestVersion } from '@shared/storage/migrations';
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
  /** Where the time went, for the bench and the log. */
  downloadMs: number;
  installMs: number;
}

/**
 * A cold sync from the server's image: the manifest, the file streamed
 * beside the cache (0600, in the cache's 0700 folder, removed at once
 * after), its SHA-256 and size checked against the manifest, then its rows
 * copied into the encrypted cache. Any failure leaves the cache as it was
 * (the install is one transaction) and throws, for paged JSON to take over.
 */
export async function syncFromImage(http: ServerHttpClient, token: string, cache: LocalCache, onStart: (totalCustomers: number) => void): Promise<ImageSyncResult> {
  const manifest = await http.syncImageManifest(token);
  if (!manifest) throw new ImageSyncUnavailableError('the server offers no cold-sync image (an older server, or images are off)');
  const schemaVersion = latestVersion(CACHE_MIGRATIONS);
  if (manifest.format !== SYNC_IMAGE_FORMAT || manifest.schemaVersion !== schemaVersion) {
    throw new ImageSyncUnavailableError(`the image is format ${manifest.format}, schema ${manifest.schemaVersion}; this app reads format ${SYNC_IMAGE_FORMAT}, schema ${schemaVersion}`);
  }
  onStart(manifest.totalCustomers);
  const folder = dirname(cache.file);
  removeLeftImages(folder);
  const temporary = join(folder, `${IMAGE_FILE_PREFIX}${randomBytes(6).toString('hex')}.sqlite`);
  try {
    const started = performance.now();
    const got = await http.downloadSyncImage(token, manifest.sha256, temporary);
    const downloadMs = performance.now() - started;
    if (got.sha256 !== manifest.sha256 || got.bytes !== manifest.bytes) {
      throw new ImageSyncUnavailableError(`the downloaded image failed its check (SHA-256 ${got.sha256.slice(0, 12)}…, ${got.bytes} bytes; the manifest says ${manifest.sha256.slice(0, 12)}…, ${manifest.bytes} bytes)`);
    }
    const installed = cache.installImage(temporary, manifest.asOfSeq);
    return { customers: installed.customers, asOfSeq: manifest.asOfSeq, bytes: got.bytes, encoding: got.encoding, downloadMs, installMs: performance.now() - started - downloadMs };
  } finally {
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(temporary + suffix, { force: true });
  }
}
