import { CANONICAL_FIELDS } from './canonical';
import type { CanonicalField } from './canonical';
import { isMatchable } from './standardise';
import type { FieldIssue, StandardRecord } from './standardise';

/** Where one golden value came from. Sources are free text here (any number of systems). */
export interface GoldenLineage {
  source: string;
  recordId: string;
  /** The source record's updated_at, or '' when the source gave none. */
  at: string;
}

export type SurvivorshipCriterion = 'trust' | 'recency' | 'completeness' | 'frequency';

export interface SurvivorshipRules {
  /** Sources from most to least trusted; unlisted sources rank after these. */
  trustOrder: readonly string[];
  /** Tie-break order per field; fields not listed use `default`. */
  criteria: Partial<Record<CanonicalField | 'address', readonly SurvivorshipCriterion[]>> & {
    default: readonly SurvivorshipCriterion[];
  };
}

/**
 * Identity facts (names, birth date, ids) go by agreement then trust, so one
 * typo'd source is outvoted; contact facts (phone, email, address) go by
 * recency, because people move and change numbers.
 */
export const DEFAULT_SURVIVORSHIP: SurvivorshipRules = {
  trustOrder: ['crm', 'billing', 'usage', 'support'],
  criteria: {
    default: ['frequency', 'trust', 'recency', 'completeness'],
    phone: ['recency', 'trust', 'completeness'],
    email: ['recency', 'trust', 'completeness'],
    address: ['recency', 'trust', 'completeness'],
    account_id: ['trust', 'recency', 'frequency'],
  },
};

export const ADDRESS_FIELDS = ['street_number', 'address_line1', 'address_line2', 'city', 'postcode', 'region', 'country'] as const satisfies readonly CanonicalField[];
const ADDRESS_SET: ReadonlySet<CanonicalField> = new Set(ADDRESS_FIELDS);

export interface GoldenRecord {
  customerId: string;
  memberKeys: string[];
  fields: Record<CanonicalField, string | null>;
  lineage: Partial<Record<CanonicalField, GoldenLineage>>;
  /** Every usable phone of the person, the surviving one first. */
  phones: string[];
  emails: string[];
  accountIds: string[];
  /** Lowest link confidence of any member: how sure we are these records are one person. */
  confidence: number;
  updatedAt: string | null;
  /** Flagged values of the members, kept visible. */
  issues: Array<FieldIssue & { recordKey: string }>;
}

interface Candidate {
  record: StandardRecord;
  value: string;
  valid: boolean;
  trust: number;
  completeness: number;
  /** How many members carry the same value (case-insensitively). */
  frequency: number;
}

function compareBy(criteria: readonly SurvivorshipCriterion[]): (a: Candidate, b: Candidate) => number {
  return (a, b) => {
    if (a.valid !== b.valid) return a.valid ? -1 : 1;
    for (const criterion of criteria) {
      let difference = 0;
      switch (criterion) {
        case 'trust':
          difference = a.trust - b.trust;
          break;
        case 'recency':
          difference = (b.record.updatedAt ?? '').localeCompare(a.record.updatedAt ?? '');
          break;
        case 'completeness':
          difference = b.completeness - a.completeness;
          break;
        case 'frequency':
          difference = b.frequency - a.frequency;
          break;
      }
      if (difference !== 0) return difference;
    }
    return a.record.key < b.record.key ? -1 : a.record.key > b.record.key ? 1 : 0;
  };
}

const comparators = new WeakMap<readonly SurvivorshipCriterion[], (a: Candidate, b: Candidate) => number>();
function comparatorFor(criteria: readonly SurvivorshipCriterion[]): (a: Candidate, b: Candidate) => number {
  let comparator = comparators.get(criteria);
  if (comparator === undefined) {
    comparator = compareBy(criteria);
    comparators.set(criteria, comparator);
  }
  return comparator;
}

function lineageOf(record: StandardRecord): GoldenLineage {
  return { source: record.source, recordId: record.recordId, at: record.updatedAt ?? '' };
}

function countMatchable(record: StandardRecord): number {
  let filled = 0;
  for (const field of CANONICAL_FIELDS) if (isMatchable(record, field)) filled++;
  return filled;
}

/**
 * Builds the golden record of one person from their source records: each
 * field survives from the best candidate by the rules, missing values are
 * filled from whichever source has them, and every field records its lineage.
 * The address survives as a unit, so a new street never pairs with an old city.
 */
