import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** E.164 for a raw phone string, or null when it is not a valid number. */
export function toE164(raw: string | null, defaultCountry: string): string | null {
  if (!raw) return null;
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultCountry as CountryCode);
  if (parsed?.isValid()) return parsed.number;
  // "972501234567" (international without +) is common in billing exports.
  const plus = parsePhoneNumberFromString(`+${raw.replace(/\D/g, '')}`);
  return plus?.isValid() ? plus.number : null;
}

export function normaliseEmail(raw: string | null): string | null {
  const email = raw?.trim().toLowerCase();
  return email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : null;
}

/** "EMILY" / " emily " -> "Emily"; keeps hyphenated and multi-word names readable. */
export function displayName(raw: string): string {
  return raw
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase()
    .replace(/(^|[\s-])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** ISO date from YYYY-MM-DD or DD/MM/YYYY; null when neither. */
export function isoDate(raw: string | null): string | null {
  if (!raw) return null;
  const value = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (dmy) return `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}`;
  return null;
}
