/**
 * The countries whose national id formats the on-device redactor knows, in
 * the order of its rules (shared/redaction/detectors/national-ids.ts). The
 * settings in the desktop API contract accept these; the redaction rules are
 * typed against this list, and a country listed here without a rule there
 * does not compile.
 */
export const NATIONAL_ID_COUNTRIES = ['US', 'GB', 'IL', 'ES', 'CN', 'FR', 'DE', 'RU'] as const;
export type NationalIdCountry = (typeof NATIONAL_ID_COUNTRIES)[number];

/** A fresh copy of NATIONAL_ID_COUNTRIES. */
export function knownNationalIdCountries(): string[] {
  return [...NATIONAL_ID_COUNTRIES];
}
