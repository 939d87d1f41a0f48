import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startRoutingServer, type RunningServer } from '../../src-server/routing-server';
import { api } from '../support/stack';
import { TsProcess } from '../support/child-process';
import { makeTempDir } from '../support/temp-dir';
import { TcpProxy } from '../support/tcp-proxy';
import { pendingOutbox, startDesktops, until } from '../support/desktops';
import { DEMO_AGENTS } from '@shared/demo-data/agents';
import { percentile, reportBench } from './report';
import { demoAgentId, putCallsOnRecord } from '../support/calls-on-record';

/**
 * `npm run bench:sync [-- --customers 100000 --desktops 50 --changes 30 --outbox 5000] [--cold-only]`
 * 1. cold sync: the whole book with its interactions into an empty desktop cache (a separate process, so its RSS is its own),
 *    from the server's image and by paged JSON; timed from the session's start (the sign-in returned) to a ready cache,
 *    with the sign-in before it reported apart (`sign_in_s`);
 * 2. propagation: a change made on the server, until every connected desktop has applied it (and to each one);
 * 3. outbox: queued wrap-ups acknowledged per second once the link is up.
 */
const { values } = parseArgs({
  options: { customers: { type: 'string', default: '100000' }, desktops: { type: 'string', default: '50' }, changes: { type: 'string', default: '30' }, outbox: { type: 'string', default: '5000' }, 'cold-only': { type: 'boolean', default: false } },
});
const log = (message: string): void => void process.stderr.write(`${message}\n`);
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;
/** The machine is shared: every figure is printed with how busy it was. */
const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

interface ColdSyncFigures { seconds: number; signInSeconds: number; cpuSeconds: number; rssMb: number; loopMaxMs: number; loopP99Ms: number }

/** One cold sync into an empty cache, by a desktop in a process of its own (so its CPU and RSS are its own). */
async function coldSyncOnce(server: RunningServer, path: 'image' | 'json'): Promise<ColdSyncFigures> {
  const desktopDir = makeTempDir('bench-sync-desktop');
  const desktop = new TsProcess('tests/support/desktop-process.ts', [server.url, desktopDir.path, 'ava'], { HOLDFAST_COLD_SYNC_IMAGE: path === 'image' ? '1' : '0', HOLDFAST_WORKER_BUNDLES: workerBundles.path });
  const serverCpu = process.cpuUsage();
  try {
    await desktop.waitForLine((l) => l.event === 'ready', 600_000);
    const served = process.cpuUsage(serverCpu);
    log(`  the server's process meanwhile: ${((served.user + served.system) / 1e6).toFixed(2)} s of CPU`);
    desktop.send({ cmd: 'metrics' });
    const { metrics } = (await desktop.waitForLine((l) => 'metrics' in l)) as { metrics: { coldSyncSeconds: number; signInSeconds: number; coldSyncCpuSeconds: number; maxRssMb: number; eventLoopMaxMs: number; eventLoopP99Ms: number } };
    log(`cold sync (${path}): ${metrics.coldSyncSeconds.toFixed(2)} s after signing in (the sign-in took ${metrics.signInSeconds.toFixed(2)} s), ${metrics.coldSyncCpuSeconds.toFixed(2)} s of CPU, desktop peak RSS ${metrics.maxRssMb.toFixed(0)} MB, event loop held at most ${metrics.eventLoopMaxMs.toFixed(0)} ms (p99 ${metrics.eventLoopP99Ms.toFixed(0)} ms)`);
    return { seconds: metrics.coldSyncSeconds, signInSeconds: metrics.signInSeconds, cpuSeconds: metrics.coldSyncCpuSeconds, rssMb: metrics.maxRssMb, loopMaxMs: metrics.eventLoopMaxMs, loopP99Ms: metrics.eventLoopP99Ms };
  } finally {
    await desktop.stop();
    desktopDir.remove();
  }
}

const IMAGE_RUNS = 3;

/**
 * The cold-sync workers as the packaged app runs them (esbuild bundles), not TypeScript through tsx.
 * Built under node_modules so that the bundles' external native modules resolve as in the app.
 */
const workerBundles = { path: resolve('node_modules/.cache/holdfast-bench-workers') };
execFileSync(process.execPath, ['scripts/build-electron.mjs', '--outdir', workerBundles.path], { stdio: 'ignore' });

/** The run with the median time. */
function median(runs: readonly ColdSyncFigures[]): ColdSyncFigures {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
}

/** A full collection now (the flag is set at run time: tsx starts node without --expose-gc). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * The whole book into an empty cache, from the server's image (built first, as the first desktop
 * of a shift would have it built: its time is the server's, once per window) and by paged JSON.
 */
