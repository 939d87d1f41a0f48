import type { CustomerIdentity, CustomerProfile } from '@shared/domain/customer';
import type { IdentityAssignment } from '@shared/identity/agent-actions';
import { indexRecord } from '@shared/identity/caller-lookup';
import type { CallerIndex } from '@shared/identity/caller-lookup';
import { recordKey } from '@shared/identity/canonical';
import type { CanonicalRecord } from '@shared/identity/canonical';
import { IncrementalResolver } from '@shared/identity/incremental';
import type { IncrementalSeed } from '@shared/identity/incremental';
import type { PhoneRegion } from '@shared/identity/phones';
import { DEFAULT_RESOLVE_OPTIONS } from '@shared/identity/resolve';
import { resolveDateOptions, standardiseRecord } from '@shared/identity/standardise';
import type { StandardRecord } from '@shared/identity/standardise';
import { buildGoldenRecord } from '@shared/identity/survivorship';
import type { CustomerStore } from '../store/roles/customer-store';
import type { IdentityStore } from '../store/roles/identity-store';
import type { IdentityConstraints } from './decisions';
import { applyGolden, materiallyDifferent, newProfile } from './golden-profile';

/**
 * What the service keeps between full resolutions to place single records:
 * the resolver (standardised records, blocking index, clusters, the EM fit),
 * each record's content hash, and the agents' decisions by record key.
 */
export interface LiveIdentity {
  resolver: IncrementalResolver;
  hashes: Map<string, string>;
  neverWith: Map<string, Set<string>>;
  mustWith: Map<string, string[]>;
  splitKeys: Set<string>;
  decidedKeys: Set<string>;
}

export function liveIdentity(seed: IncrementalSeed, hashes: Map<string, string>, constraints: IdentityConstraints): LiveIdentity {
  const neverWith = new Map<string, Set<string>>();
  const mustWith = new Map<string, string[]>();
  for (const [a, b] of constraints.neverLink) {
    (neverWith.get(a) ?? neverWith.set(a, new Set()).get(a)!).add(b);
    (neverWith.get(b) ?? neverWith.set(b, new Set()).get(b)!).add(a);
  }
  for (const [a, b] of constraints.mustLink) {
    (mustWith.get(a) ?? mustWith.set(a, []).get(a)!).push(b);
    (mustWith.get(b) ?? mustWith.set(b, []).get(b)!).push(a);
  }
  const resolver = new IncrementalResolver(seed, {
    linkThreshold: DEFAULT_RESOLVE_OPTIONS.linkThreshold,
    maxBlockSize: DEFAULT_RESOLVE_OPTIONS.maxBlockSize,
    cluster: DEFAULT_RESOLVE_OPTIONS.cluster,
  });
  return { resolver, hashes, neverWith, mustWith, splitKeys: new Set(neverWith.keys()), decidedKeys: constraints.decidedKeys };
}

export interface IncrementalContext {
  store: CustomerStore & IdentityStore;
  live: LiveIdentity;
  index: CallerIndex;
  /** Live customer ids; updated in place. */
  published: Set<string>;
  /** The agents' view of the clusters, indexed like the resolver's; updated in place. */
  assignment: IdentityAssignment;
  defaultRegion: PhoneRegion;
}

const round = (value: number): number => Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;

/**
 * Places each new or changed record into the live clustering, then rebuilds
 * the golden record of only the customers it touched, writes the ones that
 * changed (so the change feed carries them) and updates the caller index.
 * Returns the ids of the customers written.
 */
