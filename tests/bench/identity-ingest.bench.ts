/**
 * Single-record ingest latency: a generated book of ~100,000 source records
 * resolved in full through the identity service on a real SQLite store, then
 * held-back records of the same people ingested one at a time (the way a CRM
 * integration sends them), each placed incrementally. Also times the bare
 * placement (no store) to show where the time goes. Prints one JSON line and
 * writes bench-results/identity-ingest.json.
 *   npx tsx tests/bench/identity-ingest.bench.ts [-- --people 30300 --ingests 1000]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { IncrementalResolver } from '@shared/identity/incremental';
import type { CanonicalRecord } from '@shared/identity/canonical';
import { resolveIdentities } from '@shared/identity/resolve';
import { standardiseRecord } from '@shared/identity/standardise';
import { generateIdentityRecords } from '@shared/identity/synthetic';
import { createRandom } from '@shared/util/random';
import { IdentityService } from '../../src-server/identity/identity-service';
import { openServerStore } from '../../src-server/store/open-store';
import { makeTempDir } from '../support/temp-dir';
import { percentile, reportBench } from './report';

const { values } = parseArgs({ options: { people: { type: 'string' }, ingests: { type: 'string' } } });
const people = Number(values.people ?? 30_300);
const ingests = Number(values.ingests ?? 1000);
if (!Number.isInteger(people) || people <= 0 || !Number.isInteger(ingests) || ingests <= 0) {
  process.stderr.write('identity-ingest bench: --people and --ingests must be positive integers\n');
  process.exit(1);
}

const round = (ms: number): number => Math.round(ms * 100) / 100;
const records: CanonicalRecord[] = [];
for (const { entity_id: _truth, ...record } of generateIdentityRecords({ people, seed: 'ingest-bench' })) records.push(record);
const random = createRandom('held-back');
const held = new Set<number>();
while (held.size < Math.min(ingests, Math.floor(records.length / 10))) held.add(random.int(0, records.length - 1));
const book = records.filter((_r, i) => !held.has(i));
const late = [...held].map((i) => records[i] as CanonicalRecord);
process.stderr.write(`book of ${book.length} records, ${late.length} to ingest one by one\n`);

const dir = makeTempDir('identity-ingest-bench');
const store = await openServerStore({ kind: 'sqlite', file: join(dir.path, 'bench.db') });
const identity = new IdentityService(store, { defaultRegion: 'US' });
try {
  for (let start = 0; start < book.length; start += 1000) await identity.storeOnly(book.slice(start, start + 1000));
  let t = performance.now();
  const full = await identity.resolve();
  const fullResolveMs = performance.now() - t;
  process.stderr.write(`full resolve through the service: ${(fullResolveMs / 1000).toFixed(1)} s\n`);

  // The first placement builds the blocking index over the whole book.
  const [first, ...rest] = late;
  t = performance.now();
  const firstResult = await identity.ingest([first as CanonicalRecord]);
  const firstIngestMs = performance.now() - t;
  const latencies: number[] = [];
  let incremental = firstResult.resolution === 'incremental' ? 1 : 0;
  for (const record of rest) {
    t = performance.now();
    const result = await identity.ingest([record]);
    latencies.push(performance.now() - t);
    if (result.resolution === 'incremental') incremental++;
  }
  latencies.sort((a, b) => a - b);

  // The placement alone, on the same book, without the store.
  const region = { defaultRegion: 'US' as const };
  const result = resolveIdentities(book, { standardise: region, golden: false, clock: () => performance.now() });
  const resolver = new IncrementalResolver({ ...result, customerIds: [...result.customerIds] });
  t = performance.now();
  resolver.warm();
  const indexBuildMs = performance.now() - t;
  const placements: number[] = [];
  for (const record of late) {
    t = performance.now();
    resolver.place(standardiseRecord(record, region));
    placements.push(performance.now() - t);
  }
  placements.sort((a, b) => a - b);

  reportBench('identity-ingest', {
    book_records: book.length,
    ingests: late.length,
    ingests_incremental: incremental,
    full_resolve_ms: Math.round(fullResolveMs),
    full_resolve_customers: full.customers,
    first_ingest_ms: Math.round(firstIngestMs),
    ingest_p50_ms: round(percentile(latencies, 50)),
    ingest_p99_ms: round(percentile(latencies, 99)),
    ingest_max_ms: round(latencies[latencies.length - 1] ?? Number.NaN),
    block_index_build_ms: Math.round(indexBuildMs),
    place_p50_ms: round(percentile(placements, 50)),
    place_p99_ms: round(percentile(placements, 99)),
    rss_mb: Math.round(process.memoryUsage().rss / 1024 / 1024),
  });
} finally {
  await store.close();
  dir.remove();
}
