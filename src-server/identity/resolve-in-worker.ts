import type { CanonicalRecord } from '@shared/identity/canonical';
import type { ResolveOptions, ResolveResult } from '@shared/identity/resolve';
import { startServerWorker } from '../start-worker';

/** What a resolution in a worker gives back: everything but the prepared columns. */
export type WorkerResolveResult = Omit<ResolveResult, 'prepared'>;
export type ResolveJob = {
  records: readonly CanonicalRecord[];
  options: Pick<ResolveOptions, 'standardise' | 'neverLink' | 'mustLink'> & { previousIds: ReadonlyMap<string, string> };
};
export type ResolveReply = { ok: true; result: WorkerResolveResult } | { ok: false; message: string };

/**
 * Resolves identities on a worker thread, so the server's event loop (socket
 * heartbeats, routing, every other request) keeps running through a
 * resolution of the whole book: about 75 s at a million records. The records
 * are copied to the worker and the result back (structured clone), which
 * costs the main thread a fraction of the run.
 */
export function resolveInWorker(job: ResolveJob): Promise<WorkerResolveResult> {
  const worker = startServerWorker(import.meta.url, 'resolve-worker', job);
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.once('message', (reply: ResolveReply) => {
      settled = true;
      void worker.terminate();
      if (reply.ok) resolve(reply.result);
      else reject(new Error(`identity resolution failed: ${reply.message}`));
    });
    worker.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (settled) return;
      settled = true;
      reject(new Error(`identity resolution worker stopped (exit code ${code}) before it answered`));
    });
  });
}
