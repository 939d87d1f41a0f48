/**
 * The writing half of a cold sync, off the backend's main thread: pages
 * arrive prepared from the fetcher thread and go into the cache on this
 * thread's own connection, so an offer that rings during a cold sync is
 * handled at once, and fetching and writing run on both cores.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { z } from 'zod';
import { LocalCache } from '../cache/local-cache';
import { applySnapshot } from './apply-snapshot';
import { pagesFromPort } from './snapshot-channel';

export const snapshotWorkerInputSchema = z.object({
  file: z.string(),
  key: z.string(),
  languages: z.array(z.string()).nullable(),
});
export type SnapshotWorkerInput = z.infer<typeof snapshotWorkerInputSchema>;

export type SnapshotWorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done' }
  | { type: 'error'; message: string };

async function run(): Promise<void> {
  const { port, ...rest } = workerData as SnapshotWorkerInput & { port: MessagePort };
  const input = snapshotWorkerInputSchema.parse(rest);
  // The backend's own connection checked the file when it opened it.
  const cache = new LocalCache(input.file, input.key, { verify: false, bulk: true });
  try {
    if (input.languages) cache.customers.setScope({ languages: new Set(input.languages) });
    await applySnapshot(cache, pagesFromPort(port), (done, total) => {
      parentPort?.postMessage({ type: 'progress', done, total } satisfies SnapshotWorkerMessage);
    });
    parentPort?.postMessage({ type: 'done' } satisfies SnapshotWorkerMessage);
  } finally {
    cache.close();
    port.close();
  }
}

run().catch((error: unknown) => {
  parentPort?.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies SnapshotWorkerMessage);
});
