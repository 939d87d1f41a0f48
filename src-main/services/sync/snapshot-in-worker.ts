import { dirname, join } from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { SnapshotFetcherInput } from './snapshot-fetcher';
import type { SnapshotWorkerInput, SnapshotWorkerMessage } from './snapshot-worker';
import { ColdSyncStoppedError, ImageSyncUnavailableError, removeLeftImages, type FetchedImage } from './image-sync';
import type { ImageWorkerInput, ImageWorkerMessage } from './image-worker';

type WorkerName = 'snapshot-worker' | 'snapshot-fetcher' | 'image-worker';

/**
 * Where a worker's code is: the TypeScript source when running from
 * source (tests, `npm start`, loaded through tsx), or the bundle that
 * scripts/build-electron.mjs writes beside main.cjs in the packaged app.
 * HOLDFAST_WORKER_BUNDLES names a folder of those bundles for a desktop
 * run from source: the benchmarks time the worker users run (starting one
 * through tsx cost 0.45 s of CPU, the bundle 0.11 s).
 */
function workerEntry(name: WorkerName): { entry: URL | string; execArgv?: string[] } {
  const bundles = process.env.HOLDFAST_WORKER_BUNDLES;
  // No inherited `--import tsx` either: a bundle needs no loader, and the packaged app has none.
  if (bundles) return { entry: join(bundles, `${name}.cjs`), execArgv: [] };
  const here: string | undefined = import.meta.url;
  if (here?.endsWith('.ts')) return { entry: new URL(`./${name}.ts`, here), execArgv: ['--import', 'tsx'] };
  if (here) return { entry: new URL(`./${name}.js`, here) };
  // Packaged: worker_threads cannot read a script from inside app.asar, so
  // electron-builder unpacks the worker bundles (asarUnpack) beside it.
  return { entry: join(__dirname.replace(/app\.asar(?=[\\/]|$)/, 'app.asar.unpacked'), `${name}.cjs`) };
}

/**
 * The fetcher's heap is capped: left alone, V8 let it grow with the garbage of
 * parsing ~400 MB of JSON, and the desktop peaked at 543 MB during a
 * 100,000-customer cold sync; capped, at 391 MB, in about the same time.
 * A page of 1,000 customers needs a few tens of MB while it is parsed.
 */
const FETCHER_HEAP_MB = 192;

function startWorker(name: WorkerName, data: object, port?: MessagePort): Worker {
  const { entry, execArgv } = workerEntry(name);
  return new Worker(entry, {
    workerData: port ? { ...data, port } : data,
    transferList: port ? [port] : [],
    ...(name === 'snapshot-fetcher' ? { resourceLimits: { maxOldGenerationSizeMb: FETCHER_HEAP_MB } } : {}),
    ...(execArgv ? { execArgv } : {}),
  });
}

/**
 * Runs a cold sync on two threads joined by a message channel: one fetches
 * and validates pages, the other writes them into the cache. The promise
 * settles with the writer; the fetcher goes with it.
 */
export function runSnapshotInWorker(
  input: SnapshotWorkerInput & SnapshotFetcherInput,
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  if (signal?.aborted) return Promise.reject(new ColdSyncStoppedError());
  const { port1, port2 } = new MessageChannel();
  const { serverUrl, token, pageSize, file, key, languages } = input;
  const fetcher = startWorker('snapshot-fetcher', { serverUrl, token, pageSize } satisfies SnapshotFetcherInput, port2);
  const writer = startWorker('snapshot-worker', { file, key, languages } satisfies SnapshotWorkerInput, port1);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      void fetcher.terminate();
      if (error) reject(error);
      else resolve();
    };
    writer.on('message', (message: SnapshotWorkerMessage) => {
      if (message.type === 'progress') onProgress(message.done, message.total);
      else if (message.type === 'done') settle();
      else settle(new Error(message.message));
    });
    writer.on('error', (error) => settle(error));
    writer.on('exit', (code) => settle(code === 0 ? undefined : new Error(`The snapshot worker stopped with code ${code}`)));
    // A fetcher that dies closes its port; the writer then stops with an error of its own.
    fetcher.on('error', () => undefined);
    // The session ended: both threads go before the promise settles, so nothing writes into the cache after.
    signal?.addEventListener('abort', () => {
      if (settled) return;
      // Settled as stopped before the threads' own exit events can call it a failure; rejected once they are gone.
      settled = true;
      void Promise.all([fetcher.terminate(), writer.terminate()]).finally(() => reject(new ColdSyncStoppedError()));
    }, { once: true });
  });
}

/**
 * The download and preparation of the server's image on a worker thread
 * (image-worker.ts); resolves with the encrypted file for the cache to
 * adopt, or rejects with the reason to fall back to paged JSON. Stopped by
 * `signal`, the thread is ended and the image it may have left beside the
 * cache is deleted before the promise settles.
 */
export function fetchImageInWorker(input: ImageWorkerInput, onStart: (total: number) => void, signal?: AbortSignal): Promise<FetchedImage> {
  if (signal?.aborted) return Promise.reject(new ColdSyncStoppedError());
  const worker = startWorker('image-worker', input);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: { result: FetchedImage } | { error: Error }): void => {
      if (settled) return;
      settled = true;
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.result);
    };
    worker.on('message', (message: ImageWorkerMessage) => {
      if (message.type === 'started') onStart(message.total);
      else if (message.type === 'done') settle({ result: message.fetched });
      else settle({ error: message.refused ? new ImageSyncUnavailableError(message.message) : new Error(message.message) });
    });
    worker.on('error', (error) => settle({ error }));
    worker.on('exit', (code) => settle({ error: new Error(`The image worker stopped with code ${code} before it finished`) }));
    signal?.addEventListener('abort', () => {
      if (settled) return;
      // Settled as stopped before the thread's exit event can call it a failure; rejected once it is gone and its file removed.
      settled = true;
      void worker.terminate().finally(() => {
        removeLeftImages(dirname(input.file));
        reject(new ColdSyncStoppedError());
      });
    }, { once: true });
  });
}
