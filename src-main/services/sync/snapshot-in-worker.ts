import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SnapshotWorkerInput, SnapshotWorkerMessage } from './snapshot-worker';

/**
 * Where the worker's code is: the TypeScript source when running from
 * source (tests, `npm start`, loaded through tsx), or the bundle that
 * scripts/build-electron.mjs writes beside main.cjs in the packaged app.
 */
function workerEntry(): { entry: URL | string; execArgv?: string[] } {
  const here: string | undefined = import.meta.url;
  if (here?.endsWith('.ts')) return { entry: new URL('./snapshot-worker.ts', here), execArgv: ['--import', 'tsx'] };
  if (here) return { entry: new URL('./snapshot-worker.js', here) };
  // Packaged: worker_threads cannot read a script from inside app.asar, so
  // electron-builder unpacks the worker bundle (asarUnpack) beside it.
  return { entry: join(__dirname.replace(/app\.asar(?=[\\/]|$)/, 'app.asar.unpacked'), 'snapshot-worker.cjs') };
}

export function runSnapshotInWorker(input: SnapshotWorkerInput, onProgress: (done: number, total: number) => void): Promise<void> {
  const { entry, execArgv } = workerEntry();
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry, { workerData: input, ...(execArgv ? { execArgv } : {}) });
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve();
    };
    worker.on('message', (message: SnapshotWorkerMessage) => {
      if (message.type === 'progress') onProgress(message.done, message.total);
      else if (message.type === 'done') settle();
      else settle(new Error(message.message));
    });
    worker.on('error', (error) => settle(error));
    worker.on('exit', (code) => settle(code === 0 ? undefined : new Error(`The snapshot worker stopped with code ${code}`)));
  });
}
