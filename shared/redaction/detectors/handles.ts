import { SCORE, type Candidate, type Range, overlapsAny } from '../candidate';

// A handle is an @ that does not continue a word or an e-mail address.
const HANDLE = /(?<![\p{L}\p{N}_.@+-])@([A-Za-z0-9_]{1,30})(?![A-Za-z0-9_@])/gu;

export function detectHandles(text: string, exclude: readonly Range[], allowlist: ReadonlySet<string>): Candidate[] {
  const found: Candidate[] = [];
  for (const m of text.matchAll(HANDLE)) {
    const name = (m[1] as string).toLowerCase();
    if (allowlist.has(name)) continue;
    const start = m.index;
    const end = start + m[0].length;
    if (overlapsAny(start, end, exclude)) continue;
    found.push({ start, end, category: 'HANDLE', score: SCORE.handle, detector: 'handle', key: name });
  }
  return found;
}
