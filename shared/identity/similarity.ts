/**
 * String and date similarities for record comparison.
 * Why hand-written: these run tens of millions of times when resolving a
 * million records, so they reuse two scratch buffers instead of allocating per
 * call the way general-purpose packages do, and each is only a few lines.
 */

let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

/** Jaro similarity in [0, 1]. */
export function jaro(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  const lenA = a.length;
  const lenB = b.length;
  if (lenA === 0 || lenB === 0) return 0;
  if (flagsA.length < lenA) flagsA = new Uint8Array(lenA * 2);
  if (flagsB.length < lenB) flagsB = new Uint8Array(lenB * 2);
  flagsA.fill(0, 0, lenA);
  flagsB.fill(0, 0, lenB);
  const window = Math.max(0, (Math.max(lenA, lenB) >> 1) - 1);
  let matches = 0;
  for (let i = 0; i < lenA; i++) {
    const start = Math.max(0, i - window);
    const end = Math.min(lenB - 1, i + window);
    const code = a.charCodeAt(i);
    for (let j = start; j <= end; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === code) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < lenA; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  return (matches / lenA + matches / lenB + (matches - transpositions / 2) / matches) / 3;
}

/** Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4). */
export function jaroWinkler(a: string, b: string): number {
  const similarity = jaro(a, b);
  if (similarity <= 0.7) return similarity;
  let prefix = 0;
  const limit = Math.min(4, a.length, b.length);
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return similarity + prefix * 0.1 * (1 - similarity);
}

/**
 * Jaro-Winkler when it can reach `floor`, else 0 without computing it: the
 * lengths alone bound the score (every character of the shorter string
 * matching, a full 4-letter prefix), which rules out most unrelated pairs.
 */
export function jaroWinklerAtLeast(a: string, b: string, floor: number): number {
  const shorter = Math.min(a.length, b.length);
  if (shorter === 0) return 0;
  const bestJaro = (shorter / a.length + shorter / b.length + 1) / 3;
  if (bestJaro + 0.4 * (1 - bestJaro) < floor) return 0;
  return jaroWinkler(a, b);
}

let rowPrev2 = new Int32Array(64);
let rowPrev = new Int32Array(64);
let rowCur = new Int32Array(64);

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions),
 * stopping early once it must exceed `limit`; returns limit + 1 then.
 */
