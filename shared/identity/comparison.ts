import { isNicknameOf } from './nicknames';
import type { InternedColumn, PreparedRecords } from './prepared';
import { compareDates, editDistance, jaroWinklerAtLeast, withinOneEdit } from './similarity';

/**
 * The comparison vector: for each comparison, the agreement level of a record
 * pair, 0 = strongest agreement, last = disagreement, -1 = a side is missing
 * (a missing value is no evidence either way).
 */
export interface ComparisonSpec {
  name: string;
  levels: readonly string[];
}

export const COMPARISONS = [
  { name: 'given_name', levels: ['exact_or_nickname', 'close', 'similar', 'different'] },
  { name: 'family_name', levels: ['exact', 'close', 'similar', 'different'] },
  { name: 'date_of_birth', levels: ['exact', 'near', 'partial', 'different'] },
  { name: 'phone', levels: ['exact', 'one_digit', 'different'] },
  { name: 'email', levels: ['exact', 'close', 'different'] },
  { name: 'national_id', levels: ['exact', 'one_edit', 'two_edits', 'different'] },
  { name: 'account_id', levels: ['exact', 'different'] },
  { name: 'address', levels: ['same', 'mostly', 'half', 'little', 'different'] },
] as const satisfies readonly ComparisonSpec[];

export const COMPARISON_COUNT = COMPARISONS.length;
export const CMP = { given: 0, family: 1, dob: 2, phone: 3, email: 4, nationalId: 5, accountId: 6, address: 7 } as const;

const CLOSE = 0.92;
const SIMILAR = 0.8;

function idOf(column: InternedColumn, row: number): number {
  return column.ids[row] as number;
}

function text(column: InternedColumn, id: number): string {
  return column.values[id] as string;
}

/** Level of two name keys: exact, close, similar or different. `nickname` lets Bob equal Robert. */
function nameLevel(a: string, b: string, nickname: boolean): number {
  if (a === b) return 0;
  if (nickname && isNicknameOf(a, b)) return 0;
  // An initial ("j") agrees weakly with a name that starts with it.
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 2 : 3;
  const similarity = jaroWinklerAtLeast(a, b, SIMILAR);
  if (similarity >= CLOSE) return 1;
  if (similarity >= SIMILAR) return 2;
  return 3;
}

/**
 * Given and family names, also read crosswise so "Smith, John" against
 * "John Smith" agrees; a crosswise agreement is at best `close`, never exact.
 */
function compareNames(p: PreparedRecords, i: number, j: number, out: Int8Array): void {
  const gi = idOf(p.given, i);
  const gj = idOf(p.given, j);
  const fi = idOf(p.family, i);
  const fj = idOf(p.family, j);
  const given = gi < 0 || gj < 0 ? -1 : gi === gj ? 0 : nameLevel(text(p.given, gi), text(p.given, gj), true);
  const family = fi < 0 || fj < 0 ? -1 : fi === fj ? 0 : nameLevel(text(p.family, fi), text(p.family, fj), false);
  out[CMP.given] = given;
  out[CMP.family] = family;
  if (given === 0 && family === 0) return;
  if (gi < 0 || gj < 0 || fi < 0 || fj < 0) return;
  // Crosswise reading only helps when the straight one is poor.
  if (given <= 1 && family <= 1) return;
  const crossA = nameLevel(text(p.given, gi), text(p.family, fj), false);
  if (crossA > 1) return;
  const crossB = nameLevel(text(p.family, fi), text(p.given, gj), false);
  if (crossB > 1) return;
  if (Math.max(crossA, 1) + Math.max(crossB, 1) < given + family) {
    out[CMP.given] = Math.max(crossA, 1);
    out[CMP.family] = Math.max(crossB, 1);
  }
}

function compareDob(p: PreparedRecords, i: number, j: number): number {
  const a = p.dob[i] as number;
  const b = p.dob[j] as number;
  if (a === 0 || b === 0) return -1;
  switch (compareDates(a, b)) {
    case 'exact':
      return 0;
    case 'near':
      return 1;
    case 'partial':
      return 2;
    default:
      return 3;
  }
}

function comparePhone(p: PreparedRecords, i: number, j: number): number {
  const a = idOf(p.phone, i);
  const b = idOf(p.phone, j);
  if (a < 0 || b < 0) return -1;
  if (a === b) return 0;
  return withinOneEdit(text(p.phone, a), text(p.phone, b)) ? 1 : 2;
}

function compareEmail(p: PreparedRecords, i: number, j: number): number {
  const a = idOf(p.email, i);
  const b = idOf(p.email, j);
  if (a < 0 || b < 0) return -1;
  if (a === b) return 0;
  const emailA = text(p.email, a);
  const emailB = text(p.email, b);
  const localA = emailA.slice(0, emailA.indexOf('@'));
  const localB = emailB.slice(0, emailB.indexOf('@'));
  // A typo (one or two edits) or the same mailbox name at another provider.
  if ((localA === localB && localA.length >= 4) || withinOneEdit(emailA, emailB)) return 1;
  if (Math.abs(emailA.length - emailB.length) <= 2 && editDistance(emailA, emailB, 2) <= 2) return 1;
  return 2;
}

