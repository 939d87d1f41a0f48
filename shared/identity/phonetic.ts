/**
 * American Soundex, used for blocking on surnames ("Smith", "Smyth" -> S530).
 * Why hand-written: ten lines, and it runs once per record per key.
 */
const CODES: Record<string, string> = {
  b: '1', f: '1', p: '1', v: '1',
  c: '2', g: '2', j: '2', k: '2', q: '2', s: '2', x: '2', z: '2',
  d: '3', t: '3',
  l: '4',
  m: '5', n: '5',
  r: '6',
};

/** Soundex of an already folded, letters-only key; '' when it has no letter a-z. */
export function soundex(key: string): string {
  let start = 0;
  while (start < key.length && !/[a-z]/.test(key[start] as string)) start++;
  if (start >= key.length) return '';
  const first = key[start] as string;
  let code = first.toUpperCase();
  let previous = CODES[first] ?? '';
  for (let i = start + 1; i < key.length && code.length < 4; i++) {
    const letter = key[i] as string;
    const digit = CODES[letter];
    if (digit === undefined) {
      // h and w do not separate letters with the same code; vowels do.
      if (letter !== 'h' && letter !== 'w') previous = '';
      continue;
    }
    if (digit !== previous) code += digit;
    previous = digit;
  }
  return code.padEnd(4, '0');
}
