import { candidatePairs, defaultBlockingKeys, defaultOneEditKeys } from './blocking';
import type { BlockingKey, BlockingReport, OneEditKey, OversizedBlock } from './blocking';
import type { CanonicalRecord } from './canonical';
import { clusterRecords, DEFAULT_CLUSTER_OPTIONS, membersOf } from './clustering';
import type { ClusterOptions, ClusterResult } from './clustering';
import { COMPARISON_COUNT, COMPARISONS, compareRecords, decodePattern, hasHardConflict, patternCode } from './comparison';
import { DEFAULT_EM_OPTIONS, estimateFellegiSunter, matchProbability, matchWeight } from './fellegi-sunter';
import type { EmOptions, FellegiSunterModel } from './fellegi-sunter';
import { assignCustomerIds } from './ids';
import { prepareRecords } from './prepared';
import type { PreparedRecords } from './prepared';
import { resolveDateOptions, standardiseRecord } from './standardise';
import type { StandardiseOptions, StandardRecord } from './standardise';
import { buildGoldenRecord, DEFAULT_SURVIVORSHIP } from './survivorship';
import type { GoldenRecord, SurvivorshipRules } from './survivorship';

export interface ResolveOptions {
  standardise: StandardiseOptions;
  /** Blocks larger than this are skipped and reported. */
  maxBlockSize: number;
  /** A blocking key that would add more pairs than this per record is skipped and reported. */
  maxPairsPerRecord: number;
  /** Candidate pairs below this match probability are never links. */
  linkThreshold: number;
  cluster: ClusterOptions;
  em: EmOptions;
  survivorship: SurvivorshipRules;
  /** Remembered splits and confirmations, by record key (`source:record_id`). */
  neverLink: ReadonlyArray<readonly [string, string]>;
  mustLink: ReadonlyArray<readonly [string, string]>;
  /** Last run's record key -> customer id, so ids survive re-runs. */
  previousIds?: ReadonlyMap<string, string>;
  /** Tag of each record's input when linking files; with crossDatasetOnly only cross pairs are compared. */
  datasetOf?: (record: StandardRecord, index: number) => number;
  crossDatasetOnly: boolean;
  /** Build golden records (skip for pure evaluation). */
  golden: boolean;
  blockingKeys?: (p: PreparedRecords) => BlockingKey[];
  oneEditKeys?: OneEditKey[];
  /** Milliseconds clock for the stage timings; shared/ has no performance global of its own. */
  clock: () => number;
}

export const DEFAULT_RESOLVE_OPTIONS: ResolveOptions = {
  standardise: { defaultRegion: 'US' },
  maxBlockSize: 100,
  maxPairsPerRecord: 1,
  linkThreshold: 0.5,
  cluster: DEFAULT_CLUSTER_OPTIONS,
  em: DEFAULT_EM_OPTIONS,
  survivorship: DEFAULT_SURVIVORSHIP,
  neverLink: [],
  mustLink: [],
  crossDatasetOnly: false,
  golden: true,
  clock: () => Date.now(),
};

export interface ResolveResult {
  records: StandardRecord[];
  prepared: PreparedRecords;
  /** Cluster number of each record. */
  clusterOf: Int32Array;
  clusterCount: number;
  customerIds: string[];
  /** Per record: how sure we are it belongs in its cluster and in no other (0-1). */
  recordConfidence: Float64Array;
  /** Per cluster: the lowest record confidence. */
  clusterConfidence: Float64Array;
  golden: GoldenRecord[] | null;
  model: FellegiSunterModel;
  candidatePairs: number;
  links: number;
  blocking: BlockingReport[];
  oversizedBlocks: OversizedBlock[];
  refused: ClusterResult['refused'];
  timingsMs: Record<string, number>;
}