export async function ingestIncrementally(ctx: IncrementalContext, entries: ReadonlyArray<{ record: CanonicalRecord; hash: string }>): Promise<string[]> {
  const { live, index, published, assignment } = ctx;
  const { resolver } = live;
  const options = { defaultRegion: ctx.defaultRegion };
  const dateOptions = resolveDateOptions(options);
  const affected = new Set<number>();
  /** A cluster a changed record emptied -> where the record went (its customer was merged into that one). */
  const heirOf = new Map<number, number>();
  const reassigned: Array<{ source: string; recordId: string; customerId: string | null }> = [];

  for (const { record, hash } of entries) {
    const key = recordKey(record);
    const standard = standardiseRecord(record, options, dateOptions);
    const oldRow = resolver.rowOfKey(key);
    if (oldRow !== undefined) indexRecord(index, resolver.records[oldRow] as StandardRecord, resolver.clusterOf[oldRow] as number, -1);
    const placed = resolver.place(standard, {
      neverWith: live.neverWith.get(key) ?? new Set(),
      mustWith: live.mustWith.get(key) ?? [],
      splitKeys: live.splitKeys,
    });
    indexRecord(index, standard, placed.cluster, 1);
    live.hashes.set(key, hash);
    affected.add(placed.cluster);
    if (placed.left !== null) {
      affected.add(placed.left);
      if ((resolver.members[placed.left] as number[]).length === 0) heirOf.set(placed.left, placed.cluster);
    }
    reassigned.push({ source: record.source, recordId: record.record_id, customerId: resolver.customerIds[placed.cluster] as string });
  }

  const ids = [...affected].map((c) => resolver.customerIds[c] as string);
  const existing = new Map((await ctx.store.customersByIds(ids)).map((customer) => [customer.id, customer]));
  const writes: CustomerProfile[] = [];
  const heldElsewhere = (account: string, cluster: number): boolean =>
    (index.byAccount.get(account) ?? []).some((entry) => entry.cluster !== cluster && published.has(resolver.customerIds[entry.cluster] as string));

  // Heirs first, so a customer that lost its last record can name where it went.
  const order = [...affected].sort((a, b) => Number(heirOf.has(a)) - Number(heirOf.has(b)));
  for (const c of order) {
    const id = resolver.customerIds[c] as string;
    const group = resolver.members[c] as number[];
    const members = group.map((row) => resolver.records[row] as StandardRecord);
    const decided = group.length > 0 && members.every((record) => live.decidedKeys.has(record.key));
    if (decided) resolver.clusterConfidence[c] = 1;
    const confidence = resolver.clusterConfidence[c] as number;
    assignment.clusters[c] = { customerId: id, memberKeys: members.map((record) => record.key), confidence, confirmed: decided };
    const current = existing.get(id);
    if (group.length === 0) {
      const heir = resolver.customerIds[heirOf.get(c) ?? -1];
      if (current !== undefined && published.has(id) && heir !== undefined && published.has(heir) && current.identity?.mergedInto !== heir) {
        writes.push({ ...current, sourceRecordIds: [], identity: { clusterConfidence: 1, confirmed: true, links: [], mergedInto: heir } });
      }
      published.delete(id);
      continue;
    }
    const golden = buildGoldenRecord(id, members, confidence);
    const identity: CustomerIdentity = {
      clusterConfidence: decided ? 1 : round(confidence),
      ...(decided ? { confirmed: true } : {}),
      links: group.map((row) => {
        const record = resolver.records[row] as StandardRecord;
        return { source: record.source, recordId: record.recordId, confidence: decided ? 1 : round(resolver.recordConfidence[row] as number), updatedAt: record.updatedAt };
      }),
    };
    let next: CustomerProfile | null = null;
    if (current !== undefined) next = applyGolden(current, golden, identity);
    else if (golden.accountIds.length > 0 && !golden.accountIds.some((account) => heldElsewhere(account, c))) next = newProfile(id, golden, identity, golden.fields.country ?? ctx.defaultRegion);
    if (next === null) {
      published.delete(id);
      continue;
    }
    published.add(id);
    if (current === undefined || materiallyDifferent(current, next)) writes.push(next);
  }

  if (writes.length > 0) await ctx.store.upsertCustomers(writes.map((customer) => ({ customer, scores: null, interactions: [] })));
  await ctx.store.assignSourceRecords(reassigned);
  return writes.map((customer) => customer.id);
}
