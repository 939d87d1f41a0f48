import { randomUUID } from 'node:crypto';
import type { CustomerIdentity, CustomerProfile } from '@shared/domain/customer';
import { assignmentFromResult, confirmCluster, mergeClusters, splitCluster } from '@shared/identity/agent-actions';
import type { IdentityAssignment } from '@shared/identity/agent-actions';
import { buildCallerIndex, CONFIDENT, lookupCaller } from '@shared/identity/caller-lookup';
import type { CallerIndex, CallerMatch } from '@shared/identity/caller-lookup';
import { recordKey } from '@shared/identity/canonical';
import type { CanonicalRecord } from '@shared/identity/canonical';
import { membersOf } from '@shared/identity/clustering';
import type { PhoneRegion } from '@shared/identity/phones';
import { resolveIdentities } from '@shared/identity/resolve';
import { resolveInWorker } from './resolve-in-worker';
import type { GoldenRecord } from '@shared/identity/survivorship';
import { contentHash } from '../import/content-hash';
import type { CustomerStore } from '../store/roles/customer-store';
import type { FeedStore } from '../store/roles/feed-store';
import type { IdentityDecision, IdentityStore, SourceRecordCounts } from '../store/roles/identity-store';
import { constraintsFrom, decisionBetween } from './decisions';
import { applyGolden, materiallyDifferent, newProfile } from './golden-profile';
import { ingestIncrementally, liveIdentity } from './incremental-ingest';
import type { LiveIdentity } from './incremental-ingest';

export interface IdentityServiceOptions {
  /** Region for phone numbers sent without a country code. */
  defaultRegion: PhoneRegion;
  /** Told after customer writes moved the change feed (so desktops pull). */
  onFeedMoved?: (lastSeq: number) => void;
  now?: () => Date;
  /**
   * Most new or changed records an ingest places incrementally in a book of
   * `bookSize`; a larger batch re-resolves everything. Default: 1% of the
   * book, at least 100 and at most 5,000.
   */
  incrementalLimit?: (bookSize: number) => number;
  /** Resolve on the calling thread instead of a worker (tools that run nothing else). Default false. */
  resolveOnMainThread?: boolean;
}

const defaultIncrementalLimit = (bookSize: number): number => Math.min(5000, Math.max(100, Math.floor(bookSize / 100)));

export interface ResolveSummary {
  records: number;
  clusters: number;
  /** Clusters that are customers (they hold an account id, or an existing customer's records). */
  customers: number;
  /** Customers whose profile changed and went out on the change feed. */
  changedCustomers: string[];
  /** Source records no customer holds (e.g. a support ticket that matched nobody). */
  unlinkedRecords: number;
  ms: number;
}

export interface IngestSummary extends SourceRecordCounts {
  changedCustomers: string[];
  /** How the records were resolved: placed one by one, a full re-run, or not at all (nothing changed). */
  resolution: 'incremental' | 'full' | 'none';
}

/** An identity action that cannot be done, with the HTTP status to answer. */
export class IdentityActionError extends Error {
  constructor(readonly status: 404 | 409, readonly code: string, message: string) {
    super(message);
  }
}

const WRITE_BATCH = 1000;
const round = (value: number): number => Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;

/**
 * Identity resolution inside the routing server. Source records and agents'
 * decisions live in the store; every run resolves all of them into clusters
 * and golden records, keeps customer ids stable (the ids records were last
 * resolved into, or the customer holding their account), writes the
 * customers whose person fields changed (so the change feed carries them),
 * and rebuilds the caller index used at ring time. Runs are serialised.
 */
export class IdentityService {
  private index: CallerIndex | null = null;
  /** Customer ids that are live profiles (clusters that are customers, not merged away). */
  private published = new Set<string>();
  private assignment: IdentityAssignment | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private warming: Promise<void> | null = null;
  /** What single-record ingests need, kept from the last full resolution; null when the store moved past it. */
  private live: LiveIdentity | null = null;

  constructor(private readonly store: IdentityStore & CustomerStore & FeedStore, private options: IdentityServiceOptions) {}

