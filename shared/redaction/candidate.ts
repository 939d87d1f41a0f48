import type { PiiCategory } from './categories';

/** A span of the original text that one detector believes is personal data. */
export interface Candidate {
  readonly start: number;
  readonly end: number;
  readonly category: PiiCategory;
  /** Breaks ties between equally long overlapping candidates: higher wins. */
  readonly score: number;
  /** Which detector found it (for evaluation and debugging, never shown to the model). */
  readonly detector: string;
  /** Normalised value: equal keys within one payload share one placeholder. */
  readonly key: string;
}

/** Tie-break scores; a longer span always beats a shorter one first. */
export const SCORE = {
  profile: 100,
  email: 90,
  iban: 85,
  card: 80,
  nationalIdWithContext: 78,
  nationalId: 65,
  phone: 60,
  nationalIdUnsure: 55,
  account: 52,
  handle: 50,
  phoneFallback: 40,
} as const;

export interface Range {
  readonly start: number;
  readonly end: number;
}

export function overlapsAny(start: number, end: number, ranges: readonly Range[]): boolean {
  for (const r of ranges) if (start < r.end && r.start < end) return true;
  return false;
}

export function compactAlnum(value: string): string {
  return value.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
}

export function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}

/** True when the character at `index` is an ASCII letter or digit (part of a longer code). */
export function isAsciiWordChar(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  return /[0-9A-Za-z]/.test(text[index] as string);
}
