import type { WrapUp } from '@shared/domain/wrap-up';

export type SummaryAuthor = WrapUp['summaryAuthor'];

/** The share of the draft's words that must survive in the saved summary for it to stay the drafter's. */
export const KEPT_SHARE_FOR_DRAFTER = 0.3;

/**
 * Words for comparing a draft with the saved text: runs of letters and
 * digits, lower-cased; Han, kana and Hangul count one character per word,
 * since those scripts do not separate words with spaces.
 */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().normalize('NFKC').matchAll(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[\p{L}\p{M}\p{N}]+/gu)) {
    out.push(match[0]);
  }
  return out;
}

/** How much of the draft's wording is still in `saved`, 0..1 (a bag-of-words overlap, so reordering is not a rewrite). */
export function keptShare(draft: string, saved: string): number {
  const draftWords = words(draft);
  if (draftWords.length === 0) return 0;
  const available = new Map<string, number>();
  for (const word of words(saved)) available.set(word, (available.get(word) ?? 0) + 1);
  let kept = 0;
  for (const word of draftWords) {
    const left = available.get(word) ?? 0;
    if (left > 0) {
      kept++;
      available.set(word, left - 1);
    }
  }
  return kept / draftWords.length;
}

/**
 * Who wrote a saved summary. The rule: a summary that began as a draft stays
 * the drafter's ('on-device' or 'model:<name>') however much the agent edits
 * it, as long as at least 30% of the draft's words are still in it: an edited
 * model draft is still the model's draft, edited, and auditors should see it
 * that way. When less than that survives, the agent has rewritten it and it is
 * the agent's. No draft, or an empty summary, is the agent's.
 *
 * `draftText` is everything the drafter put into the form: the summary and its
 * follow-up lines.
 */
export function attributeSummary(saved: string, draft: { author: SummaryAuthor; text: string } | null): SummaryAuthor {
  if (draft === null || draft.author === 'agent' || saved.trim() === '') return 'agent';
  return keptShare(draft.text, saved) >= KEPT_SHARE_FOR_DRAFTER ? draft.author : 'agent';
}
