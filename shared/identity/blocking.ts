import type { InternedColumn, PreparedRecords } from './prepared';
import { soundex } from './phonetic';

/** A blocking key: records sharing a key value become candidate pairs. */
export interface BlockingKey {
  name: string;
  /**
   * The key(s) of one record, or null when the record lacks the fields.
   * Numbers are preferred (no string built per record); a key kind uses one type.
   */
  keyOf(p: PreparedRecords, row: number): number | string | readonly string[] | null;
}

function idAt(column: InternedColumn, row: number): number {
  return column.ids[row] as number;
}

/**
 * Soundex of each distinct value of a column, as a small integer shared by all
 * columns that use the same `codes` table (so given and family names compare).
 */
function soundexIds(column: InternedColumn, codes: Map<string, number>): Int32Array {
  const ids = new Int32Array(column.values.length);
  for (let v = 0; v < column.values.length; v++) {
    const code = soundex(column.values[v] as string);
    if (code.length === 0) {
      ids[v] = -1;
      continue;
    }
    let id = codes.get(code);
    if (id === undefined) {
      id = codes.size;
      codes.set(code, id);
    }
    ids[v] = id;
  }
  return ids;
}

/** First character of each distinct value, as a char code (-1 for empty). */
function initials(column: InternedColumn): Int32Array {
  return Int32Array.from(column.values, (value) => (value.length > 0 ? value.charCodeAt(0) : -1));
}

const CHAR_SPAN = 65536;
const SOUNDEX_SPAN = 1 << 20;
const POSTCODE_SPAN = 1 << 22;

/** The default keys: each catches duplicates the others miss (a typo in one field leaves the others). */
export function defaultBlockingKeys(p: PreparedRecords): BlockingKey[] {
  const codes = new Map<string, number>();
  const familySx = soundexIds(p.family, codes);
  const givenSx = soundexIds(p.givenRoot, codes);
  const givenInitial = initials(p.givenRoot);
  const familyInitial = initials(p.family);
  const famSx = (row: number): number => {
    const id = idAt(p.family, row);
    return id < 0 ? -1 : (familySx[id] as number);
  };
  const givSx = (row: number): number => {
    const id = idAt(p.givenRoot, row);
    return id < 0 ? -1 : (givenSx[id] as number);
  };
  const initialOf = (row: number): number => {
    const id = idAt(p.givenRoot, row);
    return id < 0 ? -1 : (givenInitial[id] as number);
  };
  const familyInitialOf = (row: number): number => {
    const id = idAt(p.family, row);
    return id < 0 ? -1 : (familyInitial[id] as number);
  };
  // Street name sound of each address line's longest word ("tullaroop street" -> T416), for address keys.
  const streetSx = (column: InternedColumn): Int32Array => {
    const ids = new Int32Array(column.values.length);
    for (let v = 0; v < column.values.length; v++) {
      const words = (column.values[v] as string).split(' ').filter((word) => /^[a-z]/.test(word));
      const longest = words.reduce((best, word) => (word.length > best.length ? word : best), '');
      const code = soundex(longest);
      let id = code.length === 0 ? -1 : codes.get(code);
      if (id === undefined) {
        id = codes.size;
        codes.set(code, id);
      }
      ids[v] = id;
    }
    return ids;
  };
  const line1Sx = streetSx(p.line1);
  const line2Sx = streetSx(p.line2);
  const streetNumberOf = (row: number): number => idAt(p.streetNumber, row);
  const idKey = (column: InternedColumn) => (_q: PreparedRecords, row: number): number | null => {
    const id = idAt(column, row);
    return id < 0 ? null : id;
  };
  return [
    { name: 'phone', keyOf: idKey(p.phone) },
    { name: 'email', keyOf: idKey(p.email) },
    { name: 'national_id', keyOf: idKey(p.nationalId) },
    { name: 'account_id', keyOf: idKey(p.accountId) },
    {
      name: 'surname_phonetic+birth_year',
      keyOf: (q, row) => {
        const code = famSx(row);
        const dob = q.dob[row] as number;
        return code < 0 || dob === 0 ? null : code * 10000 + Math.floor(dob / 10000);
      },
    },
    {
      name: 'postcode+given_initial',
      keyOf: (q, row) => {
        const postcode = idAt(q.postcode, row);
        const first = initialOf(row);
        return postcode < 0 || first < 0 ? null : postcode * CHAR_SPAN + first;
      },
    },
    {
      // Sorted so that swapped given and family names still meet.
      name: 'name_phonetic_pair',
      keyOf: (_q, row) => {
        const a = givSx(row);
        const b = famSx(row);
        if (a < 0 || b < 0) return null;
        return a < b ? a * SOUNDEX_SPAN + b : b * SOUNDEX_SPAN + a;
      },
    },
    {
      name: 'birth_date+given_initial',
      keyOf: (q, row) => {
        const first = initialOf(row);
        const dob = q.dob[row] as number;
        return dob === 0 || first < 0 ? null : dob * CHAR_SPAN + first;
      },
    },
    {
      name: 'postcode+surname_phonetic',
      keyOf: (q, row) => {
        const postcode = idAt(q.postcode, row);
        const code = famSx(row);
        return postcode < 0 || code < 0 ? null : postcode * SOUNDEX_SPAN + code;
      },
    },
    {
      name: 'birth_date+postcode',
      keyOf: (q, row) => {
        const postcode = idAt(q.postcode, row);
        const dob = q.dob[row] as number;
        if (dob === 0 || postcode < 0) return null;
        return postcode < POSTCODE_SPAN ? dob * POSTCODE_SPAN + postcode : `${dob}|${postcode}`;
      },
    },
    {
      // Lines 1 and 2 both give a key: sources swap them.
      name: 'street_number+street_phonetic',
      keyOf: (q, row) => {
        const number = streetNumberOf(row);
        if (number < 0) return null;
        const keys: string[] = [];
        const l1 = idAt(q.line1, row);
        const l2 = idAt(q.line2, row);
        if (l1 >= 0 && (line1Sx[l1] as number) >= 0) keys.push(`${number}|${line1Sx[l1]}`);
        if (l2 >= 0 && (line2Sx[l2] as number) >= 0) keys.push(`${number}|${line2Sx[l2]}`);
        return keys.length === 0 ? null : keys;
      },
    },
    {
      name: 'street_number+given_phonetic',
      keyOf: (_q, row) => {
        const number = streetNumberOf(row);
        const code = givSx(row);
        return number < 0 || code < 0 ? null : number * SOUNDEX_SPAN + code;
      },
    },
    {
      name: 'street_number+surname_phonetic',
      keyOf: (_q, row) => {
        const number = streetNumberOf(row);
        const code = famSx(row);
        return number < 0 || code < 0 ? null : number * SOUNDEX_SPAN + code;
      },
    },
    {
      name: 'birth_date+surname_initial',
      keyOf: (q, row) => {
        const first = familyInitialOf(row);
        const dob = q.dob[row] as number;
        return dob === 0 || first < 0 ? null : dob * CHAR_SPAN + first;
      },
    },
  ];
}

