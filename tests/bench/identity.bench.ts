/**
 * Identity resolution at scale: ~1,000,000 generated source records resolved
 * end to end (standardise, block, compare, EM, cluster, golden records), then
 * caller lookups by phone. Prints one JSON line and writes bench-results/identity.json.
 *   npm run bench:identity [-- --people 303000 --lookups 20000]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildCallerIndex, lookupCaller } from '@shared/identity/caller-lookup';
import { pairwiseMetrics } from '@shared/identity/evaluation';
import { resolveIdentities } from '@shared/identity/resolve';
import { formatPhone, generateIdentityRecords } from '@shared/identity/synthetic';
import type { LabelledRecord } from '@shared/identity/synthetic';
import { createRandom } from '@shared/util/random';
import { percentile, reportBench } from './report';

const { values } = parseArgs({ options: { people: { type: 'string' }, lookups: { type: 'string' } } });
const people = Number(values.people ?? 303_000);
const lookups = Number(values.lookups ?? 20_000);
if (!Number.isInteger(people) || people <= 0 || !Number.isInteger(lookups) || lookups <= 0) {
  process.stderr.write('bench:identity: --people and --lookups must be positive integers\n');
  process.exit(1);
}

const mb = (kb: number): number => Math.round(kb / 1024);
const loadBefore = loadavg();
let generated = performance.now();
const records: LabelledRecord[] = [];
for (const record of generateIdentityRecords({ people, seed: 2024 })) records.push(record);
generated = (performance.now() - generated) / 1000;
const rssAfterGeneration = process.resourceUsage().maxRSS;
process.stderr.write(`generated ${records.length} records for ${people} people in ${generated.toFixed(1)} s\n`);

const started = performance.now();
const cpuBefore = process.cpuUsage();
const result = resolveIdentities(records, { clock: () => performance.now() });
const resolveSeconds = (performance.now() - started) / 1000;
// On a shared machine wall time includes waiting for the CPU; CPU time shows the work itself.
const cpu = process.cpuUsage(cpuBefore);
const resolveCpuSeconds = (cpu.user + cpu.system) / 1e6;
const peakRss = process.resourceUsage().maxRSS;
process.stderr.write(`resolved in ${resolveSeconds.toFixed(1)} s: ${JSON.stringify(result.timingsMs)}\n`);

const metrics = pairwiseMetrics(
  records.map((record) => record.entity_id),
  result.clusterOf,
);

// Caller lookup: phones as callers' networks present them, in assorted formats.
const index = buildCallerIndex(result, 'US');
const random = createRandom('lookups');
const phones = [...index.byPhone.keys()];
const latencies: number[] = [];
let ambiguous = 0;
for (let n = 0; n < lookups; n++) {
  const phone = formatPhone(random, random.pick(phones));
  const t = performance.now();
  const match = lookupCaller(index, { phone });
  latencies.push(performance.now() - t);
  if (match.ambiguous) ambiguous++;
}
latencies.sort((a, b) => a - b);

reportBench('identity', {
  records: records.length,
  people,
  clusters: result.clusterCount,
  resolve_seconds: Math.round(resolveSeconds * 100) / 100,
  resolve_cpu_seconds: Math.round(resolveCpuSeconds * 100) / 100,
  stage_ms: Object.fromEntries(Object.entries(result.timingsMs).map(([stage, ms]) => [stage, Math.round(ms)])),
  candidate_pairs: result.candidatePairs,
  peak_rss_mb: mb(peakRss),
  rss_after_generation_mb: mb(rssAfterGeneration),
  f1: Math.round(metrics.f1 * 10000) / 10000,
  precision: Math.round(metrics.precision * 10000) / 10000,
  recall: Math.round(metrics.recall * 10000) / 10000,
  lookups,
  lookup_p50_ms: Math.round(percentile(latencies, 50) * 1000) / 1000,
  lookup_p99_ms: Math.round(percentile(latencies, 99) * 1000) / 1000,
  lookup_ambiguous_share: Math.round((ambiguous / lookups) * 1000) / 1000,
  cpus: cpus().length,
  load_before: loadBefore.map((x) => Math.round(x * 100) / 100),
  load_after: loadavg().map((x) => Math.round(x * 100) / 100),
  within_targets: resolveSeconds <= 120 && peakRss < 4 * 1024 * 1024 && percentile(latencies, 99) <= 2,
});
