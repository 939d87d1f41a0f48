import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordKey } from '@shared/identity/canonical';
import type { CanonicalRecord } from '@shared/identity/canonical';
import { pairwiseMetrics } from '@shared/identity/evaluation';
import { generateIdentityRecords } from '@shared/identity/synthetic';
import { createRandom } from '@shared/util/random';
import { IdentityService } from '../../../src-server/identity/identity-service';
import { openServerStore } from '../../../src-server/store/open-store';
import type { ServerStore } from '../../../src-server/store/server-store';
import { makeTempDir } from '../../support/temp-dir';

const PEOPLE = 1200;
const dir = makeTempDir('identity-consistency');
const stores: ServerStore[] = [];
afterAll(async () => {
  for (const store of stores) await store.close();
  dir.remove();
});

async function service(name: string): Promise<{ store: ServerStore; identity: IdentityService }> {
  const store = await openServerStore({ kind: 'sqlite', file: join(dir.path, `${name}.db`) });
  stores.push(store);
  return { store, identity: new IdentityService(store, { defaultRegion: 'US' }) };
}

/** Record key -> the customer id it was resolved into, in the order of `keys`. */
async function clusteringOf(store: ServerStore, keys: readonly string[]): Promise<string[]> {
  const byKey = new Map((await store.sourceRecords()).map((s) => [recordKey(s.record), s.customerId ?? `unassigned:${recordKey(s.record)}`]));
  return keys.map((key) => byKey.get(key) ?? `missing:${key}`);
}

/** Distinct labels as cluster numbers, for pairwiseMetrics. */
function numbered(labels: readonly string[]): Int32Array {
  const ids = new Map<string, number>();
  return Int32Array.from(labels, (label) => ids.get(label) ?? ids.set(label, ids.size).get(label)!);
}

describe('incremental ingest against a full resolution', () => {
  it('places the last 10% of a generated book one record at a time nearly as a full resolve of 100% clusters it', async () => {
    const labelled = [...generateIdentityRecords({ people: PEOPLE, seed: 'incremental-consistency' })];
    const truth = labelled.map((record) => record.entity_id);
    const records: CanonicalRecord[] = labelled.map(({ entity_id: _truth, ...record }) => record);
    const random = createRandom('late-records');
    const late = new Set<number>();
    while (late.size < Math.round(records.length / 10)) late.add(random.int(0, records.length - 1));

    const incremental = await service('incremental');
    await incremental.identity.storeOnly(records.filter((_r, i) => !late.has(i)));
    await incremental.identity.resolve();
    const latencies: number[] = [];
    for (const i of late) {
      const started = performance.now();
      const result = await incremental.identity.ingest([records[i] as CanonicalRecord]);
      latencies.push(performance.now() - started);
      expect(result.resolution).toBe('incremental');
    }

    const full = await service('full');
    await full.identity.storeOnly(records);
    await full.identity.resolve();

    const keys = records.map((record) => recordKey(record));
    const fullLabels = await clusteringOf(full.store, keys);
    const incrementalLabels = await clusteringOf(incremental.store, keys);
    const agreement = pairwiseMetrics(fullLabels, numbered(incrementalLabels));
    const fullQuality = pairwiseMetrics(truth, numbered(fullLabels));
    const incrementalQuality = pairwiseMetrics(truth, numbered(incrementalLabels));
    latencies.sort((a, b) => a - b);
    console.info(JSON.stringify({
      records: records.length,
      incremental_records: late.size,
      f1_incremental_vs_full: Math.round(agreement.f1 * 10000) / 10000,
      f1_full_vs_truth: Math.round(fullQuality.f1 * 10000) / 10000,
      f1_incremental_vs_truth: Math.round(incrementalQuality.f1 * 10000) / 10000,
      ingest_p50_ms: Math.round((latencies[Math.floor(latencies.length / 2)] as number) * 10) / 10,
    }));
    expect(agreement.f1).toBeGreaterThanOrEqual(0.99);
    expect(incrementalQuality.f1).toBeGreaterThan(fullQuality.f1 - 0.01);
  }, 120_000);
});