/** Standardises then resolves. */
export function resolveIdentities(records: readonly CanonicalRecord[], options: Partial<ResolveOptions> = {}): ResolveResult {
  const settings = { ...DEFAULT_RESOLVE_OPTIONS, ...options };
  const start = settings.clock();
  const dateOptions = resolveDateOptions(settings.standardise);
  const standard = records.map((record) => standardiseRecord(record, settings.standardise, dateOptions));
  const result = resolveStandardised(standard, settings);
  result.timingsMs = { standardise: settings.clock() - start - sumTimings(result.timingsMs), ...result.timingsMs };
  return result;
}

function sumTimings(timings: Record<string, number>): number {
  return Object.values(timings).reduce((sum, t) => sum + t, 0);
}

/**
 * The matching pipeline over standardised records: prepare columns, block,
 * compare candidate pairs, estimate the Fellegi-Sunter model by EM, score,
 * cluster without chaining, and build golden records with lineage.
 */
export function resolveStandardised(records: StandardRecord[], options: Partial<ResolveOptions> = {}): ResolveResult {
  const settings = { ...DEFAULT_RESOLVE_OPTIONS, ...options };
  const timingsMs: Record<string, number> = {};
  let mark = settings.clock();
  const lap = (stage: string): void => {
    const now = settings.clock();
    timingsMs[stage] = now - mark;
    mark = now;
  };

  const prepared = prepareRecords(records, settings.datasetOf);
  lap('prepare');

  const keys = (settings.blockingKeys ?? defaultBlockingKeys)(prepared);
  const dataset = prepared.dataset;
  const blocking = candidatePairs(prepared, keys, {
    maxBlockSize: settings.maxBlockSize,
    maxPairsPerRecord: settings.maxPairsPerRecord,
    ...(settings.crossDatasetOnly ? { acceptPair: (i: number, j: number) => dataset[i] !== dataset[j] } : {}),
  }, settings.oneEditKeys ?? defaultOneEditKeys());
  lap('blocking');

  // Compare every candidate pair once; keep only its pattern code.
  const size = prepared.size;
  const pairCount = blocking.codes.length;
  const pairPattern = new Float64Array(pairCount);
  const patternIndex = new Map<number, number>();
  const patternCodes: number[] = [];
  const patternCounts: number[] = [];
  const levels = new Int8Array(COMPARISON_COUNT);
  for (let x = 0; x < pairCount; x++) {
    const code = blocking.codes[x] as number;
    const i = Math.floor(code / size);
    const j = code - i * size;
    compareRecords(prepared, i, j, levels);
    const pattern = patternCode(levels);
    pairPattern[x] = pattern;
    const index = patternIndex.get(pattern);
    if (index === undefined) {
      patternIndex.set(pattern, patternCodes.length);
      patternCodes.push(pattern);
      patternCounts.push(1);
    } else {
      patternCounts[index]!++;
    }
  }
  lap('compare');

  const vectors = patternCodes.map((code) => {
    const vector = new Int8Array(COMPARISON_COUNT);
    decodePattern(code, vector);
    return vector;
  });
  const model = estimateFellegiSunter(COMPARISONS, { vectors, counts: patternCounts }, settings.em);
  const patternProbability = vectors.map((vector) => matchProbability(model, matchWeight(model, vector)));
  lap('em');

  let links = 0;
  for (let x = 0; x < pairCount; x++) {
    if ((patternProbability[patternIndex.get(pairPattern[x] as number) as number] as number) >= settings.linkThreshold) links++;
  }
  const edges = { a: new Int32Array(links), b: new Int32Array(links), probability: new Float64Array(links) };
  const pairProbability = new Float32Array(pairCount);
  let e = 0;
  for (let x = 0; x < pairCount; x++) {
    const probability = patternProbability[patternIndex.get(pairPattern[x] as number) as number] as number;
    pairProbability[x] = probability;
    if (probability < settings.linkThreshold) continue;
    const code = blocking.codes[x] as number;
    const i = Math.floor(code / size);
    edges.a[e] = i;
    edges.b[e] = code - i * size;
    edges.probability[e] = probability;
    e++;
  }

  const scratch = new Int8Array(COMPARISON_COUNT);
  const score = (i: number, j: number): { probability: number; conflict: boolean } => {
    compareRecords(prepared, i, j, scratch);
    const probability = matchProbability(model, matchWeight(model, scratch));
    // A hard-id disagreement vetoes only when the rest of the evidence does not outweigh it:
    // a typo'd id on an otherwise identical record is not a different person.
    return { probability, conflict: probability < settings.linkThreshold && hasHardConflict(scratch) };
  };

  const indexByKey = new Map<string, number>();
  records.forEach((record, index) => indexByKey.set(record.key, index));
  const toIndexPairs = (pairs: ReadonlyArray<readonly [string, string]>): Array<[number, number]> =>
    pairs.flatMap(([a, b]) => {
      const i = indexByKey.get(a);
      const j = indexByKey.get(b);
      return i === undefined || j === undefined ? [] : [[i, j] as [number, number]];
    });
  const clusters = clusterRecords(size, edges, score, { neverLink: toIndexPairs(settings.neverLink), mustLink: toIndexPairs(settings.mustLink) }, settings.cluster);
  lap('cluster');

  // Confidence: mean match probability with cluster mates (over the candidate pairs, which
  // is how every member joined), discounted by the best link to any other cluster.
  const bestElsewhere = new Float64Array(size);
  const insideSum = new Float64Array(size);
  const insideCount = new Int32Array(size);
  for (let x = 0; x < pairCount; x++) {
    const code = blocking.codes[x] as number;
    const i = Math.floor(code / size);
    const j = code - i * size;
    const probability = pairProbability[x] as number;
    if (clusters.clusterOf[i] === clusters.clusterOf[j]) {
      insideSum[i] = (insideSum[i] as number) + probability;
      insideSum[j] = (insideSum[j] as number) + probability;
      insideCount[i] = (insideCount[i] as number) + 1;
      insideCount[j] = (insideCount[j] as number) + 1;
      continue;
    }
    if (probability > (bestElsewhere[i] as number)) bestElsewhere[i] = probability;
    if (probability > (bestElsewhere[j] as number)) bestElsewhere[j] = probability;
  }
  const members = membersOf(clusters.clusterOf, clusters.clusterCount);
  const recordConfidence = new Float64Array(size);
  const clusterConfidence = new Float64Array(clusters.clusterCount);
  for (let c = 0; c < members.length; c++) {
    const group = members[c] as Int32Array;
    let lowest = 1;
    for (let a = 0; a < group.length; a++) {
      const i = group[a] as number;
      let inside = 1;
      if (group.length > 1) {
        // Members joined by an agent's confirmation may have no candidate pair: score them directly.
        if ((insideCount[i] as number) > 0) inside = (insideSum[i] as number) / (insideCount[i] as number);
        else inside = score(i, group[a === 0 ? 1 : 0] as number).probability;
      }
      const confidence = Math.min(inside, 1 - (bestElsewhere[i] as number));
      recordConfidence[i] = confidence;
      if (confidence < lowest) lowest = confidence;
    }
    clusterConfidence[c] = lowest;
  }
  const memberKeys = members.map((group) => Array.from(group, (i) => (records[i] as StandardRecord).key));
  const customerIds = assignCustomerIds(memberKeys, settings.previousIds);
  lap('confidence');

  let golden: GoldenRecord[] | null = null;
  if (settings.golden) {
    golden = members.map((group, c) =>
      buildGoldenRecord(
        customerIds[c] as string,
        Array.from(group, (i) => records[i] as StandardRecord),
        clusterConfidence[c] as number,
        settings.survivorship,
      ),
    );
    lap('golden');
  }

  return {
    records,
    prepared,
    clusterOf: clusters.clusterOf,
    clusterCount: clusters.clusterCount,
    customerIds,
    recordConfidence,
    clusterConfidence,
    golden,
    model,
    candidatePairs: pairCount,
    links,
    blocking: blocking.report,
    oversizedBlocks: blocking.oversized,
    refused: clusters.refused,
    timingsMs,
  };
}
