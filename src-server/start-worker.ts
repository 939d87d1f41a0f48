import { Worker } from 'node:worker_threads';

/**
 * Starts the server worker `name` that lives beside the caller's module (`here`: its import.meta.url): the
 * TypeScript source through tsx when the server runs from source (tests, `npm start`, the systemd unit), the
 * built .js otherwise.
 */
export function startServerWorker(here: string, name: string, workerData: unknown): Worker {
  return here.endsWith('.ts')
    ? new Worker(new URL(`./${name}.ts`, here), { workerData, execArgv: ['--import', 'tsx'] })
    : new Worker(new URL(`./${name}.js`, here), { workerData });
}
