import type { Range } from '../candidate';

const URL = /\b(?:https?:\/\/|www\.)[^\s<>"'）)\]]+/giu;

/** Web addresses: digit detectors skip them (archive timestamps, document ids). */
export function findUrls(text: string): Range[] {
  return [...text.matchAll(URL)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}
