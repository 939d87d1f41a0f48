import type { Random } from '@shared/util/random';

/** Typing and transcription errors for the synthetic generators. */

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1234567890'];

function neighbour(random: Random, letter: string): string {
  for (const row of KEYBOARD_ROWS) {
    const at = row.indexOf(letter);
    if (at < 0) continue;
    const options = [row[at - 1], row[at + 1]].filter((c): c is string => c !== undefined);
    return options.length > 0 ? random.pick(options) : letter;
  }
  return letter;
}

/** One keyboard slip: insert, delete, substitute (by a neighbouring key) or swap adjacent characters. */
export function typo(random: Random, text: string): string {
  if (text.length < 2) return text;
  // First letters are typed with more care; keep most slips after them.
  const at = random.chance(0.1) ? 0 : random.int(1, text.length - 1);
  const letter = text[at] as string;
  switch (random.int(0, 3)) {
    case 0:
      return text.slice(0, at) + neighbour(random, letter.toLowerCase()) + text.slice(at);
    case 1:
      return text.length > 3 ? text.slice(0, at) + text.slice(at + 1) : text + neighbour(random, letter.toLowerCase());
    case 2: {
      const replaced = neighbour(random, letter.toLowerCase());
      return text.slice(0, at) + (letter === letter.toUpperCase() ? replaced.toUpperCase() : replaced) + text.slice(at + 1);
    }
    default: {
      const left = Math.min(at, text.length - 2);
      return text.slice(0, left) + text[left + 1] + text[left] + text.slice(left + 2);
    }
  }
}

const OCR_CONFUSIONS: ReadonlyArray<readonly [string, string]> = [
  ['m', 'rn'], ['0', 'o'], ['1', 'l'], ['5', 's'], ['8', 'b'], ['cl', 'd'], ['vv', 'w'], ['h', 'b'], ['e', 'c'], ['i', 'l'],
];

/** A scanning error ("m" read as "rn"); the text unchanged when nothing confusable occurs. */
export function ocrError(random: Random, text: string): string {
  const options = OCR_CONFUSIONS.flatMap(([a, b]) => [
    ...(text.includes(a) ? [[a, b] as const] : []),
    ...(text.includes(b) ? [[b, a] as const] : []),
  ]);
  if (options.length === 0) return typo(random, text);
  const [from, to] = random.pick(options);
  const at = text.indexOf(from);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const PHONETIC_CONFUSIONS: ReadonlyArray<readonly [string, string]> = [
  ['ph', 'f'], ['ck', 'k'], ['c', 'k'], ['ie', 'y'], ['ey', 'y'], ['ou', 'ow'], ['th', 't'], ['ss', 's'], ['ll', 'l'], ['tt', 't'],
  ['z', 's'], ['ae', 'e'], ['mm', 'm'], ['nn', 'n'], ['ee', 'ea'],
];

/** A spelling that sounds the same ("Stephen" as "Stefen"). */
export function phoneticError(random: Random, text: string): string {
  const options = PHONETIC_CONFUSIONS.flatMap(([a, b]) => [
    ...(text.includes(a) ? [[a, b] as const] : []),
    ...(text.includes(b) && b.length > 1 ? [[b, a] as const] : []),
  ]);
  if (options.length === 0) return typo(random, text);
  const [from, to] = random.pick(options);
  const at = text.indexOf(from);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** Swaps two adjacent digits or characters (the classic transposition). */
export function transpose(random: Random, text: string): string {
  if (text.length < 2) return text;
  const at = random.int(0, text.length - 2);
  return text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2);
}

/** Swaps two words of a multi-word value; unchanged for one word. */
export function swapWords(random: Random, text: string): string {
  const words = text.split(' ');
  if (words.length < 2) return text;
  const at = random.int(0, words.length - 2);
  [words[at], words[at + 1]] = [words[at + 1] as string, words[at] as string];
  return words.join(' ');
}