/**
 * A fuzzy key over one column: distinct values one edit apart (a typo, a
 * dropped or doubled digit, two digits swapped) become candidates. Found with
 * deletion neighbourhoods over the distinct values ("5490051" and "5490015"
 * both give "549001"), so the cost follows the number of distinct values.
 */
export interface OneEditKey {
  name: string;
  column: (p: PreparedRecords) => InternedColumn;
  /** Shorter values are too easily one edit apart to be evidence. */
  minLength: number;
}

export function defaultOneEditKeys(): OneEditKey[] {
  return [
    { name: 'national_id_one_edit', column: (p) => p.nationalId, minLength: 6 },
  ];
}

const HASH_MOD_A = 67_108_859; // primes below 2^26: products of two residues stay exact in a double
const HASH_MOD_B = 67_108_837;
const HASH_BASE = 131;

/**
 * Numeric keys of a value and of each one-character deletion of it, from two
 * polynomial hashes combined into one 52-bit number: no substring is built.
 * A rare collision only adds a candidate pair, which comparison then rejects.
 */
function deletionKeys(value: string, out: number[]): void {
  const length = value.length;
  out.length = 0;
  const prefixA = new Array<number>(length + 1);
  const prefixB = new Array<number>(length + 1);
  const suffixA = new Array<number>(length + 1);
  const suffixB = new Array<number>(length + 1);
  const powA = new Array<number>(length + 1);
  const powB = new Array<number>(length + 1);
  prefixA[0] = 0;
  prefixB[0] = 0;
  powA[0] = 1;
  powB[0] = 1;
  for (let k = 0; k < length; k++) {
    const code = value.charCodeAt(k);
    prefixA[k + 1] = ((prefixA[k] as number) * HASH_BASE + code) % HASH_MOD_A;
    prefixB[k + 1] = ((prefixB[k] as number) * HASH_BASE + code) % HASH_MOD_B;
    powA[k + 1] = ((powA[k] as number) * HASH_BASE) % HASH_MOD_A;
    powB[k + 1] = ((powB[k] as number) * HASH_BASE) % HASH_MOD_B;
  }
  // suffix[k]: hash of value[k..] as if it started the string.
  suffixA[length] = 0;
  suffixB[length] = 0;
  for (let k = length - 1; k >= 0; k--) {
    const code = value.charCodeAt(k);
    suffixA[k] = (code * (powA[length - 1 - k] as number) + (suffixA[k + 1] as number)) % HASH_MOD_A;
    suffixB[k] = (code * (powB[length - 1 - k] as number) + (suffixB[k + 1] as number)) % HASH_MOD_B;
  }
  out.push((prefixA[length] as number) * 2 ** 26 + (prefixB[length] as number));
  for (let k = 0; k < length; k++) {
    const tail = length - 1 - k;
    const a = (((prefixA[k] as number) * (powA[tail] as number)) % HASH_MOD_A + (suffixA[k + 1] as number)) % HASH_MOD_A;
    const b = (((prefixB[k] as number) * (powB[tail] as number)) % HASH_MOD_B + (suffixB[k + 1] as number)) % HASH_MOD_B;
    out.push(a * 2 ** 26 + b);
  }
}