export function editDistance(a: string, b: string, limit = Number.MAX_SAFE_INTEGER): number {
  if (a === b) return 0;
  const lenA = a.length;
  const lenB = b.length;
  if (Math.abs(lenA - lenB) > limit) return limit + 1;
  if (lenA === 0) return lenB;
  if (lenB === 0) return lenA;
  if (rowCur.length <= lenB) {
    rowPrev2 = new Int32Array(lenB * 2 + 2);
    rowPrev = new Int32Array(lenB * 2 + 2);
    rowCur = new Int32Array(lenB * 2 + 2);
  }
  for (let j = 0; j <= lenB; j++) rowPrev[j] = j;
  for (let i = 1; i <= lenA; i++) {
    rowCur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lenB; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let value = Math.min((rowPrev[j] as number) + 1, (rowCur[j - 1] as number) + 1, (rowPrev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        value = Math.min(value, (rowPrev2[j - 2] as number) + 1);
      }
      rowCur[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    const recycled = rowPrev2;
    rowPrev2 = rowPrev;
    rowPrev = rowCur;
    rowCur = recycled;
  }
  return rowPrev[lenB] as number;
}

/**
 * True when a and b are at most one edit apart (substitution, insertion,
 * deletion or adjacent transposition). Linear time: the common check for
 * phone numbers and ids, where the full distance is rarely needed.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const lenA = a.length;
  const lenB = b.length;
  if (Math.abs(lenA - lenB) > 1) return false;
  let start = 0;
  while (start < lenA && start < lenB && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  if (lenA === lenB) {
    // One substitution, or one swap of neighbours.
    if (a.slice(start + 1) === b.slice(start + 1)) return true;
    return start + 1 < lenA && a[start] === b[start + 1] && a[start + 1] === b[start] && a.slice(start + 2) === b.slice(start + 2);
  }
  return lenA > lenB ? a.slice(start + 1) === b.slice(start) : a.slice(start) === b.slice(start + 1);
}

/**
 * Token similarity for multi-word text (addresses, compound names): each token
 * is paired with its best Jaro-Winkler match on the other side (Monge-Elkan),
 * averaged both ways so word order and a missing word cost little.
 */
export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  return tokenListSimilarity(
    a.split(' ').filter((token) => token.length > 0),
    b.split(' ').filter((token) => token.length > 0),
  );
}

/** tokenSimilarity over already split tokens (callers that cache the split). */
export function tokenListSimilarity(tokensA: readonly string[], tokensB: readonly string[]): number {
  if (tokensA.length === 0 || tokensB.length === 0) return 0;
  return (mongeElkan(tokensA, tokensB) + mongeElkan(tokensB, tokensA)) / 2;
}

function mongeElkan(from: readonly string[], to: readonly string[]): number {
  let total = 0;
  for (const token of from) {
    let best = 0;
    for (const other of to) {
      const similarity = jaroWinkler(token, other);
      if (similarity > best) best = similarity;
      if (best === 1) break;
    }
    total += best;
  }
  return total / from.length;
}

/** Share of distinct tokens the two texts have in common (Jaccard). */
export function tokenOverlap(a: string, b: string): number {
  const setA = new Set(a.split(' ').filter((token) => token.length > 0));
  const setB = new Set(b.split(' ').filter((token) => token.length > 0));
  if (setA.size === 0 || setB.size === 0) return 0;
  let shared = 0;
  for (const token of setA) if (setB.has(token)) shared++;
  return shared / (setA.size + setB.size - shared);
}

/** How two dates of birth relate, strongest first. */
export const DATE_AGREEMENT = ['exact', 'near', 'partial', 'different'] as const;
export type DateAgreement = (typeof DATE_AGREEMENT)[number];

/**
 * Compares two dates given as integers YYYYMMDD. `near` covers the errors a
 * typist makes: day and month swapped, one digit wrong, two adjacent digits
 * transposed. `partial` keeps same year-and-month or same month-and-day with a
 * year off by one decade-digit. Everything else is `different`.
 */
export function compareDates(a: number, b: number): DateAgreement {
  if (a === b) return 'exact';
  const yearA = Math.floor(a / 10000);
  const yearB = Math.floor(b / 10000);
  const monthA = Math.floor(a / 100) % 100;
  const monthB = Math.floor(b / 100) % 100;
  const dayA = a % 100;
  const dayB = b % 100;
  if (yearA === yearB && monthA === dayB && dayA === monthB) return 'near';
  if (oneDigitApart(a, b)) return 'near';
  if ((yearA === yearB && monthA === monthB) || (monthA === monthB && dayA === dayB && Math.abs(yearA - yearB) <= 10)) return 'partial';
  return 'different';
}

/** Two YYYYMMDD numbers one digit apart, or with two neighbouring digits swapped (no strings built). */
function oneDigitApart(a: number, b: number): boolean {
  let differing = 0;
  let first = -1;
  let x = a;
  let y = b;
  for (let position = 0; position < 8; position++) {
    if (x % 10 !== y % 10) {
      differing++;
      if (differing === 1) first = position;
      else if (differing > 2 || position !== first + 1) return false;
    }
    x = Math.floor(x / 10);
    y = Math.floor(y / 10);
  }
  if (differing <= 1) return true;
  // Two neighbouring digits differ: a transposition if they are swapped.
  const scale = 10 ** first;
  const lowA = Math.floor(a / scale) % 10;
  const highA = Math.floor(a / (scale * 10)) % 10;
  const lowB = Math.floor(b / scale) % 10;
  const highB = Math.floor(b / (scale * 10)) % 10;
  return lowA === highB && highA === lowB;
}

/** Numeric view of compareDates for callers that want a score: 1, 0.8, 0.4, 0. */
export function dateSimilarity(a: number, b: number): number {
  switch (compareDates(a, b)) {
    case 'exact':
      return 1;
    case 'near':
      return 0.8;
    case 'partial':
      return 0.4;
    default:
      return 0;
  }
}
