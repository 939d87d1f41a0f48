import { BlockIndex, forEachBlockingKey } from './block-index';
import { DEFAULT_CLUSTER_OPTIONS } from './clustering';
import type { ClusterOptions } from './clustering';
import { COMPARISON_COUNT, compareRecords, hasHardConflict } from './comparison';
import { matchProbability, matchWeight } from './fellegi-sunter';
import type { FellegiSunterModel } from './fellegi-sunter';
import { customerIdFor, stableHash } from './ids';
import { prepareRecords } from './prepared';
import type { StandardRecord } from './standardise';

/** What a full resolution leaves behind for placing single records later (a ResolveResult fits). */
export interface IncrementalSeed {
  records: StandardRecord[];
  clusterOf: ArrayLike<number>;
  customerIds: readonly string[];
  recordConfidence: ArrayLike<number>;
  clusterConfidence: ArrayLike<number>;
  /** The m/u probabilities of the last EM fit: pairs are scored with them, not re-fitted. */
  model: FellegiSunterModel;
}

export interface IncrementalSettings {
  /** As in ResolveOptions: a candidate pair below this is no link. */
  linkThreshold: number;
  /** Blocks with more records are skipped, as full blocking skips them. */
  maxBlockSize: number;
  cluster: ClusterOptions;
}

export const DEFAULT_INCREMENTAL_SETTINGS: IncrementalSettings = { linkThreshold: 0.5, maxBlockSize: 100, cluster: DEFAULT_CLUSTER_OPTIONS };

/** The agents' decisions as they bear on one record, by record key. */
export interface PlacementConstraints {
  /** Records this one must never share a customer with (remembered splits). */
  neverWith: ReadonlySet<string>;
  /** Records an agent confirmed this one belongs with: it stays with them. */
  mustWith: readonly string[];
  /** Records in any split: the account-only rule leaves them to the agent. */
  splitKeys: ReadonlySet<string>;
}

export interface Placement {
  row: number;
  cluster: number;
  /** The cluster a changed record left (it was re-placed elsewhere), else null. */
  left: number | null;
  /** The record joined an existing cluster (else it is alone). */
  joined: boolean;
}

const NO_CONSTRAINTS: PlacementConstraints = { neverWith: new Set(), mustWith: [], splitKeys: new Set() };

function named(record: StandardRecord): boolean {
  return record.values.given_name !== null || record.values.family_name !== null;
}

/** A record that names nobody (a usage or metering feed): it can only be its account holder's. */
function nameless(record: StandardRecord): boolean {
  return !named(record) && record.values.date_of_birth === null && record.values.email === null;
}

/**
 * Places one new or changed record into the clustering a full resolution
 * produced, without re-running it: standardised record -> blocking keys ->
 * candidates -> pair scores under the stored Fellegi-Sunter model -> join the
 * strongest candidate cluster the clustering's own rule accepts (no hard
 * conflict with any member, mean probability over all members at least the
 * merge threshold, no remembered split, size cap), else a cluster of its own.
 * Existing clusters are never merged with each other here: that (a new record
 * bridging two people) is left to the next full resolution.
 */
export class IncrementalResolver {
  readonly records: StandardRecord[];
  readonly clusterOf: number[];
  readonly members: number[][];
  readonly customerIds: string[];
  readonly recordConfidence: number[];
  readonly clusterConfidence: number[];
  private readonly rowOf = new Map<string, number>();
  private readonly usedIds: Set<string>;
  private blocks: BlockIndex | null = null;
  private readonly scratch = new Int8Array(COMPARISON_COUNT);
  private readonly model: FellegiSunterModel;

