import pg from 'pg';
import { parentPort, workerData } from 'node:worker_threads';
import { LeaseKeeper, type LeaseKeeperCommand, type LeaseKeeperEvent, type LeaseKeeperOptions } from './lease-keeper';

export interface LeaseWorkerData {
  pool: pg.PoolConfig;
  options: LeaseKeeperOptions;
}

/** The routing lease's keeper on a thread of its own (see lease-keeper.ts), with one PostgreSQL connection. */
const port = parentPort;
if (!port) throw new Error('lease-worker.ts runs as a worker thread');
const { pool: poolConfig, options } = workerData as LeaseWorkerData;
const pool = new pg.Pool({ ...poolConfig, max: 1 });
const emit = (event: LeaseKeeperEvent): void => port.postMessage(event);
pool.on('error', (error) => emit({ kind: 'warn', message: `routing lease: idle PostgreSQL connection failed: ${error.message}` }));
const keeper = new LeaseKeeper(pool, options, emit);

port.on('message', (command: LeaseKeeperCommand) => {
  switch (command.kind) {
    case 'alive':
      keeper.alive();
      return;
    case 'holderGone':
      keeper.holderGone(command.token);
      return;
    case 'stop':
      keeper.stop();
      void pool.end().catch(() => undefined);
      return;
    case 'release':
      keeper.release().then(
        () => emit({ kind: 'released' }),
        (error: unknown) => {
          emit({ kind: 'warn', message: `routing lease: could not release it: ${error instanceof Error ? error.message : String(error)}` });
          emit({ kind: 'released' });
        },
      ).finally(() => void pool.end().catch(() => undefined));
      return;
  }
});
keeper.start();
