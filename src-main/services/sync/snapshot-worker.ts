/**
 * Cold sync off the backend's main thread: fetch, validate and apply the
 * snapshot pages on its own connection to the cache file, so an offer that
 * rings during a cold sync is handled at once, and the second core does the work.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { LocalCache } from '../cache/local-cache';
import { ServerHttpClient } from '../server-link/server-http-client';
import { applySnapshot } from './apply-snapshot';

export const snapshotWorkerInputSchema = z.object({
  serverUrl: z.string(),
  token: z.string(),
  file: z.string(),
  key: z.string(),
  languages: z.array(z.string()).nullable(),
  pageSize: z.number().int().positive(),
});
export type SnapshotWorkerInput = z.infer<typeof snapshotWorkerInputSchema>;

export type SnapshotWorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done' }
  | { type: 'error'; message: string };

async function run(): Promise<void> {
  const input = snapshotWorkerInputSchema.parse(workerData);
  // The backend's own connection checked the file when it opened it.
  const cache = new LocalCache(input.file, input.key, { verify: false, bulk: true });
  try {
    if (input.languages) cache.setScope({ languages: new Set(input.languages) });
    await applySnapshot(cache, new ServerHttpClient(input.serverUrl), input.token, input.pageSize, (done, total) => {
      parentPort?.postMessage({ type: 'progress', done, total } satisfies SnapshotWorkerMessage);
    });
    parentPort?.postMessage({ type: 'done' } satisfies SnapshotWorkerMessage);
  } finally {
    cache.close();
  }
}

run().catch((error: unknown) => {
  parentPort?.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies SnapshotWorkerMessage);
});