  /** Later options win; a new region applies from the next resolution on. */
  configure(options: Partial<IdentityServiceOptions>): void {
    this.options = { ...this.options, ...options };
  }

  get defaultRegion(): PhoneRegion {
    return this.options.defaultRegion;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** True once a resolution has run in this process (the caller index is ready). */
  get ready(): boolean {
    return this.index !== null;
  }

  /** Starts a resolution in the background if none has run yet (e.g. after a restart). */
  warm(): Promise<void> {
    this.warming ??= this.index !== null ? Promise.resolve() : this.resolve().then(() => undefined);
    return this.warming;
  }

  /**
   * Stores canonical records (content-hashed). A few new or changed records
   * are placed into the last resolution incrementally; a larger batch (or the
   * first ingest after a restart) re-resolves everything.
   */
  async ingest(records: readonly CanonicalRecord[]): Promise<IngestSummary> {
    return this.serial(async () => {
      const entries = records.map((record) => ({ record, hash: contentHash(record) }));
      const counts = await this.store.upsertSourceRecords(entries);
      if (counts.inserted + counts.updated === 0 && this.index !== null) return { ...counts, changedCustomers: [], resolution: 'none' };
      const placed = await this.ingestIncrementally(entries);
      if (placed !== null) return { ...counts, changedCustomers: placed, resolution: 'incremental' };
      return { ...counts, changedCustomers: (await this.resolveNow()).changedCustomers, resolution: 'full' };
    });
  }

  /** Null when the batch needs a full resolution instead. */
  private async ingestIncrementally(entries: ReadonlyArray<{ record: CanonicalRecord; hash: string }>): Promise<string[] | null> {
    const live = this.live;
    if (live === null || this.index === null || this.assignment === null) return null;
    const changed = entries.filter((entry) => live.hashes.get(recordKey(entry.record)) !== entry.hash);
    if (changed.length > (this.options.incrementalLimit ?? defaultIncrementalLimit)(live.resolver.size)) return null;
    if (changed.length === 0) return [];
    try {
      const written = await ingestIncrementally(
        { store: this.store, live, index: this.index, published: this.published, assignment: this.assignment, defaultRegion: this.options.defaultRegion },
        changed,
      );
      if (written.length > 0) this.options.onFeedMoved?.(await this.store.lastSeq());
      return written;
    } catch {
      // The in-memory state may be half-updated; the store is the truth, so rebuild from it.
      this.live = null;
      return null;
    }
  }

  /**
   * Stores records without resolving: a bulk import sends its batches this way
   * and asks for one resolution at the end, instead of one per batch.
   */
  storeOnly(records: readonly CanonicalRecord[]): Promise<SourceRecordCounts> {
    return this.serial(() => {
      // The store moves past the last resolution: the next ingest re-resolves (the import asks for it anyway).
      this.live = null;
      return this.store.upsertSourceRecords(records.map((record) => ({ record, hash: contentHash(record) })));
    });
  }

  resolve(): Promise<ResolveSummary> {
    return this.serial(() => this.resolveNow());
  }

  /** Who is calling, by the identity index; null when the index is not built yet or knows nothing of the caller. */
  lookup(query: { phone?: string | null; accountId?: string | null }): CallerMatch | null {
    if (this.index === null) return null;
    const match = lookupCaller(this.index, query);
    const candidates = match.candidates.filter((candidate) => this.published.has(candidate.customerId));
    if (candidates.length === 0) return null;
    return { ...match, candidates, ambiguous: candidates.length === match.candidates.length ? match.ambiguous : isAmbiguous(candidates) };
  }

  /** The source records resolved into a customer, as the systems sent them (for the agent's split). */
  async recordsOf(customerId: string): Promise<CanonicalRecord[]> {
    if (this.assignment === null) await this.resolve();
    const cluster = this.assignment?.clusters.find((c) => c.customerId === customerId);
    if (cluster === undefined || !this.published.has(customerId)) throw new IdentityActionError(404, 'unknown_customer', `No customer ${customerId} known to identity resolution`);
    const keys = new Set(cluster.memberKeys);
    return (await this.store.sourceRecords()).map((s) => s.record).filter((record) => keys.has(recordKey(record)));
  }

  confirm(customerId: string, actor: string): Promise<ResolveSummary> {
    return this.decide('confirm', [customerId], actor, (assignment) => confirmCluster(assignment, customerId));
  }

  /** The first customer keeps its id; the others are absorbed into it. */
  merge(customerIds: readonly string[], actor: string): Promise<ResolveSummary> {
    const [keep, ...absorb] = customerIds;
    if (keep === undefined) throw new IdentityActionError(409, 'nothing_to_merge', 'Name at least two customers to merge');
    return this.decide('merge', customerIds, actor, (assignment) => absorb.reduce((current, id) => mergeClusters(current, keep, id), assignment));
  }

  /** The named records (record ids, or source:record_id) are someone else: they leave the profile for good. */
  split(customerId: string, recordIds: readonly string[], actor: string): Promise<ResolveSummary> {
    return this.decide('split', [customerId], actor, (assignment) => {
      const cluster = assignment.clusters.find((c) => c.customerId === customerId);
      if (cluster === undefined) throw new IdentityActionError(404, 'unknown_customer', `No resolved customer ${customerId}`);
      const wanted = new Set(recordIds);
      const moving = cluster.memberKeys.filter((key) => wanted.has(key) || wanted.has(key.slice(key.indexOf(':') + 1)));
      const missing = recordIds.filter((id) => !moving.some((key) => key === id || key.endsWith(`:${id}`)));
      if (missing.length > 0) throw new IdentityActionError(409, 'not_in_profile', `Not records of ${customerId}: ${missing.join(', ')}`);
      if (moving.length === cluster.memberKeys.length) throw new IdentityActionError(409, 'whole_profile', 'A split must leave at least one record in the profile');
      return splitCluster(assignment, customerId, moving);
    });
  }

  private decide(
    kind: IdentityDecision['kind'],
    customerIds: readonly string[],
    actor: string,
    act: (assignment: IdentityAssignment) => IdentityAssignment,
  ): Promise<ResolveSummary> {
    return this.serial(async () => {
      if (this.assignment === null) await this.resolveNow();
      const before = this.assignment as IdentityAssignment;
      for (const id of customerIds) {
        if (!this.published.has(id) || !before.clusters.some((c) => c.customerId === id)) {
          throw new IdentityActionError(404, 'unknown_customer', `No customer ${id} known to identity resolution`);
        }
      }
      const after = act(before);
      const involved = new Set(customerIds);
      const recordKeys = after.clusters.concat(before.clusters).filter((c) => involved.has(c.customerId)).flatMap((c) => c.memberKeys);
      const decision = decisionBetween(before, after, {
        id: randomUUID(), kind, actor, at: this.now().toISOString(), customerIds: [...customerIds], recordKeys: [...new Set(recordKeys)],
      });
      // The records' new customer ids first, so the re-run keeps the ids the agent's action chose.
      const customerOf = new Map<string, string>();
      for (const cluster of after.clusters) for (const key of cluster.memberKeys) customerOf.set(key, cluster.customerId);
      const moved = [...customerOf].filter(([key]) => decision.recordKeys.includes(key));
      await this.store.assignSourceRecords(moved.map(([key, customerId]) => {
        const at = key.indexOf(':');
        return { source: key.slice(0, at), recordId: key.slice(at + 1), customerId };
      }));
      await this.store.addIdentityDecision(decision);
      return this.resolveNow(customerIds);
    });
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** `alsoCustomers`: customers an action may have emptied (their records were reassigned before this run). */
  private async resolveNow(alsoCustomers: readonly string[] = []): Promise<ResolveSummary> {
    const started = performance.now();
    // Freed before the run: a big book should not hold two resolutions at once.
    this.live = null;
    const stored = await this.store.sourceRecords();
    const constraints = constraintsFrom(await this.store.identityDecisions());
    if (stored.length === 0) {
      this.index = { byPhone: new Map(), byAccount: new Map(), customerIds: [], clusterConfidence: [], defaultRegion: this.options.defaultRegion };
      this.published = new Set();
      this.assignment = { clusters: [], neverLink: constraints.neverLink, mustLink: constraints.mustLink };
      return { records: 0, clusters: 0, customers: 0, changedCustomers: [], unlinkedRecords: 0, ms: Math.round(performance.now() - started) };
    }

    // Stable ids: the customer each record was last resolved into; a new record carrying an
    // account id votes for the customer that holds the account.
    const previousIds = new Map<string, string>();
    const byAccount = new Map<string, string | null>();
    for (const { record, customerId } of stored) {
      const key = recordKey(record);
      if (customerId !== null) {
        previousIds.set(key, customerId);
        continue;
      }
      const account = record.account_id;
      if (!account) continue;
      if (!byAccount.has(account)) {
        const holders = await this.store.customerIdsByAccount(account);
        byAccount.set(account, holders.length === 1 ? (holders[0] as string) : null);
      }
      const holder = byAccount.get(account);
      if (holder) previousIds.set(key, holder);
    }

    // The heavy part (blocking, scoring, clustering, golden records) runs on a worker thread, so
    // heartbeats and routing never wait on an agent's identity action or a bulk import.
    const job = {
      records: stored.map((s) => s.record),
      options: {
        standardise: { defaultRegion: this.options.defaultRegion },
        neverLink: constraints.neverLink,
        mustLink: [...constraints.mustLink, ...accountOnlyLinks(stored.map((s) => s.record), constraints.neverLink)],
        previousIds,
      },
    };
    const result = this.options.resolveOnMainThread
      ? resolveIdentities(job.records, { ...job.options, clock: () => performance.now() })
      : await resolveInWorker(job);
    const members = membersOf(result.clusterOf, result.clusterCount);
    const clusterIds = result.customerIds;
    const before = new Set([...stored.map((s) => s.customerId).filter((id): id is string => id !== null), ...alsoCustomers]);
    const existing = new Map((await this.store.customersByIds([...new Set([...clusterIds, ...before])])).map((c) => [c.id, c]));

    const writes: CustomerProfile[] = [];
    const published = new Set<string>();
    const decidedClusters = new Set<number>();
    let unlinkedRecords = 0;
    // A cluster becomes a new customer only for an account no customer holds yet; otherwise
    // (say, a support record whose typo'd name did not link) it stays unlinked, and visible.
    const heldAccounts = new Set<string>();
    for (let c = 0; c < result.clusterCount; c++) {
      if (existing.has(clusterIds[c] as string)) for (const account of (result.golden as GoldenRecord[])[c]?.accountIds ?? []) heldAccounts.add(account);
    }
    for (let c = 0; c < result.clusterCount; c++) {
      const id = clusterIds[c] as string;
      const group = Array.from(members[c] ?? [], (i) => i);
      const golden = (result.golden as GoldenRecord[])[c] as GoldenRecord;
      const decided = group.every((i) => constraints.decidedKeys.has((result.records[i] as { key: string }).key));
      if (decided) decidedClusters.add(c);
      const identity: CustomerIdentity = {
        clusterConfidence: decided ? 1 : round(result.clusterConfidence[c] as number),
        ...(decided ? { confirmed: true } : {}),
        links: group.map((i) => {
          const record = result.records[i] as (typeof result.records)[number];
          return { source: record.source, recordId: record.recordId, confidence: decided ? 1 : round(result.recordConfidence[i] as number), updatedAt: record.updatedAt };
        }),
      };
      const current = existing.get(id);
      let next: CustomerProfile | null = null;
      if (current !== undefined) next = applyGolden(current, golden, identity);
      else if (golden.accountIds.length > 0 && !golden.accountIds.some((account) => heldAccounts.has(account))) next = newProfile(id, golden, identity, golden.fields.country ?? this.options.defaultRegion);
      if (next === null) {
        unlinkedRecords += group.length;
        continue;
      }
      published.add(id);
      if (current === undefined || materiallyDifferent(current, next)) writes.push(next);
    }

    // A customer that holds no records any more was merged into another: say where it went.
    const clusterOfRecord = new Map(result.records.map((record, i) => [record.key, clusterIds[result.clusterOf[i] as number] as string]));
    for (const id of before) {
      const gone = existing.get(id);
      if (gone === undefined || published.has(id)) continue;
      const heirs = stored.filter((s) => s.customerId === id).map((s) => clusterOfRecord.get(recordKey(s.record))).filter((heir): heir is string => heir !== undefined && published.has(heir));
      const heir = heirs[0] ?? alsoCustomers.find((other) => other !== id && published.has(other));
      if (heir === undefined || gone.identity?.mergedInto === heir) continue;
      writes.push({ ...gone, sourceRecordIds: [], identity: { clusterConfidence: 1, confirmed: true, links: [], mergedInto: heir } });
    }

    for (let start = 0; start < writes.length; start += WRITE_BATCH) {
      await this.store.upsertCustomers(writes.slice(start, start + WRITE_BATCH).map((customer) => ({ customer, scores: null, interactions: [] })));
    }
    const reassigned = stored
      .filter((s) => s.customerId !== (clusterOfRecord.get(recordKey(s.record)) ?? null))
      .map((s) => ({ source: s.record.source, recordId: s.record.record_id, customerId: clusterOfRecord.get(recordKey(s.record)) ?? null }));
    await this.store.assignSourceRecords(reassigned);

    // An agent's decision is certain, whatever the pair scores say.
    const clusterConfidence = Float64Array.from(result.clusterConfidence, (confidence, c) => (decidedClusters.has(c) ? 1 : confidence));
    const live = liveIdentity(
      { records: result.records, clusterOf: result.clusterOf, customerIds: result.customerIds, recordConfidence: result.recordConfidence, clusterConfidence, model: result.model },
      new Map(stored.map((s) => [recordKey(s.record), s.hash])),
      constraints,
    );
    // The index shares the resolver's growable arrays, so incremental placements reach ring time at once.
    const index = buildCallerIndex({ ...result, clusterConfidence }, this.options.defaultRegion);
    this.index = { ...index, customerIds: live.resolver.customerIds, clusterConfidence: live.resolver.clusterConfidence };
    this.live = live;
    this.published = published;
    this.assignment = assignmentFromResult(result, { neverLink: constraints.neverLink, mustLink: constraints.mustLink });
    for (const c of decidedClusters) {
      const cluster = this.assignment.clusters[c];
      if (cluster) this.assignment.clusters[c] = { ...cluster, confidence: 1, confirmed: true };
    }
    if (writes.length > 0) this.options.onFeedMoved?.(await this.store.lastSeq());
    return {
      records: stored.length,
      clusters: result.clusterCount,
      customers: published.size,
      changedCustomers: writes.map((customer) => customer.id),
      unlinkedRecords,
      ms: Math.round(performance.now() - started),
    };
  }
}

function isAmbiguous(candidates: CallerMatch['candidates']): boolean {
  const [top, second] = candidates;
  return top !== undefined && (top.confidence < CONFIDENT || (second !== undefined && top.confidence - second.confidence < 0.3));
}

/**
 * A record that names nobody (no name, birth date or email: a usage or
 * metering feed) can only be the account holder's, so it joins a named record
 * carrying the same account id. Pairwise scoring cannot see that: two shared
 * identifiers and nothing else scores below the link threshold. Records an
 * agent split away (in a never-link pair) are left to the agent's decision.
 */
function accountOnlyLinks(records: readonly CanonicalRecord[], neverLink: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  const split = new Set(neverLink.flat());
  const named = new Map<string, string>();
  for (const record of records) {
    const account = normaliseAccount(record.account_id);
    if (account === null || !(record.given_name || record.family_name) || split.has(recordKey(record))) continue;
    if (!named.has(account)) named.set(account, recordKey(record));
  }
  const links: Array<[string, string]> = [];
  for (const record of records) {
    const account = normaliseAccount(record.account_id);
    if (account === null || record.given_name || record.family_name || record.date_of_birth || record.email) continue;
    const key = recordKey(record);
    const anchor = named.get(account);
    if (anchor !== undefined && !split.has(key)) links.push([anchor, key]);
  }
  return links;
}

function normaliseAccount(raw: string | null | undefined): string | null {
  const id = raw?.toUpperCase().replace(/[\s\-./]/g, '') ?? '';
  return id.length === 0 ? null : id;
}