/** Pairs of distinct value ids of a column whose values are at most one edit apart. */
function oneEditValuePairs(column: InternedColumn, minLength: number, budget: number): Array<[number, number]> | null {
  const byDeletion = new Map<number, number[]>();
  const keys: number[] = [];
  for (let id = 0; id < column.values.length; id++) {
    const value = column.values[id] as string;
    if (value.length < minLength) continue;
    deletionKeys(value, keys);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k] as number;
      const ids = byDeletion.get(key);
      if (ids === undefined) byDeletion.set(key, [id]);
      else if (ids[ids.length - 1] !== id) ids.push(id);
    }
  }
  const pairs = new Set<number>();
  const result: Array<[number, number]> = [];
  const stride = column.values.length;
  for (const ids of byDeletion.values()) {
    if (ids.length < 2 || ids.length > 50) continue;
    for (let a = 0; a < ids.length; a++) {
      for (let b = a + 1; b < ids.length; b++) {
        const x = Math.min(ids[a] as number, ids[b] as number);
        const y = Math.max(ids[a] as number, ids[b] as number);
        const code = x * stride + y;
        if (pairs.has(code)) continue;
        pairs.add(code);
        result.push([x, y]);
        if (result.length > budget) return null;
      }
    }
  }
  return result;
}

export interface OversizedBlock {
  key: string;
  /** The key value (for numeric keys an internal code; see exampleRow for a record in the block). */
  value: string;
  size: number;
  exampleRow: number;
}

export interface BlockingReport {
  key: string;
  blocks: number;
  pairs: number;
  oversized: number;
  /** Why the whole key was skipped, when it was. */
  skipped?: string;
  /** The block-size cap this key ran with, when the pair budget lowered it. */
  cap?: number;
}

export interface CandidatePairs {
  /** Pair codes i * size + j (i < j), ascending and distinct. */
  codes: Float64Array;
  report: BlockingReport[];
  /** The largest skipped blocks, biggest first (at most 50 are kept). */
  oversized: OversizedBlock[];
}

export interface BlockingOptions {
  /** Blocks with more records are skipped and reported: they cost quadratic time and are rarely one person. */
  maxBlockSize: number;
  /** Skip a whole key if its blocks would yield more pairs than this many per record (e.g. short ids in a huge population). */
  maxPairsPerRecord?: number;
  /** When set, only pairs it accepts are kept (e.g. cross-file pairs when linking). */
  acceptPair?: (i: number, j: number) => boolean;
}

class PairBuffer {
  data = new Float64Array(1 << 16);
  length = 0;

  push(code: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = code;
  }
}

