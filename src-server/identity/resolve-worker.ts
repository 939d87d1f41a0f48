import { parentPort, workerData } from 'node:worker_threads';
import { resolveIdentities } from '@shared/identity/resolve';
import type { ResolveJob, ResolveReply } from './resolve-in-worker';

/**
 * One identity resolution on a thread of its own (see resolve-in-worker.ts):
 * the records and options in, the result out without its prepared columns,
 * which nothing after the run reads.
 */
const job = workerData as ResolveJob;
let reply: ResolveReply;
try {
  const { prepared: _prepared, ...result } = resolveIdentities(job.records, { ...job.options, clock: () => performance.now() });
  reply = { ok: true, result };
} catch (error) {
  reply = { ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
parentPort?.postMessage(reply);