export function buildGoldenRecord(
  customerId: string,
  members: readonly StandardRecord[],
  confidence: number,
  rules: SurvivorshipRules = DEFAULT_SURVIVORSHIP,
): GoldenRecord {
  const trustRank = (source: string): number => {
    const rank = rules.trustOrder.indexOf(source);
    return rank < 0 ? rules.trustOrder.length : rank;
  };
  const trust = members.map((record) => trustRank(record.source));
  const completeness = members.map(countMatchable);
  const fields = {} as Record<CanonicalField, string | null>;
  const lineage: Partial<Record<CanonicalField, GoldenLineage>> = {};

  const candidatesFor = (field: CanonicalField, withFrequency: boolean): Candidate[] => {
    const candidates: Candidate[] = [];
    for (let m = 0; m < members.length; m++) {
      const record = members[m] as StandardRecord;
      const value = record.values[field];
      if (value === null) continue;
      candidates.push({ record, value, valid: isMatchable(record, field), trust: trust[m] as number, completeness: completeness[m] as number, frequency: 0 });
    }
    if (withFrequency && candidates.length > 1) {
      const counts = new Map<string, number>();
      const keys = candidates.map((candidate) => candidate.value.toLowerCase());
      for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
      candidates.forEach((candidate, index) => (candidate.frequency = counts.get(keys[index] as string) ?? 0));
    }
    return candidates;
  };

  for (const field of CANONICAL_FIELDS) {
    if (ADDRESS_SET.has(field)) continue;
    const criteria = rules.criteria[field] ?? rules.criteria.default;
    const candidates = candidatesFor(field, criteria.includes('frequency'));
    if (candidates.length > 1) candidates.sort(comparatorFor(criteria));
    const best = candidates[0];
    fields[field] = best?.value ?? null;
    if (best !== undefined) lineage[field] = lineageOf(best.record);
  }

  // The address: the best record that has one supplies all its parts; parts it lacks
  // come from another record at the same postcode.
  const addressCandidates: Candidate[] = [];
  for (let m = 0; m < members.length; m++) {
    const record = members[m] as StandardRecord;
    let parts = 0;
    let valid = true;
    for (const field of ADDRESS_FIELDS) {
      if (record.values[field] === null) continue;
      if (field !== 'country') parts++;
      if (!isMatchable(record, field)) valid = false;
    }
    if (parts > 0) addressCandidates.push({ record, value: '', valid, trust: trust[m] as number, completeness: parts, frequency: 0 });
  }
  if (addressCandidates.length > 1) addressCandidates.sort(comparatorFor(rules.criteria.address ?? rules.criteria.default));
  const home = addressCandidates[0]?.record;
  for (const field of ADDRESS_FIELDS) {
    fields[field] = null;
    if (home === undefined) continue;
    if (home.values[field] !== null) {
      fields[field] = home.values[field];
      lineage[field] = lineageOf(home);
      continue;
    }
    const samePlace = addressCandidates.find(
      (candidate) => candidate.record.values[field] !== null && candidate.record.values.postcode !== null && candidate.record.values.postcode === home.values.postcode,
    );
    if (samePlace !== undefined) {
      fields[field] = samePlace.record.values[field];
      lineage[field] = lineageOf(samePlace.record);
    }
  }

  const byRecency = members.length > 1 ? [...members].sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? '')) : members;
  const distinctUsable = (field: CanonicalField, first: string | null): string[] => {
    const values: string[] = [];
    if (first !== null && members.some((record) => record.values[field] === first && isMatchable(record, field))) values.push(first);
    for (const record of byRecency) {
      if (!isMatchable(record, field)) continue;
      const value = record.values[field] as string;
      if (!values.includes(value)) values.push(value);
    }
    return values;
  };

  let updatedAt: string | null = null;
  for (const record of members) if (record.updatedAt !== null && (updatedAt === null || record.updatedAt > updatedAt)) updatedAt = record.updatedAt;
  const issues: GoldenRecord['issues'] = [];
  for (const record of members) for (const issue of record.issues) issues.push({ ...issue, recordKey: record.key });

  return {
    customerId,
    memberKeys: members.map((record) => record.key),
    fields,
    lineage,
    phones: distinctUsable('phone', fields.phone),
    emails: distinctUsable('email', fields.email),
    accountIds: distinctUsable('account_id', fields.account_id),
    confidence,
    updatedAt,
    issues,
  };
}
