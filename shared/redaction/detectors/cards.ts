import { luhnValid } from '../checksums';
import { SCORE, type Candidate, type Range, isAsciiWordChar } from '../candidate';

interface Brand {
  readonly name: string;
  readonly lengths: readonly number[];
  readonly matches: (digits: string) => boolean;
}

const inRange = (digits: string, width: number, lo: number, hi: number): boolean => {
  const head = Number(digits.slice(0, width));
  return head >= lo && head <= hi;
};
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Issuer prefixes and lengths (ISO/IEC 7812 IIN ranges as published by the networks). */
export const CARD_BRANDS: readonly Brand[] = [
  { name: 'visa', lengths: [13, 16, 19], matches: (d) => d.startsWith('4') },
  { name: 'mastercard', lengths: [16], matches: (d) => inRange(d, 2, 51, 55) || inRange(d, 4, 2221, 2720) },
  { name: 'amex', lengths: [15], matches: (d) => d.startsWith('34') || d.startsWith('37') },
  { name: 'discover', lengths: range(16, 19), matches: (d) => d.startsWith('6011') || d.startsWith('65') || inRange(d, 3, 644, 649) },
  { name: 'jcb', lengths: range(16, 19), matches: (d) => inRange(d, 4, 3528, 3589) },
  { name: 'unionpay', lengths: range(16, 19), matches: (d) => d.startsWith('62') },
  { name: 'diners', lengths: range(14, 19), matches: (d) => d.startsWith('36') || inRange(d, 3, 300, 305) || d.startsWith('38') || d.startsWith('39') },
  { name: 'mir', lengths: range(16, 19), matches: (d) => inRange(d, 4, 2200, 2204) },
  { name: 'maestro', lengths: range(12, 19), matches: (d) => d.startsWith('50') || inRange(d, 2, 56, 58) || d.startsWith('6304') || d.startsWith('6759') },
];

export function cardBrand(digits: string): string | null {
  for (const brand of CARD_BRANDS) {
    if (brand.lengths.includes(digits.length) && brand.matches(digits)) return brand.name;
  }
  return null;
}

/** A Luhn-valid number is a card if a known brand fits, or if it is written in the 4-4-4-4 layout. */
export function isCardNumber(written: string): boolean {
  const digits = written.replace(/\D/g, '');
  if (digits.length < 12 || digits.length > 19 || !luhnValid(digits)) return false;
  if (cardBrand(digits) !== null) return true;
  return digits.length === 16 && /^\d{4}([ .-])\d{4}\1\d{4}\1\d{4}$/.test(written);
}

// Groups joined by one separator (space, dash, dot) or a short whitespace run (a line break, two spaces).
const MAX_GROUPS = 6;
const MIN_GROUP = 3;
const DIGIT_GROUPS = /\d+(?:(?:[ .-]|\s{1,2})\d+)*/g;

/**
 * Cards are written whole, in groups (4-4-4-4, 4-6-5) or with dashes. Within a
 * run of groups the longest valid group-aligned sub-run wins, so a trailing
 * expiry or CVV does not hide the number.
 */
export function detectCards(text: string, _exclude: readonly Range[]): Candidate[] {
  const found: Candidate[] = [];
  for (const m of text.matchAll(DIGIT_GROUPS)) {
    const runStart = m.index;
    if (isAsciiWordChar(text, runStart - 1) || isAsciiWordChar(text, runStart + m[0].length)) continue;
    const groups: { start: number; end: number }[] = [];
    for (const g of m[0].matchAll(/\d+/g)) groups.push({ start: runStart + g.index, end: runStart + g.index + g[0].length });
    // Printed cards use at most six groups of three or more digits (4-4-4-4, 4-6-5, 4-4-4-4-3).
    let i = 0;
    while (i < groups.length) {
      let best: { end: number; j: number } | null = null;
      let digits = 0;
      for (let j = i; j < groups.length && j < i + MAX_GROUPS; j++) {
        const g = groups[j] as { start: number; end: number };
        if (j > i && g.end - g.start < MIN_GROUP) break;
        digits += g.end - g.start;
        if (digits > 19) break;
        const start = (groups[i] as { start: number }).start;
        if (digits >= 12 && isCardNumber(text.slice(start, g.end))) best = { end: g.end, j };
      }
      if (best) {
        const start = (groups[i] as { start: number }).start;
        const digitsKey = text.slice(start, best.end).replace(/\D/g, '');
        found.push({ start, end: best.end, category: 'CARD', score: SCORE.card, detector: 'card', key: digitsKey });
        i = best.j + 1;
      } else {
        i++;
      }
    }
  }
  return found;
}
