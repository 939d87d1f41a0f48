/**
 * A cold sync from the server's image, off the backend's main thread: the
 * download is hashed and the rows copied into the cache on this thread's
 * own connection, so an offer that rings meanwhile is handled at once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { LocalCache } from '../cache/local-cache';
import { ServerHttpClient } from '../server-link/server-http-client';
import { CacheImageRejectedError } from '../cache/image-install';
import { ImageSyncUnavailableError, syncFromImage, type ImageSyncResult } from './image-sync';

export const imageWorkerInputSchema = z.object({
  serverUrl: z.string(),
  token: z.string(),
  file: z.string(),
  key: z.string(),
  languages: z.array(z.string()).nullable(),
});
export type ImageWorkerInput = z.infer<typeof imageWorkerInputSchema>;

export type ImageWorkerMessage =
  | { type: 'started'; total: number }
  | { type: 'done'; result: ImageSyncResult }
  /** `refused`: the image cannot be used (take paged JSON); otherwise a failure worth trying again (network, server busy). */
  | { type: 'error'; message: string; refused: boolean };

/** The server builds an image on first demand; a large book on a busy server takes a while. */
const MANIFEST_TIMEOUT_MS = 300_000;

async function run(): Promise<void> {
  const input = imageWorkerInputSchema.parse(workerData);
  // The backend's own connection checked the file when it opened it.
  const cache = new LocalCache(input.file, input.key, { verify: false, bulk: true });
  try {
    if (input.languages) cache.customers.setScope({ languages: new Set(input.languages) });
    const result = await syncFromImage(new ServerHttpClient(input.serverUrl, MANIFEST_TIMEOUT_MS), input.token, cache, (total) => {
      parentPort?.postMessage({ type: 'started', total } satisfies ImageWorkerMessage);
    });
    parentPort?.postMessage({ type: 'done', result } satisfies ImageWorkerMessage);
  } finally {
    cache.close();
  }
}

run().catch((error: unknown) => {
  const refused = error instanceof ImageSyncUnavailableError || error instanceof CacheImageRejectedError;
  parentPort?.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error), refused } satisfies ImageWorkerMessage);
});
