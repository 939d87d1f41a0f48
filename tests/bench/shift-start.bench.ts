import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEMO_AGENTS } from '@shared/demo-data/agents';
import { TsProcess } from '../support/child-process';
import { freePort, waitForHealth } from '../support/server-process';
import { makeTempDir } from '../support/temp-dir';
import { reportBench } from './report';

/**
 * `npm run bench:shift-start [-- --desktops 500 --customers 2000 --workers 4 --install-every 25]`
 * A shift starts: every desktop begins its cold sync at the same moment against one routing server
 * (a process of its own, whose CPU and memory are measured from /proc). The desktops are light
 * clients, `--workers` processes of them, running the desktop's image sync code: the manifest and
 * the streamed, hash-checked download, and for one in `--install-every` the install into a real
 * encrypted cache. Prints {"desktops","all_synced_s","server_cpu_s","server_rss_mb",...}.
 */
const { values } = parseArgs({
  options: {
    desktops: { type: 'string', default: '500' },
    customers: { type: 'string', default: '2000' },
    workers: { type: 'string', default: '4' },
    'install-every': { type: 'string', default: '25' },
  },
});
const desktops = Number(values.desktops);
const workerCount = Math.max(1, Math.min(desktops, Number(values.workers)));
const log = (message: string): void => void process.stderr.write(`${message}\n`);
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

const TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
/** User plus system CPU of a process so far, from /proc (Linux). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}
function rssMbOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) / 1024;
}

const serverDir = makeTempDir('bench-shift-server');
const workDir = makeTempDir('bench-shift-desktops');
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const seeding = Date.now();
const server = new TsProcess('src-server/main.ts', ['--port', String(port), '--data', serverDir.path, '--customers', values.customers], {
  HOLDFAST_LOG_LEVEL: 'warn', HOLDFAST_DEMO_AS_OF: '2026-11-20',
});
const workers: TsProcess[] = [];
try {
  await waitForHealth(url, 900_000);
  const serverPid = server.child.pid!;
  log(`server up with ${values.customers} customers in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
  // Four accounts per worker process: a few sign-ins (scrypt) before the clock starts, and both roles' scopes.
  const agents = DEMO_AGENTS.map((a) => a.username);
  const per = Math.ceil(desktops / workerCount);
  for (let w = 0; w < workerCount; w++) {
    const first = w * per;
    const count = Math.min(per, desktops - first);
    if (count <= 0) break;
    const accounts = [0, 1, 2, 3].map((k) => agents[(w * 4 + k) % agents.length]!);
    workers.push(new TsProcess('tests/bench/shift-start-client.ts', [url, workDir.path, String(first), String(count), values['install-every'], accounts.join(',')]));
  }
  await Promise.all(workers.map((w) => w.waitForLine((l) => l.event === 'ready', 300_000)));

  const cpuBefore = cpuSecondsOf(serverPid);
  let peakRss = rssMbOf(serverPid);
  const sampler = setInterval(() => void (peakRss = Math.max(peakRss, rssMbOf(serverPid))), 100);
  const t0 = performance.now();
  for (const w of workers) w.send({ cmd: 'go' });
  await Promise.all(workers.map((w) => w.waitForLine((l) => l.event === 'finished', 900_000)));
  const allSyncedS = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const serverCpuS = cpuSecondsOf(serverPid) - cpuBefore;

  const done = workers.flatMap((w) => w.lines.filter((l) => 'done' in l).map((l) => l.done as { ms: number; installed: boolean; attempts: number }));
  const errors = workers.flatMap((w) => w.lines.filter((l) => 'error' in l).map((l) => String(l.error)));
  const kinds = new Map<string, number>();
  for (const error of errors) kinds.set(error, (kinds.get(error) ?? 0) + 1);
  for (const [error, n] of kinds) log(`${n} desktops failed: ${error}`);
  const times = done.map((d) => d.ms).sort((a, b) => a - b);
  const loadAverage = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  log(`${done.length} of ${desktops} desktops synced in ${allSyncedS.toFixed(1)} s (median ${(times[Math.floor(times.length / 2)]! / 1000).toFixed(1)} s); server ${serverCpuS.toFixed(1)} s of CPU, peak RSS ${peakRss.toFixed(0)} MB; load average ${loadAverage.join(' ')}`);
  reportBench('shift-start', {
    desktops: done.length,
    all_synced_s: round(allSyncedS),
    server_cpu_s: round(serverCpuS),
    server_rss_mb: round(peakRss, 0),
    customers: Number(values.customers),
    installed: done.filter((d) => d.installed).length,
    failed: errors.length,
    retried: done.filter((d) => d.attempts > 1).length,
    load_average_1m: loadAverage[0],
  });
  if (done.length !== desktops) process.exitCode = 1;
} finally {
  for (const w of workers) await w.stop();
  await server.stop();
  serverDir.remove();
  workDir.remove();
}
