import { randomBytes } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startRoutingServer } from '../../src-server/routing-server';
import { prepareCacheImage } from '../../src-main/services/cache/image-install';
import { LocalCache } from '../../src-main/services/cache/local-cache';
import { makeTempDir } from '../support/temp-dir';
import { reportBench } from './report';

/**
 * `npm run bench:image-install [-- --customers 20000]`: how long a downloaded plain image takes to
 * become the desktop's encrypted cache, in the two steps the desktop takes:
 *   encrypt: check it, and encrypt it in place with the cache's key (PRAGMA rekey, one pass over pages
 *            the server left room in), on the cold-sync thread;
 *   adopt:   carry the open cache's own tables into it and swap the files, on the cache's connection.
 */
const { values } = parseArgs({ options: { customers: { type: 'string', default: '20000' } } });
const log = (message: string): void => void process.stderr.write(`${message}\n`);
const cpu = (): number => (process.cpuUsage().user + process.cpuUsage().system) / 1e6;

const dir = makeTempDir('bench-image-install');
const server = await startRoutingServer({ port: 0, dataDir: join(dir.path, 'server'), demoCustomers: Number(values.customers), demoAsOf: '2026-11-20', logLevel: 'warn' });
try {
  const image = await server.syncImages!.imageFor(null);
  log(`image of ${image.manifest.totalCustomers} customers: ${(image.manifest.bytes / 1e6).toFixed(0)} MB`);
  const key = randomBytes(32).toString('hex');
  const cache = new LocalCache(join(dir.path, 'desk', 'cache.db'), key);
  const file = join(dir.path, 'desk', 'sync-image-bench.sqlite');
  copyFileSync(image.file, file);

  let t = performance.now();
  let c = cpu();
  const prepared = prepareCacheImage(file, key, { asOfSeq: image.manifest.asOfSeq, languages: null });
  const encryptS = (performance.now() - t) / 1000;
  const encryptCpuS = cpu() - c;

  t = performance.now();
  c = cpu();
  const { customers } = cache.adoptImage(prepared);
  const adoptS = (performance.now() - t) / 1000;
  const adoptCpuS = cpu() - c;
  cache.close();
  log(`encrypt in place: ${encryptS.toFixed(2)} s (${encryptCpuS.toFixed(2)} s CPU); adopt: ${adoptS.toFixed(2)} s (${adoptCpuS.toFixed(2)} s CPU); ${customers} customers readable`);
  reportBench('image-install', {
    customers: image.manifest.totalCustomers, image_mb: Math.round(image.manifest.bytes / 1e6),
    encrypt_s: Math.round(encryptS * 100) / 100, encrypt_cpu_s: Math.round(encryptCpuS * 100) / 100,
    adopt_s: Math.round(adoptS * 100) / 100, adopt_cpu_s: Math.round(adoptCpuS * 100) / 100,
  });
} finally {
  await server.close();
  dir.remove();
}