  constructor(seed: IncrementalSeed, private readonly settings: IncrementalSettings = DEFAULT_INCREMENTAL_SETTINGS) {
    this.records = seed.records;
    this.clusterOf = Array.from(seed.clusterOf);
    this.customerIds = [...seed.customerIds];
    this.recordConfidence = Array.from(seed.recordConfidence);
    this.clusterConfidence = Array.from(seed.clusterConfidence);
    this.members = this.customerIds.map(() => []);
    for (let row = 0; row < this.records.length; row++) {
      this.members[this.clusterOf[row] as number]?.push(row);
      this.rowOf.set((this.records[row] as StandardRecord).key, row);
    }
    this.usedIds = new Set(this.customerIds);
    this.model = seed.model;
  }

  get size(): number {
    return this.records.length;
  }

  rowOfKey(key: string): number | undefined {
    return this.rowOf.get(key);
  }

  /** Builds the blocking index over every record on first use (a book of 100,000 takes well under a second). */
  warm(): void {
    if (this.blocks !== null) return;
    const blocks = new BlockIndex();
    const prepared = prepareRecords(this.records);
    for (let row = 0; row < prepared.size; row++) forEachBlockingKey(prepared, row, (kind, text) => blocks.add(kind, text, row));
    this.blocks = blocks;
  }

  private keysOf(record: StandardRecord): Array<[number, string]> {
    const keys: Array<[number, string]> = [];
    forEachBlockingKey(prepareRecords([record]), 0, (kind, text) => keys.push([kind, text]));
    return keys;
  }

  /** Pair scores of `record` against `rows`, as the full run scores them. */
  private score(record: StandardRecord, rows: readonly number[]): Array<{ probability: number; conflict: boolean }> {
    const prepared = prepareRecords([record, ...rows.map((row) => this.records[row] as StandardRecord)]);
    return rows.map((_row, x) => {
      compareRecords(prepared, 0, x + 1, this.scratch);
      const probability = matchProbability(this.model, matchWeight(this.model, this.scratch));
      return { probability, conflict: probability < this.settings.linkThreshold && hasHardConflict(this.scratch) };
    });
  }

  /** Places a new record, or re-places a changed one (same key), and returns where it went. */
  place(record: StandardRecord, constraints: PlacementConstraints = NO_CONSTRAINTS): Placement {
    this.warm();
    const blocks = this.blocks as BlockIndex;
    let row = this.rowOf.get(record.key);
    let previous: number | null = null;
    if (row !== undefined) {
      previous = this.clusterOf[row] as number;
      for (const [kind, text] of this.keysOf(this.records[row] as StandardRecord)) blocks.remove(kind, text, row);
      const mates = this.members[previous] as number[];
      mates.splice(mates.indexOf(row), 1);
      this.records[row] = record;
    } else {
      row = this.records.length;
      this.records.push(record);
      this.clusterOf.push(-1);
      this.recordConfidence.push(1);
      this.rowOf.set(record.key, row);
    }
    const keys = this.keysOf(record);

    const candidates = new Set<number>();
    for (const [kind, text] of keys) {
      const rows = blocks.rows(kind, text);
      if (rows.length + 1 > this.settings.maxBlockSize) continue;
      for (const other of rows) if (other !== row) candidates.add(other);
    }
    const candidateRows = [...candidates];
    const scores = this.score(record, candidateRows);
    const best = new Map<number, number>();
    candidateRows.forEach((other, x) => {
      const cluster = this.clusterOf[other] as number;
      const probability = (scores[x] as { probability: number }).probability;
      if (probability > (best.get(cluster) ?? -1)) best.set(cluster, probability);
    });

    const forbidden = (cluster: number): boolean =>
      constraints.neverWith.size > 0 && (this.members[cluster] as number[]).some((m) => constraints.neverWith.has((this.records[m] as StandardRecord).key));
    let target: number | null = null;
    let inside = 1;

    // An agent's confirmation holds whatever the scores say (unless a later split forbids it).
    for (const key of constraints.mustWith) {
      const mate = this.rowOf.get(key);
      if (mate === undefined || mate === row) continue;
      const cluster = this.clusterOf[mate] as number;
      if (cluster >= 0 && !forbidden(cluster)) {
        target = cluster;
        break;
      }
    }
    if (target === null) target = this.accountTarget(record, row, candidateRows, constraints, forbidden);
    if (target !== null) inside = this.meanWith(record, target).mean;
    else {
      const order = [...best].filter(([, probability]) => probability >= this.settings.linkThreshold).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      for (const [cluster] of order) {
        const group = this.members[cluster] as number[];
        if (group.length + 1 > this.settings.cluster.maxClusterSize || forbidden(cluster)) continue;
        const { mean, conflict } = this.meanWith(record, cluster);
        if (conflict || (group.length > 1 && mean < this.settings.cluster.mergeThreshold)) continue;
        target = cluster;
        inside = mean;
        break;
      }
    }

    const joined = target !== null;
    let cluster: number;
    if (target !== null) cluster = target;
    else if (previous !== null && (this.members[previous] as number[]).length === 0) cluster = previous; // alone again: keeps its id
    else {
      cluster = this.customerIds.length;
      this.customerIds.push(this.freshId(record.key));
      this.clusterConfidence.push(1);
      this.members.push([]);
    }
    (this.members[cluster] as number[]).push(row);
    this.clusterOf[row] = cluster;
    for (const [kind, text] of keys) blocks.add(kind, text, row);

    // Confidence as the full run defines it: mean probability with its mates, discounted by the best link elsewhere.
    let elsewhere = 0;
    for (const [other, probability] of best) if (other !== cluster && probability > elsewhere) elsewhere = probability;
    this.recordConfidence[row] = Math.min(inside, 1 - elsewhere);
    this.refreshConfidence(cluster);
    const left = previous !== null && previous !== cluster ? previous : null;
    if (left !== null) this.refreshConfidence(left);
    return { row, cluster, left, joined };
  }