function compareNationalId(p: PreparedRecords, i: number, j: number): number {
  const a = idOf(p.nationalId, i);
  const b = idOf(p.nationalId, j);
  if (a < 0 || b < 0) return -1;
  if (a === b) return 0;
  const idA = text(p.nationalId, a);
  const idB = text(p.nationalId, b);
  if (withinOneEdit(idA, idB)) return 1;
  return editDistance(idA, idB, 2) === 2 ? 2 : 3;
}

function compareAccount(p: PreparedRecords, i: number, j: number): number {
  const a = idOf(p.accountId, i);
  const b = idOf(p.accountId, j);
  if (a < 0 || b < 0) return -1;
  return a === b ? 0 : 1;
}

/**
 * One comparison for the whole address: street number, lines, city, postcode
 * and region move together when a person moves, so scoring them as
 * independent fields would count one move five times. The level is the share
 * of address parts present on both sides that agree.
 */
function compareAddress(p: PreparedRecords, i: number, j: number): number {
  // Each part adds 1 to `present` when both sides have it and 1 to `agree` when they agree;
  // packed as present * 16 + agree to stay allocation-free in this hot loop.
  const packed =
    exactPart(p.streetNumber, i, j) +
    linePart(p, i, j, p.line1, p.line2) +
    linePart(p, i, j, p.line2, p.line1) +
    fuzzyPart(p.city, i, j) +
    exactPart(p.postcode, i, j) +
    exactPart(p.region, i, j);
  const present = packed >> 4;
  const agree = packed & 15;
  if (present === 0) return -1;
  const share = agree / present;
  if (share === 1) return 0;
  if (share >= 0.75) return 1;
  if (share >= 0.5) return 2;
  if (share > 0) return 3;
  return 4;
}

const PRESENT = 16;

function exactPart(column: InternedColumn, i: number, j: number): number {
  const a = idOf(column, i);
  const b = idOf(column, j);
  if (a < 0 || b < 0) return 0;
  return a === b ? PRESENT + 1 : PRESENT;
}

function fuzzyPart(column: InternedColumn, i: number, j: number): number {
  const a = idOf(column, i);
  const b = idOf(column, j);
  if (a < 0 || b < 0) return 0;
  if (a === b) return PRESENT + 1;
  return jaroWinklerAtLeast(text(column, a), text(column, b), 0.9) >= 0.9 ? PRESENT + 1 : PRESENT;
}

/**
 * Words of each distinct value sorted and re-joined ("road orjor" -> "orjor road"),
 * computed on first use: one Jaro-Winkler over it tolerates typos and word order.
 */
const sortedCache = new WeakMap<InternedColumn, Array<string | undefined>>();
function sortedWords(column: InternedColumn, id: number): string {
  let cache = sortedCache.get(column);
  if (cache === undefined) {
    cache = new Array<string | undefined>(column.values.length);
    sortedCache.set(column, cache);
  }
  let sorted = cache[id];
  if (sorted === undefined) {
    sorted = text(column, id).split(' ').filter((word) => word.length > 0).sort().join(' ');
    cache[id] = sorted;
  }
  return sorted;
}

/** An address line of i against the same line of j, or else the other line (lines 1 and 2 get swapped). */
function linePart(p: PreparedRecords, i: number, j: number, same: InternedColumn, other: InternedColumn): number {
  const a = idOf(same, i);
  const b = idOf(same, j);
  if (a < 0 || b < 0) return 0;
  if (a === b) return PRESENT + 1;
  const lineA = sortedWords(same, a);
  if (jaroWinklerAtLeast(lineA, sortedWords(same, b), 0.9) >= 0.9) return PRESENT + 1;
  const c = idOf(other, j);
  if (c >= 0 && jaroWinklerAtLeast(lineA, sortedWords(other, c), 0.9) >= 0.9) return PRESENT + 1;
  return PRESENT;
}

/** Fills `out` (length COMPARISON_COUNT) with the comparison vector of records i and j. */
export function compareRecords(p: PreparedRecords, i: number, j: number, out: Int8Array): void {
  compareNames(p, i, j, out);
  out[CMP.dob] = compareDob(p, i, j);
  out[CMP.phone] = comparePhone(p, i, j);
  out[CMP.email] = compareEmail(p, i, j);
  out[CMP.nationalId] = compareNationalId(p, i, j);
  out[CMP.accountId] = compareAccount(p, i, j);
  out[CMP.address] = compareAddress(p, i, j);
}

/**
 * Hard-identifier conflict: two records that cannot be one person whatever
 * else agrees. National ids more than two edits apart, or dates of birth that
 * are neither equal nor a plausible typo of one another.
 */
export function hasHardConflict(levels: Int8Array): boolean {
  if (levels[CMP.nationalId] === 3 && levels[CMP.accountId] !== 0) return true;
  if (levels[CMP.dob] === 3 && levels[CMP.nationalId] !== 0 && levels[CMP.accountId] !== 0) return true;
  return false;
}

/** Mixed-radix code of a comparison vector (missing counts as its own state), for counting patterns. */
export function patternCode(levels: Int8Array): number {
  let code = 0;
  for (let k = 0; k < COMPARISON_COUNT; k++) {
    code = code * (COMPARISONS[k]!.levels.length + 1) + ((levels[k] as number) + 1);
  }
  return code;
}

export function decodePattern(code: number, out: Int8Array): void {
  let rest = code;
  for (let k = COMPARISON_COUNT - 1; k >= 0; k--) {
    const radix = COMPARISONS[k]!.levels.length + 1;
    out[k] = (rest % radix) - 1;
    rest = Math.floor(rest / radix);
  }
}
