import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startRoutingServer } from '../../src-server/routing-server';
import { prepareCacheImage } from '../../src-main/services/cache/image-install';
import { LocalCache } from '../../src-main/services/cache/local-cache';
import { makeTempDir } from '../support/temp-dir';
import { percentile, reportBench } from './report';

/**
 * `npm run bench:image-install [-- --customers 20000]`: how long a downloaded plain image takes to
 * become the desktop's encrypted cache, in the two steps the desktop takes:
 *   encrypt: check it, and encrypt it in place with the cache's key (PRAGMA rekey, one pass over pages
 *            the server left room in), on the cold-sync thread;
 *   adopt:   carry the open cache's own tables into it and swap the files, on the cache's connection.
 * Then what the adopted cache (which keeps the image's page size) costs through a shift: wrap-ups
 * saved one at a time (each a durable WAL commit) and the reads a call pop makes, for random customers.
 */
const { values } = parseArgs({ options: { customers: { type: 'string', default: '20000' } } });
const log = (message: string): void => void process.stderr.write(`${message}\n`);
const cpu = (): number => (process.cpuUsage().user + process.cpuUsage().system) / 1e6;

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** 300 wrap-ups saved one by one, and the reads of 2,000 call pops, on random customers of the cache. */
function dayOfWork(cache: LocalCache, book: readonly string[]): { saveP50: number; saveP95: number; popP50: number; popP95: number } {
  const ids = Array.from({ length: 2000 }, () => book[Math.floor(Math.random() * book.length)]!);
  const pops: number[] = [];
  for (const id of ids) {
    const t = performance.now();
    if (!cache.customers.get(id)) throw new Error(`customer ${id} is not in the adopted cache`);
    cache.customers.scores(id);
    cache.customers.recentInteractions(id, 20);
    pops.push(performance.now() - t);
  }
  const saves: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    cache.outbox.saveWrapUp({
      id: randomUUID(), callId: `CALL-bench-${i}`, customerId: ids[i]!, agentId: 'A-bench', disposition: 'retained', offerId: null,
      offerOutcome: 'no_offer', notes: 'Wants the loyalty discount before renewing.', summary: '', summaryAuthor: 'agent', createdAt: new Date().toISOString(),
    });
    saves.push(performance.now() - t);
  }
  saves.sort((a, b) => a - b);
  pops.sort((a, b) => a - b);
  return { saveP50: percentile(saves, 50), saveP95: percentile(saves, 95), popP50: percentile(pops, 50), popP95: percentile(pops, 95) };
}

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
  const book = (await server.store.snapshotPage(null, image.manifest.totalCustomers)).customers.map((c) => c.id);
  const day = dayOfWork(cache, book);
  cache.close();
  log(`encrypt in place: ${encryptS.toFixed(2)} s (${encryptCpuS.toFixed(2)} s CPU); adopt: ${adoptS.toFixed(2)} s (${adoptCpuS.toFixed(2)} s CPU); ${customers} customers readable`);
  log(`then, in the adopted cache: a wrap-up saved p50 ${day.saveP50.toFixed(2)} ms, p95 ${day.saveP95.toFixed(2)} ms; a pop's reads p50 ${day.popP50.toFixed(2)} ms, p95 ${day.popP95.toFixed(2)} ms`);
  reportBench('image-install', {
    customers: image.manifest.totalCustomers, image_mb: Math.round(image.manifest.bytes / 1e6),
    encrypt_s: round2(encryptS), encrypt_cpu_s: round2(encryptCpuS), adopt_s: round2(adoptS), adopt_cpu_s: round2(adoptCpuS),
    wrap_up_save_p50_ms: round2(day.saveP50), wrap_up_save_p95_ms: round2(day.saveP95), pop_reads_p50_ms: round2(day.popP50), pop_reads_p95_ms: round2(day.popP95),
  });
} finally {
  await server.close();
  dir.remove();
}