  /**
   * The account-only rule of the full run: a nameless record joins the named
   * record holding its account; a named record adopts the nameless records of
   * its account that no named record holds yet.
   */
  private accountTarget(record: StandardRecord, row: number, candidates: readonly number[], constraints: PlacementConstraints, forbidden: (cluster: number) => boolean): number | null {
    const account = record.values.account_id;
    if (account === null || constraints.splitKeys.has(record.key)) return null;
    const sameAccount = candidates
      .filter((other) => (this.records[other] as StandardRecord).values.account_id === account && !constraints.splitKeys.has((this.records[other] as StandardRecord).key))
      .sort((a, b) => a - b);
    if (nameless(record)) {
      const anchor = sameAccount.find((other) => named(this.records[other] as StandardRecord));
      return anchor === undefined || forbidden(this.clusterOf[anchor] as number) ? null : (this.clusterOf[anchor] as number);
    }
    if (!named(record) || sameAccount.some((other) => named(this.records[other] as StandardRecord))) return null;
    const orphan = sameAccount.find((other) => other !== row && nameless(this.records[other] as StandardRecord) && !forbidden(this.clusterOf[other] as number));
    return orphan === undefined ? null : (this.clusterOf[orphan] as number);
  }

  private meanWith(record: StandardRecord, cluster: number): { mean: number; conflict: boolean } {
    const group = this.members[cluster] as number[];
    if (group.length === 0) return { mean: 1, conflict: false };
    const scores = this.score(record, group);
    return { mean: scores.reduce((sum, s) => sum + s.probability, 0) / scores.length, conflict: scores.some((s) => s.conflict) };
  }

  private refreshConfidence(cluster: number): void {
    let lowest = 1;
    for (const member of this.members[cluster] as number[]) lowest = Math.min(lowest, this.recordConfidence[member] as number);
    this.clusterConfidence[cluster] = lowest;
  }

  private freshId(key: string): string {
    let id = customerIdFor([key]);
    for (let attempt = 1; this.usedIds.has(id); attempt++) id = `cust_${stableHash(`${id}|${attempt}|${key}`)}`;
    this.usedIds.add(id);
    return id;
  }
}
