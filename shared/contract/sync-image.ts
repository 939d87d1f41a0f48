import { z } from 'zod';

/**
 * The cold-sync image: a ready SQLite file of what a desktop caches, built
 * by the server once per scope and change window (src-server/sync-image),
 * downloaded by desktops at shift start instead of paged JSON.
 * `format` changes when the image's layout does; `schemaVersion` is the
 * desktop cache migration the image was made at. A desktop that reads a
 * different format or schema takes paged JSON instead.
 */
export const SYNC_IMAGE_FORMAT = 1;

export const syncImageManifestSchema = z.object({
  format: z.number().int().positive(),
  schemaVersion: z.number().int().positive(),
  /** The image's name on the server and its SHA-256 (hex): the download is checked against it. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  /** The feed position the image was read at; the desktop follows the feed from here. */
  asOfSeq: z.number().int().nonnegative(),
  totalCustomers: z.number().int().nonnegative(),
  builtAt: z.string(),
  /**
   * The zstd copy the server sends to a desktop that takes it: its SHA-256
   * and size. Such a desktop hashes the compressed bytes as they arrive (a
   * ninth of the inflated ones) and checks the inflated size against
   * `bytes`; zstd inflates the same bytes to the same file. Absent from a
   * server without zstd.
   */
  zstd: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().positive() }).optional(),
});
export type SyncImageManifest = z.infer<typeof syncImageManifestSchema>;
