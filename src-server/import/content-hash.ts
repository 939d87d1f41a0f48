import { createHash } from 'node:crypto';
import { MAPPABLE_FIELDS } from '@shared/identity/canonical';
import type { CanonicalRecord } from '@shared/identity/canonical';

/**
 * SHA-256 over the record's fields in a fixed order, blank and missing alike:
 * the same row imported twice hashes the same, whatever the column order.
 */
export function contentHash(record: CanonicalRecord): string {
  const hash = createHash('sha256');
  for (const field of MAPPABLE_FIELDS) {
    const value = record[field];
    hash.update(field);
    hash.update('\u0001');
    hash.update(value === null || value === undefined ? '' : value);
    hash.update('\u0002');
  }
  return hash.digest('hex');
}
