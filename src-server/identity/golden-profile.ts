import type { CustomerIdentity, CustomerProfile, FieldLineage } from '@shared/domain/customer';
import type { GoldenLineage, GoldenRecord } from '@shared/identity/survivorship';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const COUNTRY = /^[A-Z]{2}$/;

function lineage(from: GoldenLineage | undefined): FieldLineage | undefined {
  return from === undefined ? undefined : { source: from.source, recordId: from.recordId, at: from.at };
}

function usable(golden: GoldenRecord, field: 'given_name' | 'family_name' | 'date_of_birth' | 'email'): string | null {
  const value = golden.fields[field];
  if (value === null) return null;
  // A value standardisation flagged as invalid stays in the source record but not in the profile.
  const flagged = golden.issues.some((issue) => issue.field === field && issue.severity === 'invalid' && issue.recordKey === keyOf(golden.lineage[field]));
  return flagged ? null : value;
}

function keyOf(from: GoldenLineage | undefined): string {
  return from === undefined ? '' : `${from.source}:${from.recordId}`;
}

/**
 * The person fields of a profile as identity resolution sees them: names,
 * phones, email, birth date and address from the golden record, each with
 * its lineage; a value the golden record lacks keeps what the profile had.
 * Business fields (plan, signals, language, do-not-call) are never touched,
 * nor a field an agent edited (it has a field clock: the agent knows best).
 */
export function applyGolden(profile: CustomerProfile, golden: GoldenRecord, identity: CustomerIdentity): CustomerProfile {
  const next: CustomerProfile = { ...profile, lineage: { ...profile.lineage } };
  const set = <K extends 'givenName' | 'familyName' | 'email' | 'dateOfBirth'>(key: K, value: CustomerProfile[K] | null, from: GoldenLineage | undefined): void => {
    if (value === null || profile.fieldClocks?.[key] !== undefined) return;
    next[key] = value as CustomerProfile[K];
    const source = lineage(from);
    if (source) next.lineage[key] = source;
  };
  set('givenName', usable(golden, 'given_name'), golden.lineage.given_name);
  set('familyName', usable(golden, 'family_name'), golden.lineage.family_name);
  set('email', golden.emails[0] ?? null, golden.lineage.email);
  const dob = usable(golden, 'date_of_birth');
  set('dateOfBirth', dob !== null && ISO_DAY.test(dob) ? dob : null, golden.lineage.date_of_birth);

  if (golden.phones.length > 0) {
    next.phones = golden.phones;
    const source = lineage(golden.lineage.phone);
    if (source) next.lineage.phone = source;
  }
  const { fields } = golden;
  if (fields.address_line1 !== null || fields.postcode !== null || fields.city !== null) {
    const line1 = [fields.street_number, fields.address_line1, fields.address_line2].filter((part) => part !== null).join(' ');
    next.address = {
      line1: line1.length > 0 ? line1 : null,
      city: fields.city,
      postcode: fields.postcode,
      region: fields.region,
      country: fields.country !== null && COUNTRY.test(fields.country) ? fields.country : profile.address.country,
    };
    const source = lineage(golden.lineage.address_line1 ?? golden.lineage.postcode ?? golden.lineage.city);
    if (source) next.lineage.address = source;
  }
  next.sourceRecordIds = identity.links.map((link) => link.recordId);
  next.identity = identity;
  return next;
}

/**
 * A profile for a person no account holds yet (a new account id arrived over
 * the integration): person fields from the golden record, business data empty.
 */
export function newProfile(customerId: string, golden: GoldenRecord, identity: CustomerIdentity, defaultCountry: string): CustomerProfile {
  const base: CustomerProfile = {
    id: customerId,
    accountId: golden.accountIds[0] ?? '',
    givenName: '',
    familyName: '',
    phones: [],
    email: null,
    dateOfBirth: null,
    language: 'en',
    timezone: 'UTC',
    address: { line1: null, city: null, postcode: null, region: null, country: COUNTRY.test(defaultCountry) ? defaultCountry : 'US' },
    plan: { name: 'Unknown', monthlyCharge: 0, contractType: 'month-to-month', contractEnd: null, tenureMonths: 0, services: [] },
    signals: { usageChange90d: 0, paymentFailures90d: 0, complaints90d: 0, negativeContacts90d: 0, daysSinceLastContact: null, avgResolutionHours: null },
    doNotCall: false,
    sourceRecordIds: [],
    lineage: {},
    updatedAt: golden.updatedAt ?? new Date(0).toISOString(),
  };
  return applyGolden(base, golden, identity);
}

/** Confidence moves smaller than this (a re-fit model drifting) are not worth a change-feed entry. */
const CONFIDENCE_TOLERANCE = 0.05;

/** True when the profile changed in a way a desktop should hear about. */
export function materiallyDifferent(current: CustomerProfile, next: CustomerProfile): boolean {
  const strip = (profile: CustomerProfile): string =>
    JSON.stringify({ ...profile, identity: profile.identity && { ...profile.identity, clusterConfidence: 0, links: profile.identity.links.map((link) => ({ ...link, confidence: 0 })) } });
  if (strip(current) !== strip(next)) return true;
  const a = current.identity;
  const b = next.identity;
  if (a === undefined || b === undefined) return a !== b;
  if (Math.abs(a.clusterConfidence - b.clusterConfidence) >= CONFIDENCE_TOLERANCE) return true;
  return a.links.some((link, i) => Math.abs(link.confidence - (b.links[i]?.confidence ?? 0)) >= CONFIDENCE_TOLERANCE);
}
