import { soundex } from './phonetic';
import type { InternedColumn, PreparedRecords } from './prepared';

/**
 * The blocking keys of defaultBlockingKeys (and the national-id one-edit key),
 * computed from the values rather than from a run's interned ids, so a record
 * standardised today meets the records a full resolution prepared yesterday.
 * Kinds number the key families; the text is the key value within its kind.
 */
export const BLOCK_KINDS = [
  'phone', 'email', 'national_id', 'account_id', 'surname_phonetic+birth_year', 'postcode+given_initial', 'name_phonetic_pair',
  'birth_date+given_initial', 'postcode+surname_phonetic', 'birth_date+postcode', 'street_number+street_phonetic',
  'street_number+given_phonetic', 'street_number+surname_phonetic', 'birth_date+surname_initial', 'national_id_one_edit',
] as const;

const ONE_EDIT_MIN_LENGTH = 6;

const soundexCache = new WeakMap<InternedColumn, Array<string | undefined>>();
/** Soundex of a column value, memoised per distinct value (a million rows share far fewer names). */
function soundexAt(column: InternedColumn, row: number, street: boolean): string {
  const id = column.ids[row] as number;
  if (id < 0) return '';
  let cache = soundexCache.get(column);
  if (cache === undefined) {
    cache = new Array<string | undefined>(column.values.length);
    soundexCache.set(column, cache);
  }
  let code = cache[id];
  if (code === undefined) {
    const value = column.values[id] as string;
    // Street keys use the line's longest word ("tullaroop street" -> T416), as blocking.ts does.
    const word = street ? value.split(' ').filter((w) => /^[a-z]/.test(w)).reduce((best, w) => (w.length > best.length ? w : best), '') : value;
    code = soundex(word);
    cache[id] = code;
  }
  return code;
}

function valueOf(column: InternedColumn, row: number): string | null {
  const id = column.ids[row] as number;
  return id < 0 ? null : (column.values[id] as string);
}

/** Calls `visit` once per blocking key of the prepared row. */
export function forEachBlockingKey(p: PreparedRecords, row: number, visit: (kind: number, text: string) => void): void {
  const phone = valueOf(p.phone, row);
  const email = valueOf(p.email, row);
  const nationalId = valueOf(p.nationalId, row);
  const account = valueOf(p.accountId, row);
  if (phone !== null) visit(0, phone);
  if (email !== null) visit(1, email);
  if (nationalId !== null) visit(2, nationalId);
  if (account !== null) visit(3, account);
  const family = soundexAt(p.family, row, false);
  const given = soundexAt(p.givenRoot, row, false);
  const givenInitial = valueOf(p.givenRoot, row)?.[0] ?? '';
  const familyInitial = valueOf(p.family, row)?.[0] ?? '';
  const dob = p.dob[row] as number;
  const postcode = valueOf(p.postcode, row);
  const number = valueOf(p.streetNumber, row);
  if (family !== '' && dob !== 0) visit(4, `${family}|${Math.floor(dob / 10000)}`);
  if (postcode !== null && givenInitial !== '') visit(5, `${postcode}|${givenInitial}`);
  if (given !== '' && family !== '') visit(6, given < family ? `${given}|${family}` : `${family}|${given}`);
  if (dob !== 0 && givenInitial !== '') visit(7, `${dob}|${givenInitial}`);
  if (postcode !== null && family !== '') visit(8, `${postcode}|${family}`);
  if (dob !== 0 && postcode !== null) visit(9, `${dob}|${postcode}`);
  if (number !== null) {
    const line1 = soundexAt(p.line1, row, true);
    const line2 = soundexAt(p.line2, row, true);
    if (line1 !== '') visit(10, `${number}|${line1}`);
    if (line2 !== '' && line2 !== line1) visit(10, `${number}|${line2}`);
    if (given !== '') visit(11, `${number}|${given}`);
    if (family !== '') visit(12, `${number}|${family}`);
  }
  if (dob !== 0 && familyInitial !== '') visit(13, `${dob}|${familyInitial}`);
  if (nationalId !== null && nationalId.length >= ONE_EDIT_MIN_LENGTH) {
    // Values one edit apart share the value itself or one of its single-character deletions.
    const seen = new Set<string>([nationalId]);
    visit(14, nationalId);
    for (let k = 0; k < nationalId.length; k++) {
      const deletion = nationalId.slice(0, k) + nationalId.slice(k + 1);
      if (!seen.has(deletion)) {
        seen.add(deletion);
        visit(14, deletion);
      }
    }
  }
}

/** 52-bit hash of a key text (two 26-bit FNV-style passes): a rare collision only adds a candidate. */
function keyHash(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return ((a >>> 6) & 0x3ffffff) * 2 ** 26 + ((b >>> 6) & 0x3ffffff);
}

/**
 * Blocking key -> rows, one map per key kind (a single map would pass V8's
 * 16.7 million entry limit on a big book). Most keys hold one row, stored as
 * a bare number rather than an array to keep a million records' index small.
 */
export class BlockIndex {
  private readonly maps = BLOCK_KINDS.map(() => new Map<number, number | number[]>());

  add(kind: number, text: string, row: number): void {
    const map = this.maps[kind] as Map<number, number | number[]>;
    const hash = keyHash(text);
    const rows = map.get(hash);
    if (rows === undefined) map.set(hash, row);
    else if (typeof rows === 'number') {
      if (rows !== row) map.set(hash, [rows, row]);
    } else if (!rows.includes(row)) rows.push(row);
  }

  remove(kind: number, text: string, row: number): void {
    const map = this.maps[kind] as Map<number, number | number[]>;
    const hash = keyHash(text);
    const rows = map.get(hash);
    if (rows === undefined) return;
    if (typeof rows === 'number') {
      if (rows === row) map.delete(hash);
      return;
    }
    const at = rows.indexOf(row);
    if (at >= 0) rows.splice(at, 1);
    if (rows.length === 1) map.set(hash, rows[0] as number);
  }

  /** Rows under a key; an empty list when none. */
  rows(kind: number, text: string): readonly number[] {
    const rows = (this.maps[kind] as Map<number, number | number[]>).get(keyHash(text));
    if (rows === undefined) return [];
    return typeof rows === 'number' ? [rows] : rows;
  }
}