async function coldSync(customers: number): Promise<{ image: ColdSyncFigures; imageRuns: ColdSyncFigures[]; json: ColdSyncFigures; buildSeconds: number; buildCpuSeconds: number; imageMb: number }> {
  const serverDir = makeTempDir('bench-sync-server');
  const started = Date.now();
  const server = await startRoutingServer({ port: 0, dataDir: serverDir.path, demoCustomers: customers, demoAsOf: '2026-11-20', logLevel: 'warn' });
  log(`seeded ${customers} customers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  try {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const image = await server.syncImages!.imageFor(null);
    const buildSeconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const buildCpuSeconds = (cpu.user + cpu.system) / 1e6;
    log(`server built the image in ${buildSeconds.toFixed(2)} s, ${buildCpuSeconds.toFixed(2)} s of CPU (${(image.manifest.bytes / 1e6).toFixed(0)} MB); load average ${loadAverage()}`);
    // This process hosts the server and just seeded the book: GBs of garbage that V8 would otherwise
    // collect on its threads while the desktops are timed. A server that has run for a while has none.
    collectGarbage();
    // Likewise the GBs it just wrote: left dirty, the kernel writes them back while the desktops are
    // timed, on the same two cores and disk. A desktop is not on its server's machine.
    execFileSync('sync');
    // Three desktops one after another, each a new process; the median is reported, all three logged.
    const runs: ColdSyncFigures[] = [];
    for (let run = 0; run < IMAGE_RUNS; run++) runs.push(await coldSyncOnce(server, 'image'));
    const viaImage = median(runs);
    log(`cold sync (image), ${IMAGE_RUNS} runs: ${runs.map((r) => r.seconds.toFixed(2)).join(', ')} s; median ${viaImage.seconds.toFixed(2)} s; load average ${loadAverage()}`);
    const viaJson = await coldSyncOnce(server, 'json');
    return { image: viaImage, imageRuns: runs, json: viaJson, buildSeconds, buildCpuSeconds, imageMb: image.manifest.bytes / 1e6 };
  } finally {
    await server.close();
    serverDir.remove();
  }
}

/** Per change: how long each desktop took to apply it, and how long until the last of them had. */
async function propagation(desktopCount: number, changes: number): Promise<{ perDesktop: number[]; allDesktops: number[] }> {
  const serverDir = makeTempDir('bench-prop-server');
  const server = await startRoutingServer({ port: 0, dataDir: serverDir.path, demoCustomers: 500, demoAsOf: '2026-11-20', logLevel: 'warn' });
  const agents = DEMO_AGENTS.filter((a) => a.role === 'agent').map((a) => a.username);
  const desktops = await startDesktops(server.url, Array.from({ length: desktopCount }, (_, i) => agents[i % agents.length]!));
  const customers = (await server.store.snapshotPage(null, 500)).customers;
  const perDesktop: number[] = [];
  const allDesktops: number[] = [];
  try {
    for (let i = 0; i < changes; i++) {
      const customer = customers[i % customers.length]!;
      const email = `moved-${i}@example.com`;
      const seen = desktops.backends.map((backend) => new Promise<number>((resolve) => {
        const off = backend.onFeedApplied((applied) => {
          if (applied.some((c) => c.entity === 'customer' && c.data.id === customer.id && c.data.email === email)) {
            off();
            resolve(performance.now());
          }
        });
      }));
      const t0 = performance.now();
      const edit = await api(server, 'PATCH', `/api/customers/${customer.id}`, { field: 'email', value: email });
      if (edit.status !== 200) throw new Error(`edit failed: ${JSON.stringify(edit.body)}`);
      const arrivals = (await Promise.all(seen)).map((at) => at - t0);
      perDesktop.push(...arrivals);
      allDesktops.push(Math.max(...arrivals));
    }
  } finally {
    await desktops.close();
    await server.close();
    serverDir.remove();
  }
  return { perDesktop: perDesktop.sort((a, b) => a - b), allDesktops: allDesktops.sort((a, b) => a - b) };
}

async function outboxThroughput(count: number): Promise<number> {
  const serverDir = makeTempDir('bench-outbox-server');
  const server = await startRoutingServer({ port: 0, dataDir: serverDir.path, demoCustomers: 200, demoAsOf: '2026-11-20', logLevel: 'warn' });
  const proxy = new TcpProxy(server.port);
  const desktops = await startDesktops(await proxy.start(), ['ava']);
  const backend = desktops.backends[0]!;
  const customers = (await server.store.snapshotPage(null, 200)).customers;
  // The server takes wrap-ups for the agent's own calls: one call on record per customer, wrapped up again and again.
  await putCallsOnRecord(server.store, customers.map((c, i) => ({ callId: `CALL-bench-${i}`, agentId: demoAgentId('ava'), customerId: c.id })));
  try {
    proxy.cut();
    await until(async () => {
      const status = await backend.invoke('status.get', {});
      return status.ok && status.value.connection !== 'online';
    }, 20_000);
    for (let i = 0; i < count; i++) {
      await backend.invoke('wrapUp.save', {
        callId: `CALL-bench-${i % customers.length}`, customerId: customers[i % customers.length]!.id, disposition: 'retained', offerId: null, offerOutcome: 'no_offer', notes: '', summary: '',
      });
    }
    const t0 = performance.now();
    proxy.restore();
    await until(async () => (await pendingOutbox(backend)) === 0, 600_000, 'the outbox to drain');
    const seconds = (performance.now() - t0) / 1000;
    const stored = (await server.store.recentOutcomes(count + 10)).length;
    if (stored !== count) throw new Error(`expected ${count} outcomes on the server, found ${stored}`);
    return count / seconds;
  } finally {
    await desktops.close();
    await proxy.stop();
    await server.close();
    serverDir.remove();
  }
}

const cold = await coldSync(Number(values.customers));
if (values['cold-only']) {
  reportBench('sync-cold', {
    customers: Number(values.customers), cold_sync_s: round(cold.image.seconds), cold_sync_runs_s: cold.imageRuns.map((r) => round(r.seconds)), sign_in_s: round(cold.image.signInSeconds), cold_sync_cpu_s: round(cold.image.cpuSeconds), cold_sync_rss_mb: round(cold.image.rssMb, 0),
    image_build_s: round(cold.buildSeconds), image_build_cpu_s: round(cold.buildCpuSeconds), image_mb: round(cold.imageMb, 0),
    cold_sync_json_s: round(cold.json.seconds), cold_sync_json_cpu_s: round(cold.json.cpuSeconds), cold_sync_json_rss_mb: round(cold.json.rssMb, 0),
  });
  process.exit(0);
}
const { perDesktop, allDesktops } = await propagation(Number(values.desktops), Number(values.changes));
log(`propagation until all ${values.desktops} desktops have a change: p50 ${percentile(allDesktops, 50).toFixed(1)} ms, p95 ${percentile(allDesktops, 95).toFixed(1)} ms`);
log(`propagation to each desktop: p50 ${percentile(perDesktop, 50).toFixed(1)} ms, p95 ${percentile(perDesktop, 95).toFixed(1)} ms`);
const acked = await outboxThroughput(Number(values.outbox));
log(`outbox: ${acked.toFixed(0)} wrap-ups acknowledged per second`);
reportBench('sync', {
  customers: Number(values.customers),
  // From the server's image (the default path); the image was built before, once for the window.
  cold_sync_s: round(cold.image.seconds),
  cold_sync_runs_s: cold.imageRuns.map((r) => round(r.seconds)),
  // Before it, the sign-in (the server's scrypt check of the password, by design a few hundred ms).
  sign_in_s: round(cold.image.signInSeconds),
  cold_sync_cpu_s: round(cold.image.cpuSeconds),
  cold_sync_rss_mb: round(cold.image.rssMb, 0),
  cold_sync_event_loop_max_ms: round(cold.image.loopMaxMs, 0),
  cold_sync_event_loop_p99_ms: round(cold.image.loopP99Ms, 0),
  image_build_s: round(cold.buildSeconds),
  image_build_cpu_s: round(cold.buildCpuSeconds),
  image_mb: round(cold.imageMb, 0),
  // Paged JSON, the fallback (no image, a bad hash, an older server).
  cold_sync_json_s: round(cold.json.seconds),
  cold_sync_json_cpu_s: round(cold.json.cpuSeconds),
  cold_sync_json_rss_mb: round(cold.json.rssMb, 0),
  cold_sync_json_event_loop_max_ms: round(cold.json.loopMaxMs, 0),
  desktops: Number(values.desktops),
  // The figures: until every one of the desktops has applied the change.
  propagation_p50_ms: round(percentile(allDesktops, 50)),
  propagation_p95_ms: round(percentile(allDesktops, 95)),
  propagation_each_p50_ms: round(percentile(perDesktop, 50)),
  propagation_each_p95_ms: round(percentile(perDesktop, 95)),
  outbox_acked_per_s: round(acked, 0),
});
