/**
 * The fetching half of a cold sync, on its own thread: pages are fetched,
 * validated against the contract and prepared as rows here, while the
 * writer thread puts the previous ones into the cache.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { z } from 'zod';
import { ServerHttpClient } from '../server-link/server-http-client';
import { fetchSnapshotPages } from './apply-snapshot';
import { servePages } from './snapshot-channel';

export const snapshotFetcherInputSchema = z.object({
  serverUrl: z.string(),
  token: z.string(),
  pageSize: z.number().int().positive(),
});
export type SnapshotFetcherInput = z.infer<typeof snapshotFetcherInputSchema>;

const { port, ...input } = workerData as SnapshotFetcherInput & { port: MessagePort };
const { serverUrl, token, pageSize } = snapshotFetcherInputSchema.parse(input);
void servePages(port, fetchSnapshotPages(new ServerHttpClient(serverUrl), token, pageSize));
