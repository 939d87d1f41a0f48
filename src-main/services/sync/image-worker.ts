/**
 * The part of a cold sync from the server's image that runs off the
 * backend's main thread: the download is hashed, checked and encrypted in
 * place here, so an offer that rings meanwhile is handled at once. The main
 * thread then adopts the file (image-sync.ts, adoptFetchedImage).
 */
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { ServerHttpClient } from '../server-link/server-http-client';
import { CacheImageRejectedError } from '../cache/image-install';
import { fetchPreparedImage, ImageSyncUnavailableError, type FetchedImage } from './image-sync';

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
  | { type: 'done'; fetched: FetchedImage }
  /** `refused`: the image cannot be used (take paged JSON); otherwise a failure worth trying again (network, server busy). */
  | { type: 'error'; message: string; refused: boolean };

/** The server builds an image on first demand; a large book on a busy server takes a while. */
const MANIFEST_TIMEOUT_MS = 300_000;

async function run(): Promise<void> {
  const input = imageWorkerInputSchema.parse(workerData);
  const target = { folder: dirname(input.file), key: input.key, languages: input.languages };
  const fetched = await fetchPreparedImage(new ServerHttpClient(input.serverUrl, MANIFEST_TIMEOUT_MS), input.token, target, (total) => {
    parentPort?.postMessage({ type: 'started', total } satisfies ImageWorkerMessage);
  });
  parentPort?.postMessage({ type: 'done', fetched } satisfies ImageWorkerMessage);
}

run().catch((error: unknown) => {
  const refused = error instanceof ImageSyncUnavailableError || error instanceof CacheImageRejectedError;
  parentPort?.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error), refused } satisfies ImageWorkerMessage);
});
