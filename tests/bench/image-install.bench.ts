import { randomBytes } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3-multiple-ciphers';
import { startRoutingServer } from '../../src-server/routing-server';
import { CACHE_CIPHER, unlockCache } from '../../src-main/services/cache/cache-cipher';
import { LocalCache } from '../../src-main/services/cache/local-cache';
import { makeTempDir } from '../support/temp-dir';
import { reportBench } from './report';

/**
 * `npm run bench:image-install [-- --customers 20000]`: two ways to turn a downloaded plain image
 * into the desktop's encrypted cache, on the same image.
 *   attach_copy: ATTACH the image (KEY '') to the open encrypted cache and copy its tables in one
 *                transaction (what the desktop does: the outbox and settings in the file stay);
 *   rekey:       copy the image file and encrypt it in place (PRAGMA rekey), as a new cache file.
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

  let t = performance.now();
  let c = cpu();
  const cache = new LocalCache(join(dir.path, 'attach', 'cache.db'), key);
  cache.installImage(image.file, image.manifest.asOfSeq);
  cache.close();
  const attachS = (performance.now() - t) / 1000;
  const attachCpuS = cpu() - c;

  t = performance.now();
  c = cpu();
  const file = join(dir.path, 'rekeyed.db');
  copyFileSync(image.file, file);
  const db = new Database(file);
  db.pragma(`cipher='${CACHE_CIPHER}'`);
  db.pragma(`rekey='${key}'`);
  db.close();
  const reopened = new Database(file);
  unlockCache(reopened, key);
  const count = reopened.prepare('SELECT COUNT(*) FROM customers').pluck().get();
  reopened.close();
  const rekeyS = (performance.now() - t) / 1000;
  const rekeyCpuS = cpu() - c;
  log(`attach + copy: ${attachS.toFixed(2)} s (${attachCpuS.toFixed(2)} s CPU); copy + rekey: ${rekeyS.toFixed(2)} s (${rekeyCpuS.toFixed(2)} s CPU), ${String(count)} customers readable`);
  reportBench('image-install', {
    customers: image.manifest.totalCustomers, image_mb: Math.round(image.manifest.bytes / 1e6),
    attach_copy_s: Math.round(attachS * 100) / 100, attach_copy_cpu_s: Math.round(attachCpuS * 100) / 100,
    rekey_s: Math.round(rekeyS * 100) / 100, rekey_cpu_s: Math.round(rekeyCpuS * 100) / 100,
  });
} finally {
  await server.close();
  dir.remove();
}
