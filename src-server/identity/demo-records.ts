import type { SourceRecord } from '@shared/demo-data/generate';
import type { CanonicalRecord } from '@shared/identity/canonical';
import { isoDate, toE164 } from '../ingest/standardise';

/**
 * The demo systems' records in canonical form, as each system's connector
 * would send them. The connector knows its own country, so it writes phones
 * in international form and its own date format as ISO; everything else
 * (case, spacing, nicknames, typos, gaps) goes to identity resolution as is.
 */
export function canonicalFromDemo(record: SourceRecord): CanonicalRecord {
  const text = (value: string | null | undefined): string | null => (value === null || value === undefined || value.trim() === '' ? null : value);
  return {
    source: record.source,
    record_id: record.recordId,
    given_name: text(record.givenName),
    family_name: text(record.familyName),
    date_of_birth: record.dateOfBirth === null ? null : (isoDate(record.dateOfBirth) ?? record.dateOfBirth),
    phone: record.phone === null ? null : (toE164(record.phone, record.country) ?? record.phone),
    email: text(record.email),
    national_id: null,
    account_id: text(record.accountId),
    address_line1: text(record.addressLine1),
    address_line2: null,
    street_number: null,
    city: text(record.city),
    postcode: text(record.postcode),
    region: text(record.region),
    country: record.country,
    updated_at: record.updatedAt,
  };
}