/** Candidate pairs from all keys, deduplicated, with a per-key report. */
export function candidatePairs(
  p: PreparedRecords,
  keys: readonly BlockingKey[],
  options: BlockingOptions,
  oneEditKeys: readonly OneEditKey[] = [],
): CandidatePairs {
  const buffer = new PairBuffer();
  const report: BlockingReport[] = [];
  const oversized: OversizedBlock[] = [];
  const size = p.size;

  for (const key of keys) {
    // Rows and block ids as parallel growable lists: a record may sit in several blocks of one key.
    const blockIds = new Map<string | number, number>();
    const blockValues: Array<string | number> = [];
    let entryRows = new Int32Array(size + 16);
    let entryBlocks = new Int32Array(size + 16);
    let entries = 0;
    const add = (row: number, value: string | number): void => {
      let id = blockIds.get(value);
      if (id === undefined) {
        id = blockValues.length;
        blockIds.set(value, id);
        blockValues.push(value);
      }
      if (entries === entryRows.length) {
        const rowsGrown = new Int32Array(entries * 2);
        rowsGrown.set(entryRows);
        entryRows = rowsGrown;
        const blocksGrown = new Int32Array(entries * 2);
        blocksGrown.set(entryBlocks);
        entryBlocks = blocksGrown;
      }
      entryRows[entries] = row;
      entryBlocks[entries] = id;
      entries++;
    };
    for (let row = 0; row < size; row++) {
      const value = key.keyOf(p, row);
      if (value === null) continue;
      if (typeof value === 'string' || typeof value === 'number') add(row, value);
      else for (const one of new Set(value)) add(row, one);
    }
    blockIds.clear();
    // Counting sort of entries by block.
    const blockCount = blockValues.length;
    const starts = new Int32Array(blockCount + 1);
    for (let x = 0; x < entries; x++) starts[(entryBlocks[x] as number) + 1]!++;
    for (let b = 0; b < blockCount; b++) starts[b + 1]! += starts[b] as number;
    const fill = starts.slice(0, blockCount);
    const rows = new Int32Array(entries);
    for (let x = 0; x < entries; x++) rows[fill[entryBlocks[x] as number]!++] = entryRows[x] as number;

    // Blocks above the cap are skipped; if the key would still cost more pairs than the budget,
    // the cap is lowered for this key until it fits (large blocks say least per pair).
    let cap = options.maxBlockSize;
    if (options.maxPairsPerRecord !== undefined) {
      const budget = options.maxPairsPerRecord * Math.max(size, 1000);
      const sizes: number[] = [];
      for (let b = 0; b < blockCount; b++) {
        const count = (starts[b + 1] as number) - (starts[b] as number);
        if (count >= 2 && count <= cap) sizes.push(count);
      }
      sizes.sort((x, y) => x - y);
      let total = 0;
      for (let k = 0; k < sizes.length; k++) {
        const count = sizes[k] as number;
        total += (count * (count - 1)) / 2;
        if (total > budget) {
          cap = count - 1;
          break;
        }
      }
    }

    let pairs = 0;
    let skipped = 0;
    let multi = 0;
    for (let b = 0; b < blockCount; b++) {
      const start = starts[b] as number;
      const end = starts[b + 1] as number;
      const count = end - start;
      if (count < 2) continue;
      if (count > cap) {
        skipped++;
        if (count > options.maxBlockSize || oversized.length < 10_000) oversized.push({ key: key.name, value: String(blockValues[b]), size: count, exampleRow: rows[start] as number });
        continue;
      }
      multi++;
      for (let x = start; x < end; x++) {
        const i = rows[x] as number;
        for (let y = x + 1; y < end; y++) {
          const j = rows[y] as number;
          if (i === j) continue;
          const lo = i < j ? i : j;
          const hi = i < j ? j : i;
          if (options.acceptPair !== undefined && !options.acceptPair(lo, hi)) continue;
          buffer.push(lo * size + hi);
          pairs++;
        }
      }
    }
    report.push({ key: key.name, blocks: multi, pairs, oversized: skipped, ...(cap < options.maxBlockSize ? { cap } : {}) });
  }

  for (const key of oneEditKeys) {
    const column = key.column(p);
    const budget = (options.maxPairsPerRecord ?? Number.POSITIVE_INFINITY) * Math.max(size, 1000);
    const valuePairs = oneEditValuePairs(column, key.minLength, budget);
    if (valuePairs === null) {
      report.push({ key: key.name, blocks: 0, pairs: 0, oversized: 0, skipped: `more than ${budget} value pairs` });
      continue;
    }
    // Rows of each value id.
    const rowsOf = new Map<number, number[]>();
    for (let row = 0; row < size; row++) {
      const id = column.ids[row] as number;
      if (id < 0) continue;
      const rows = rowsOf.get(id);
      if (rows === undefined) rowsOf.set(id, [row]);
      else rows.push(row);
    }
    let pairs = 0;
    let skipped = 0;
    for (const [x, y] of valuePairs) {
      const rowsX = rowsOf.get(x) ?? [];
      const rowsY = rowsOf.get(y) ?? [];
      if (rowsX.length * rowsY.length > options.maxBlockSize) {
        skipped++;
        continue;
      }
      for (const i of rowsX) {
        for (const j of rowsY) {
          const lo = i < j ? i : j;
          const hi = i < j ? j : i;
          if (options.acceptPair !== undefined && !options.acceptPair(lo, hi)) continue;
          buffer.push(lo * size + hi);
          pairs++;
        }
      }
    }
    report.push({ key: key.name, blocks: valuePairs.length, pairs, oversized: skipped });
  }

  const sorted = buffer.data.subarray(0, buffer.length).sort();
  let unique = 0;
  for (let x = 0; x < sorted.length; x++) {
    if (x === 0 || sorted[x] !== sorted[unique - 1]) sorted[unique++] = sorted[x] as number;
  }
  oversized.sort((a, b) => b.size - a.size);
  return { codes: sorted.slice(0, unique), report, oversized: oversized.slice(0, 50) };
}
