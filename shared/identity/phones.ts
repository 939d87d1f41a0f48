import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CountryCode } from 'libphonenumber-js';
import { getCountries, getCountryCallingCode } from 'libphonenumber-js';

export type PhoneRegion = CountryCode;

const KNOWN_REGIONS: ReadonlySet<string> = new Set(getCountries());

export function isPhoneRegion(value: string): value is PhoneRegion {
  return KNOWN_REGIONS.has(value);
}

export type PhoneResult =
  /** `valid` false: a possible number whose digits no numbering plan allows (flagged, still comparable). */
  | { ok: true; e164: string; valid: boolean }
  | { ok: false; reason: string };

/**
 * Memo of recent parses. The same number reaches us in a handful of spellings
 * across sources; punctuation is stripped before the lookup so all spellings
 * share an entry. Bounded so a million distinct numbers cannot pin memory.
 */
const MEMO_LIMIT = 500_000;
const memo = new Map<string, PhoneResult>();

/** "+", digits, and an extension marker are all that parsing needs. */
function phoneMemoKey(raw: string, region: PhoneRegion): string {
  return region + '|' + raw.replace(/[\s().\-/]/g, '').replace(/^00(?=[1-9])/, '+');
}

/**
 * A phone number to E.164 with libphonenumber-js. "00" and "+" international
 * prefixes are understood; national numbers are read in the default region.
 */
export function standardisePhone(raw: string, defaultRegion: PhoneRegion): PhoneResult {
  const key = phoneMemoKey(raw, defaultRegion);
  const cached = memo.get(key);
  if (cached !== undefined) return cached;
  const result = parsePhone(raw, defaultRegion);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, result);
  if (result.ok) {
    // Other spellings of the same number need no parse later: the international one
    // ("+1 212...", "001 212...") and, for a home-country number, the plain national digits.
    memo.set(`${defaultRegion}|${result.e164}`, result);
    const callingCode = `+${getCountryCallingCode(defaultRegion)}`;
    if (result.e164.startsWith(callingCode)) memo.set(`${defaultRegion}|${result.e164.slice(callingCode.length)}`, result);
  }
  return result;
}

function parsePhone(raw: string, defaultRegion: PhoneRegion): PhoneResult {
  const trimmed = raw.trim();
  if (!/\d/.test(trimmed)) return { ok: false, reason: 'no digits' };
  const text = trimmed.replace(/^00(?=[1-9])/, '+');
  const parsed = parsePhoneNumberFromString(text, defaultRegion);
  if (parsed === undefined) return { ok: false, reason: `not a phone number for region ${defaultRegion}` };
  if (!parsed.isPossible()) return { ok: false, reason: 'wrong number of digits' };
  return { ok: true, e164: parsed.number, valid: parsed.isValid() };
}
