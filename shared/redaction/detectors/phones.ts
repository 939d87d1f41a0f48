import { findPhoneNumbersInText, isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { SCORE, type Candidate, type Range, digitsOf, isAsciiWordChar, overlapsAny } from '../candidate';
import { foldText } from '../folding';

/** Characters that never occur inside one phone number: the matcher is run between them. */
const SEGMENT_BREAK = /[,;\n\r|•]|\.\s|\s{3,}/g;
/** Long segments are cut into overlapping windows: the matcher slows down badly on long digit soups. */
const WINDOW = 160;
const OVERLAP = 40;

function segments(text: string): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  const push = (start: number, end: number): void => {
    for (let s = start; s < end; s += WINDOW - OVERLAP) {
      out.push({ start: s, text: text.slice(s, Math.min(end, s + WINDOW)) });
      if (s + WINDOW >= end) break;
    }
  };
  let last = 0;
  for (const m of text.matchAll(SEGMENT_BREAK)) {
    if (m.index > last) push(last, m.index);
    last = m.index + m[0].length;
  }
  if (last < text.length) push(last, text.length);
  return out;
}

const DATE_TIME = /^\(?\d{1,4}([./-])\d{1,2}\1\d{1,4}\)?(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$/;

/** "2019-12-13", "13.12.2019", "12/13/2019 10:30" are dates, whatever their digit count. */
function looksLikeDateOrTime(written: string): boolean {
  return DATE_TIME.test(written.trim());
}

/** "10.2.3.4567", "v1.0.11.128": dotted groups with a one-digit part, or announced as a version. */
function looksLikeVersion(text: string, start: number, written: string): boolean {
  const trimmed = written.trim();
  if (/^\d+(?:\.\d+)+$/.test(trimmed) && trimmed.split('.').some((g) => g.length === 1)) return true;
  return /(?:version|ver\.?|v|build|firmware|fw|kb)\s*$/i.test(text.slice(Math.max(0, start - 12), start));
}

export function toCountryCode(region: string): CountryCode | undefined {
  const upper = region.toUpperCase();
  return isSupportedCountry(upper) ? upper : undefined;
}

/**
 * libphonenumber-js finds numbers in international form anywhere and in local
 * form for each configured region, at "possible" leniency (length rules):
 * for redaction a false alarm costs little and a miss leaks data. It is run
 * per comma/semicolon segment because its matcher otherwise joins
 * neighbouring numbers in a list.
 */
export function detectPhones(text: string, exclude: readonly Range[], regions: readonly string[]): Candidate[] {
  const found: Candidate[] = [];
  const seen = new Set<string>();
  const countries = regions.map(toCountryCode).filter((c): c is CountryCode => c !== undefined);
  if (countries.length === 0) countries.push('US');
  for (const segment of segments(text)) {
    if (!/\d{2}/.test(segment.text.replace(/[^\d]/g, ''))) continue;
    for (const country of countries) {
      for (const hit of findPhoneNumbersInText(segment.text, { defaultCountry: country, extended: true })) {
        const start = segment.start + hit.startsAt;
        const end = segment.start + hit.endsAt;
        if (isAsciiWordChar(text, start - 1) || isAsciiWordChar(text, end)) continue;
        // A hit touching a window edge may be a cut number; the overlapping window sees it whole.
        const windowEnd = segment.start + segment.text.length;
        if (end === windowEnd && windowEnd < text.length && /\d/.test(text[windowEnd] ?? '')) continue;
        if (overlapsAny(start, end, exclude) || seen.has(`${start}:${end}`)) continue;
        seen.add(`${start}:${end}`);
        const written = text.slice(start, end);
        if (digitsOf(written).length < 7 || looksLikeDateOrTime(written) || looksLikeVersion(text, start, written)) continue;
        found.push({ start, end, category: 'PHONE', score: SCORE.phone, detector: `phone-${country}`, key: hit.number.number });
      }
    }
  }
  return found;
}

const PHONE_SHAPED = /[+(]?\d(?:[\d().\- ]*\d)?\)?/g;
const DOTTED_NUMBERS = /^\d{1,3}(?:\.\d{1,3}){2,}$/;

/**
 * Catches obvious phone numbers the metadata rejects (a foreign local format,
 * an unassigned range): 8-15 digits after + or 00, or 9-15 digits written in
 * short groups, or 9-13 contiguous digits behind a trunk 0.
 */
export function detectPhoneShapedRuns(text: string, exclude: readonly Range[]): Candidate[] {
  const found: Candidate[] = [];
  for (const m of text.matchAll(PHONE_SHAPED)) {
    let written = m[0];
    let start = m.index;
    if (written.endsWith(')') && !written.includes('(')) written = written.slice(0, -1);
    if (written.startsWith('(') && !written.includes(')')) {
      written = written.slice(1);
      start += 1;
    }
    const end = start + written.length;
    if (isAsciiWordChar(text, start - 1) || isAsciiWordChar(text, end)) continue;
    if (/[.,/:]/.test(text[start - 1] ?? '') && /\d/.test(text[start - 2] ?? '')) continue;
    if (/[.,/:-]/.test(text[end] ?? '') && /\d/.test(text[end + 1] ?? '')) continue;
    if (overlapsAny(start, end, exclude)) continue;
    if (/ {2}|\.\.|--/.test(written) || looksLikeDateOrTime(written) || DOTTED_NUMBERS.test(written) || looksLikeVersion(text, start, written)) continue;
    // Dots separate a phone number's groups only when every separator is a dot ("212.456.7890");
    // "1909 18363.720" is a build number.
    if (written.includes('.') && /[ ()-]/.test(written.replace(/^\+/, ''))) continue;
    const digits = digitsOf(written);
    const international = written.startsWith('+') || (written.startsWith('00') && !written.startsWith('000'));
    const groups = written.split(/[^\d]+/).filter((g) => g.length > 0);
    let phoneLike: boolean;
    if (international) {
      phoneLike = digits.length >= 8 && digits.length <= 15;
    } else if (groups.length === 1) {
      phoneLike = digits.startsWith('0') && digits.length >= 9 && digits.length <= 13;
    } else {
      const inner = groups.slice(1);
      const first = groups[0] as string;
      // "030 91234567": a trunk-0 area code may be followed by one long subscriber number.
      const longestInner = first.startsWith('0') && first.length >= 2 ? 8 : 5;
      phoneLike = digits.length >= 9 && digits.length <= 15 && inner.every((g) => g.length >= 2 && g.length <= longestInner) && first.length <= 5;
    }
    if (!phoneLike) continue;
    found.push({ start, end, category: 'PHONE', score: SCORE.phoneFallback, detector: 'phone-shape', key: digits });
  }
  return found;
}

/** Folded words that announce a phone number, in the product languages. */
const PHONE_KEYWORDS = [
  'phone', 'tel', 'mobile', 'cell', 'call me', 'text me', 'whatsapp',
  'טלפון', 'נייד', 'פלאפון', 'תתקשרו',
  'телефон', 'тел', 'звоните', 'позвоните', 'мобильный',
  '电话', '手机', '致电',
  'telefon', 'handy', 'rufnummer', 'telephone', 'portable', 'telefono', 'movil', 'هاتف', 'جوال',
];
// Filler between the keyword and the number: "call me on", "звоните мне на", "es el".
const ANNOUNCED_NUMBER = /^(?:[\s:.#№-]+|(?:me|my|is|on|at|to|number|мне|мой|на|по|номер|是|es|el|mi|ist|est|au|al|unter|לי|ל)(?=[\s:]))*([+(]?\d[\d ().-]{5,18}\d)/iu;

/**
 * A run of 7-15 digits right after "phone", "звоните мне на", "电话" and the
 * like is a phone number whatever its format or region.
 */
export function detectAnnouncedPhones(text: string, exclude: readonly Range[]): Candidate[] {
  const found: Candidate[] = [];
  const folded = foldText(text);
  if (folded.length !== text.length) return found;
  for (const keyword of PHONE_KEYWORDS) {
    let from = 0;
    for (;;) {
      const at = folded.indexOf(keyword, from);
      if (at < 0) break;
      from = at + keyword.length;
      if (/[\p{L}]/u.test(folded[at - 1] ?? '') && !/[\p{Script=Han}]/u.test(keyword)) continue;
      const after = text.slice(from, from + 40);
      const m = ANNOUNCED_NUMBER.exec(after);
      if (!m) continue;
      const written = m[1] as string;
      const start = from + m[0].length - written.length;
      const end = start + written.length;
      const digits = digitsOf(written);
      if (digits.length < 7 || digits.length > 15 || isAsciiWordChar(text, end) || looksLikeDateOrTime(written)) continue;
      if (overlapsAny(start, end, exclude)) continue;
      found.push({ start, end, category: 'PHONE', score: SCORE.phoneFallback, detector: 'phone-keyword', key: digits });
    }
  }
  return found;
}
