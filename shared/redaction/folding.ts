/**
 * Case- and diacritic-insensitive views of a text that remember where each
 * character came from, so a match in the folded view maps back to the
 * original span.
 */

const SPECIAL_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  ł: 'l',
  Ł: 'l',
  đ: 'd',
  Đ: 'd',
  ı: 'i',
  ё: 'е',
  Ё: 'е',
  // Hebrew final forms compare equal to their regular letters.
  ך: 'כ',
  ם: 'מ',
  ן: 'נ',
  ף: 'פ',
  ץ: 'צ',
};

const COMBINING_MARK = /\p{M}/u;

/** Folds one code point: NFD, drop combining marks, lower-case, special letters. */
export function foldChar(ch: string): string {
  const special = SPECIAL_FOLDS[ch];
  if (special !== undefined) return special;
  let out = '';
  for (const part of ch.normalize('NFD')) {
    if (!COMBINING_MARK.test(part)) out += part;
  }
  return out.toLowerCase();
}

export function foldText(text: string): string {
  let out = '';
  for (const ch of text) out += foldChar(ch);
  return out;
}

export interface FoldedText {
  readonly folded: string;
  /** For each code unit of `folded`: start index of its source character in the original. */
  readonly sourceStart: readonly number[];
  /** For each code unit of `folded`: end index (exclusive) of its source character. */
  readonly sourceEnd: readonly number[];
}

export function foldWithOffsets(text: string): FoldedText {
  let folded = '';
  const sourceStart: number[] = [];
  const sourceEnd: number[] = [];
  let index = 0;
  for (const ch of text) {
    const piece = foldChar(ch);
    for (let k = 0; k < piece.length; k++) {
      sourceStart.push(index);
      sourceEnd.push(index + ch.length);
    }
    folded += piece;
    index += ch.length;
  }
  return { folded, sourceStart, sourceEnd };
}

export interface Token {
  /** Folded form. */
  readonly text: string;
  /** Original span. */
  readonly start: number;
  readonly end: number;
}

// Runs of an unspaced script (Han, kana, Thai) are tokens of their own, so
// "我的名字是Wang" yields "我的名字是" and "wang".
const WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]+|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}])[\p{L}\p{N}])+/gu;

/** Word tokens (letters and digits) with original offsets. */
export function tokenize(view: FoldedText): Token[] {
  const tokens: Token[] = [];
  for (const m of view.folded.matchAll(WORD)) {
    const first = m.index;
    const last = first + m[0].length - 1;
    tokens.push({ text: m[0], start: view.sourceStart[first] as number, end: view.sourceEnd[last] as number });
  }
  return tokens;
}

export function tokenizeText(text: string): Token[] {
  return tokenize(foldWithOffsets(text));
}

/** Scripts written without spaces between words: names and addresses are matched as substrings there. */
export const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
