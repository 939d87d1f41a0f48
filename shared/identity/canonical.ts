import { z } from 'zod';

/** The person fields every source is mapped onto before matching. */
export const CANONICAL_FIELDS = [
  'given_name',
  'family_name',
  'date_of_birth',
  'phone',
  'email',
  'national_id',
  'account_id',
  'address_line1',
  'address_line2',
  'street_number',
  'city',
  'postcode',
  'region',
  'country',
] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];
export const canonicalFieldSchema = z.enum(CANONICAL_FIELDS);

/** Every column a mapping may target: the person fields plus the record's identity and time. */
export const MAPPABLE_FIELDS = ['source', 'record_id', ...CANONICAL_FIELDS, 'updated_at'] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];
export const mappableFieldSchema = z.enum(MAPPABLE_FIELDS);

const optionalText = z.string().nullable().optional();

const fieldShape = Object.fromEntries(CANONICAL_FIELDS.map((field) => [field, optionalText])) as Record<
  CanonicalField,
  typeof optionalText
>;

/**
 * One source record as mapped from a file or system, before standardisation.
 * Values are raw text: standardisation flags bad values instead of rejecting
 * the record, so nothing a source said is lost.
 */
export const canonicalRecordSchema = z.object({
  source: z.string().min(1, 'source is required'),
  record_id: z.string().min(1, 'record_id is required'),
  ...fieldShape,
  updated_at: z.string().nullable().optional(),
});
export type CanonicalRecord = z.infer<typeof canonicalRecordSchema>;

/** Stable identity of a source record across imports and re-runs. */
export function recordKey(record: Pick<CanonicalRecord, 'source' | 'record_id'>): string {
  return `${record.source}:${record.record_id}`;
}
