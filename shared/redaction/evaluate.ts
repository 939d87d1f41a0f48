import type { PiiCategory } from './categories';
import { findUrls } from './detectors/urls';
import type { RedactedSpan } from './redactor';

export interface LabelOutcome {
  /** Every letter and digit of the labelled value lies inside some redacted span. */
  readonly redacted: boolean;
  /** Redacted, and every span touching it has the label's category. */
  readonly correctCategory: boolean;
  readonly categories: readonly PiiCategory[];
}

/** How well the spans cover one labelled occurrence [start, end) of personal data. */
export function labelCoverage(text: string, start: number, end: number, category: PiiCategory, spans: readonly RedactedSpan[]): LabelOutcome {
  const touching = spans.filter((s) => s.start < end && start < s.end);
  let covered = true;
  for (let i = start; i < end; i++) {
    if (!/[\p{L}\p{N}]/u.test(text[i] as string)) continue;
    if (!touching.some((s) => s.start <= i && i < s.end)) {
      covered = false;
      break;
    }
  }
  const categories = [...new Set(touching.map((s) => s.category))];
  return { redacted: covered, correctCategory: covered && categories.every((c) => c === category), categories };
}

/** Digits become 9, letters a/A, so an example can be shown without the value. */
export function shapeOf(value: string): string {
  return value.replace(/\d/g, '9').replace(/\p{Lu}/gu, 'A').replace(/\p{Ll}/gu, 'a');
}

export interface NearMiss {
  readonly kind: 'digit-run' | 'handle';
  readonly start: number;
  readonly end: number;
}

const DIGIT_RUN = /(?:\d[ .-]?){6,}\d/g;
const HANDLE_LIKE = /(?<![\p{L}\p{N}_.@+-])@[A-Za-z0-9_]{2,}/gu;

/**
 * What is left in redacted text that looks like it might have been personal
 * data: runs of 7+ digits (allowing single separators) and @handles, outside
 * web addresses.
 */
export function findNearMisses(redactedText: string): NearMiss[] {
  const urls = findUrls(redactedText);
  const outside = (start: number, end: number): boolean => !urls.some((u) => start < u.end && u.start < end);
  const misses: NearMiss[] = [];
  for (const m of redactedText.matchAll(DIGIT_RUN)) {
    const run = m[0].replace(/[ .-]$/, '');
    if ((run.match(/\d/g) ?? []).length >= 7 && outside(m.index, m.index + run.length)) {
      misses.push({ kind: 'digit-run', start: m.index, end: m.index + run.length });
    }
  }
  for (const m of redactedText.matchAll(HANDLE_LIKE)) {
    if (outside(m.index, m.index + m[0].length)) misses.push({ kind: 'handle', start: m.index, end: m.index + m[0].length });
  }
  return misses.sort((a, b) => a.start - b.start);
}
