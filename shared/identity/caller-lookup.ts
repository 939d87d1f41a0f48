import { standardisePhone } from './phones';
import type { PhoneRegion } from './phones';
import { isMatchable } from './standardise';
import type { StandardRecord } from './standardise';

/** What the index needs from a resolution (a ResolveResult fits). */
export interface CallerIndexInput {
  records: readonly StandardRecord[];
  clusterOf: ArrayLike<number>;
  customerIds: readonly string[];
  clusterConfidence: ArrayLike<number>;
}

interface IndexEntry {
  cluster: number;
  /** How many of the cluster's source records carry this phone or account. */
  records: number;
}

export interface CallerIndex {
  byPhone: Map<string, IndexEntry[]>;
  byAccount: Map<string, IndexEntry[]>;
  customerIds: readonly string[];
  clusterConfidence: ArrayLike<number>;
  defaultRegion: PhoneRegion;
}

export type MatchedOn = 'phone' | 'account';

export interface CallerCandidate {
  customerId: string;
  /** 0-1: how sure we are the caller is this customer. */
  confidence: number;
  matchedOn: MatchedOn[];
  /** For the agent: "phone and account, 0.98" or "phone (shared by 3 customers), 0.41". */
  explanation: string;
}

export interface CallerMatch {
  phone: string | null;
  candidates: CallerCandidate[];
  /** True when the UI should offer the candidates instead of opening one profile. */
  ambiguous: boolean;
}

function addEntry(map: Map<string, IndexEntry[]>, key: string, cluster: number): void {
  let entries = map.get(key);
  if (entries === undefined) {
    entries = [];
    map.set(key, entries);
  }
  const existing = entries.find((entry) => entry.cluster === cluster);
  if (existing !== undefined) existing.records++;
  else entries.push({ cluster, records: 1 });
}

/** Index from E.164 phone and account id to the clusters whose records carry them. */
export function buildCallerIndex(input: CallerIndexInput, defaultRegion: PhoneRegion): CallerIndex {
  const byPhone = new Map<string, IndexEntry[]>();
  const byAccount = new Map<string, IndexEntry[]>();
  for (let i = 0; i < input.records.length; i++) {
    const record = input.records[i] as StandardRecord;
    const cluster = input.clusterOf[i] as number;
    if (isMatchable(record, 'phone')) addEntry(byPhone, record.values.phone as string, cluster);
    if (isMatchable(record, 'account_id')) addEntry(byAccount, record.values.account_id as string, cluster);
  }
  return { byPhone, byAccount, customerIds: input.customerIds, clusterConfidence: input.clusterConfidence, defaultRegion };
}

/** Adds (delta 1) or removes (delta -1) one record's phone and account under its cluster, for an incremental ingest. */
export function indexRecord(index: CallerIndex, record: StandardRecord, cluster: number, delta: 1 | -1): void {
  const apply = (map: Map<string, IndexEntry[]>, key: string): void => {
    if (delta === 1) {
      addEntry(map, key, cluster);
      return;
    }
    const entries = map.get(key);
    const at = entries?.findIndex((entry) => entry.cluster === cluster) ?? -1;
    if (entries === undefined || at < 0) return;
    const entry = entries[at] as IndexEntry;
    if (--entry.records > 0) return;
    entries.splice(at, 1);
    if (entries.length === 0) map.delete(key);
  };
  if (isMatchable(record, 'phone')) apply(index.byPhone, record.values.phone as string);
  if (isMatchable(record, 'account_id')) apply(index.byAccount, record.values.account_id as string);
}

/** Above this the UI opens the profile straight away; below it, or with a close second, it asks. */
export const CONFIDENT = 0.8;

function shares(entries: readonly IndexEntry[] | undefined): Map<number, number> {
  const result = new Map<number, number>();
  if (entries === undefined) return result;
  const total = entries.reduce((sum, entry) => sum + entry.records, 0);
  for (const entry of entries) result.set(entry.cluster, entry.records / total);
  return result;
}

/**
 * Who is calling: candidates for the caller's phone (any format) and, if the
 * caller gave one, account id. A phone shared by a family yields one candidate
 * per person, each with its share of the evidence; an account that agrees
 * lifts its owner; a cluster the matcher was unsure about carries that doubt.
 */
export function lookupCaller(index: CallerIndex, query: { phone?: string | null; accountId?: string | null }): CallerMatch {
  let phone: string | null = null;
  if (query.phone) {
    const parsed = standardisePhone(query.phone, index.defaultRegion);
    phone = parsed.ok ? parsed.e164 : null;
  }
  const account = query.accountId ? query.accountId.toUpperCase().replace(/[\s\-./]/g, '') : null;
  const phoneEntries = phone === null ? undefined : index.byPhone.get(phone);
  const accountEntries = account === null ? undefined : index.byAccount.get(account);
  const phoneShares = shares(phoneEntries);
  const accountShares = shares(accountEntries);
  const clusters = new Set<number>([...phoneShares.keys(), ...accountShares.keys()]);
  const askedBoth = phone !== null && account !== null;

  const candidates: CallerCandidate[] = [];
  for (const cluster of clusters) {
    const phoneShare = phoneShares.get(cluster);
    const accountShare = accountShares.get(cluster);
    const matchedOn: MatchedOn[] = [];
    if (phoneShare !== undefined) matchedOn.push('phone');
    if (accountShare !== undefined) matchedOn.push('account');
    let evidence: number;
    if (phoneShare !== undefined && accountShare !== undefined) evidence = 1 - (1 - phoneShare) * (1 - accountShare) * 0.1;
    else evidence = phoneShare ?? accountShare ?? 0;
    // One identifier agrees while the other points elsewhere: keep it, but doubt it.
    if (askedBoth && matchedOn.length === 1 && (phoneEntries !== undefined && accountEntries !== undefined)) evidence *= 0.5;
    const confidence = Math.round(evidence * (index.clusterConfidence[cluster] as number) * 100) / 100;
    const sharedBy = phoneShare !== undefined ? (phoneEntries?.length ?? 1) : 1;
    const what = matchedOn.join(' and ') + (sharedBy > 1 ? ` (phone shared by ${sharedBy} customers)` : '');
    candidates.push({
      customerId: index.customerIds[cluster] as string,
      confidence,
      matchedOn,
      explanation: `${what}, ${confidence.toFixed(2)}`,
    });
  }
  candidates.sort((a, b) => b.confidence - a.confidence || a.customerId.localeCompare(b.customerId));
  const top = candidates[0];
  const second = candidates[1];
  const ambiguous = top !== undefined && (top.confidence < CONFIDENT || (second !== undefined && top.confidence - second.confidence < 0.3));
  return { phone, candidates, ambiguous };
}
