/** Letters that Unicode decomposition leaves whole but people type without the mark. */
const EXTRA_FOLDS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const EXTRA_FOLD_PATTERN = /[ßæœøłđðþı]/g;
const COMBINING_MARKS = /\p{M}+/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;

/**
 * Comparison form of free text: lower case, diacritics folded, punctuation
 * and runs of spaces collapsed to one space. "  José-María  O'Neil " -> "jose maria o neil".
 */
export function foldText(value: string): string {
  return value
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(EXTRA_FOLD_PATTERN, (letter) => EXTRA_FOLDS[letter] ?? letter)
    .replace(NOT_LETTER_OR_DIGIT, ' ')
    .trim();
}

/** Like foldText, but drops the spaces too: "o neil" and "oneil" compare equal. */
export function foldCompact(value: string): string {
  return foldText(value).replace(/ /g, '');
}

const NAME_NOISE = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'sir', 'jr', 'sr', 'ii', 'iii', 'iv']);

/** Comparison form of a personal name: folded, titles and generational suffixes removed, no spaces. */
export function nameKey(value: string): string {
  const words = foldText(value).split(' ');
  const kept = words.filter((word) => word.length > 0 && !NAME_NOISE.has(word));
  return (kept.length > 0 ? kept : words).join('');
}

/** Display form of a name: spacing cleaned; ALL CAPS or all lower becomes Title Case, mixed case is kept. */
export function displayName(value: string): string {
  const spaced = value.trim().replace(/\s+/g, ' ');
  if (spaced !== spaced.toUpperCase() && spaced !== spaced.toLowerCase()) return spaced;
  return spaced.toLowerCase().replace(/(^|[\s\-'’])(\p{L})/gu, (_match, before: string, letter: string) => before + letter.toUpperCase());
}

/** Collapses whitespace; returns null for blank text so "missing" has one spelling. */
const ALREADY_CLEAN = /^(?:\S+ )*\S+$/;

export function cleanText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  // Most values are already clean; testing first avoids building two new strings per field.
  if (ALREADY_CLEAN.test(value)) return value;
  const cleaned = value.trim().replace(/\s+/g, ' ');
  return cleaned.length === 0 ? null : cleaned;
}

/** Strings people type for "no value". */
const PLACEHOLDERS = new Set(['n/a', 'na', 'null', 'none', 'unknown', '-', '--', '?', 'nil', 'tbd', 'not provided']);

export function isPlaceholder(value: string): boolean {
  return value.length <= 12 && PLACEHOLDERS.has(value.trim().toLowerCase());
}
