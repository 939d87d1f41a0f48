import { createRandom } from '@shared/util/random';
import type { Random } from '@shared/util/random';
import { ocrError, phoneticError, swapWords, typo } from './corruption';
import { FAMILY_NAMES, GIVEN_NAMES_FEMALE, GIVEN_NAMES_MALE, STREET_NAMES, SYLLABLES } from './synthetic-names';

/**
 * A generator shaped like the Febrl benchmark data (Christen's dsgen): an
 * original record per person and up to N duplicates, each duplicate a copy of
 * the original with a few modifications (typos, OCR and phonetic errors,
 * missing values, swapped words and fields). Lower-case text, no phone or
 * email, dates as YYYYMMDD, 7-digit social security ids, ids rec-N-org /
 * rec-N-dup-k. Used to check the no-phone/no-email path of the matcher.
 */
export const FEBRL_COLUMNS = [
  'rec_id', 'given_name', 'surname', 'street_number', 'address_1', 'address_2', 'suburb', 'postcode', 'state', 'date_of_birth', 'soc_sec_id',
] as const;
export type FebrlColumn = (typeof FEBRL_COLUMNS)[number];
export type FebrlRow = Record<FebrlColumn, string>;

export interface FebrlOptions {
  originals: number;
  duplicates: number;
  maxDuplicatesPerOriginal: number;
  maxModificationsPerField: number;
  maxModificationsPerRecord: number;
  /** Share of duplicates per original: Zipf-like (few originals get many) or uniform. */
  distribution: 'zipf' | 'uniform';
  seed: number | string;
}

/** Defaults like Febrl's dataset 3: 2,000 originals, 3,000 duplicates, up to 5 each, up to 5 changes. */
export const DEFAULT_FEBRL_OPTIONS: FebrlOptions = {
  originals: 2000,
  duplicates: 3000,
  maxDuplicatesPerOriginal: 5,
  maxModificationsPerField: 2,
  maxModificationsPerRecord: 5,
  distribution: 'zipf',
  seed: 1,
};

const STATES = ['nsw', 'vic', 'qld', 'wa', 'sa', 'tas', 'act', 'nt'];
const STATE_WEIGHTS = [32, 25, 20, 10, 7, 2, 2, 2];
const SUBURB_PARTS = ['north', 'south', 'east', 'west', 'park', 'hill', 'vale', 'creek', 'heights', 'beach', 'grove', 'point'];
const SITE_WORDS = ['villa', 'court', 'gardens', 'house', 'lodge', 'manor', 'park', 'estate', 'place', 'retirement village', 'unit'];
const STREET_KINDS = ['street', 'road', 'avenue', 'place', 'crescent', 'circuit', 'close', 'drive', 'parade'];

function zipfIndex(random: Random, size: number): number {
  return Math.min(size - 1, Math.max(0, Math.floor(Math.exp(random.next() * Math.log(size + 1))) - 1));
}

function word(random: Random): string {
  let text = '';
  const parts = random.int(2, 3);
  for (let i = 0; i < parts; i++) text += random.pick(SYLLABLES);
  return text;
}

function original(random: Random, suburbs: readonly { suburb: string; postcode: string; state: string }[]): Omit<FebrlRow, 'rec_id'> {
  const given = random.chance(0.5) ? GIVEN_NAMES_FEMALE : GIVEN_NAMES_MALE;
  const place = random.pick(suburbs);
  const year = random.int(1905, 2005);
  const month = random.int(1, 12);
  const day = random.int(1, 28);
  return {
    given_name: random.chance(0.02) ? '' : (given[zipfIndex(random, given.length)] as string),
    surname: random.chance(0.01) ? '' : random.chance(0.5) ? word(random) : (FAMILY_NAMES[zipfIndex(random, FAMILY_NAMES.length)] as string),
    street_number: random.chance(0.03) ? '' : String(random.chance(0.7) ? random.int(1, 99) : random.int(100, 999)),
    address_1: random.chance(0.02) ? '' : `${random.chance(0.5) ? random.pick(STREET_NAMES) : word(random)} ${random.pick(STREET_KINDS)}`,
    address_2: random.chance(0.55) ? '' : `${word(random)} ${random.pick(SITE_WORDS)}`,
    suburb: random.chance(0.01) ? '' : place.suburb,
    postcode: random.chance(0.01) ? '' : place.postcode,
    state: random.chance(0.01) ? '' : place.state,
    date_of_birth: random.chance(0.1) ? '' : `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`,
    soc_sec_id: String(random.int(1_000_000, 9_999_999)),
  };
}

type Modification = (random: Random, value: string) => string;
const MODIFICATIONS: ReadonlyArray<{ weight: number; apply: Modification }> = [
  { weight: 45, apply: (random, value) => (value.length === 0 ? value : typo(random, value)) },
  { weight: 10, apply: (random, value) => (value.length === 0 ? value : ocrError(random, value)) },
  { weight: 10, apply: (random, value) => (value.length === 0 ? value : phoneticError(random, value)) },
  { weight: 15, apply: () => '' },
  { weight: 10, apply: (random, value) => swapWords(random, value) },
  { weight: 10, apply: (random, value) => (value.length < 3 ? value : value.slice(0, -1)) },
];

const FIELD_WEIGHTS: ReadonlyArray<readonly [Exclude<FebrlColumn, 'rec_id'>, number]> = [
  ['given_name', 15], ['surname', 15], ['street_number', 8], ['address_1', 12], ['address_2', 8], ['suburb', 10],
  ['postcode', 8], ['state', 4], ['date_of_birth', 10], ['soc_sec_id', 10],
];

function duplicateOf(random: Random, source: Omit<FebrlRow, 'rec_id'>, options: FebrlOptions): Omit<FebrlRow, 'rec_id'> {
  const copy = { ...source };
  const changes = random.int(1, options.maxModificationsPerRecord);
  const perField = new Map<string, number>();
  for (let c = 0; c < changes; c++) {
    // Occasionally a whole value lands in the wrong field.
    if (random.chance(0.05)) {
      if (random.chance(0.6)) [copy.given_name, copy.surname] = [copy.surname, copy.given_name];
      else [copy.address_1, copy.address_2] = [copy.address_2, copy.address_1];
      continue;
    }
    const field = random.weighted(FIELD_WEIGHTS.map(([name]) => name), FIELD_WEIGHTS.map(([, weight]) => weight));
    const used = perField.get(field) ?? 0;
    if (used >= options.maxModificationsPerField) continue;
    perField.set(field, used + 1);
    const modification = random.weighted(MODIFICATIONS, MODIFICATIONS.map((m) => m.weight));
    copy[field] = modification.apply(random, copy[field]);
  }
  return copy;
}

/** Febrl-shaped rows, originals first then duplicates, in a shuffled order. */
export function generateFebrlLike(options: Partial<FebrlOptions> = {}): FebrlRow[] {
  const settings = { ...DEFAULT_FEBRL_OPTIONS, ...options };
  const random = createRandom(settings.seed);
  const suburbs = Array.from({ length: Math.max(50, Math.floor(settings.originals / 4)) }, () => {
    const state = random.weighted(STATES, STATE_WEIGHTS);
    return { suburb: random.chance(0.3) ? `${word(random)} ${random.pick(SUBURB_PARTS)}` : word(random), postcode: String(random.int(800, 7999)).padStart(4, '0'), state };
  });
  const originals = Array.from({ length: settings.originals }, () => original(random, suburbs));
  const rows: FebrlRow[] = originals.map((row, index) => ({ rec_id: `rec-${index}-org`, ...row }));
  const duplicateCount = new Int32Array(settings.originals);
  let remaining = settings.duplicates;
  let guard = settings.duplicates * 50;
  while (remaining > 0 && guard-- > 0) {
    const index = settings.distribution === 'zipf' ? random.int(0, settings.originals - 1) : random.int(0, settings.originals - 1);
    const extra = settings.distribution === 'zipf' ? 1 + zipfIndex(random, settings.maxDuplicatesPerOriginal) : 1;
    const allowed = Math.min(extra, settings.maxDuplicatesPerOriginal - (duplicateCount[index] as number), remaining);
    for (let k = 0; k < allowed; k++) {
      const dup = duplicateCount[index] as number;
      rows.push({ rec_id: `rec-${index}-dup-${dup}`, ...duplicateOf(random, originals[index] as Omit<FebrlRow, 'rec_id'>, settings) });
      duplicateCount[index] = dup + 1;
      remaining--;
    }
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [rows[i], rows[j]] = [rows[j] as FebrlRow, rows[i] as FebrlRow];
  }
  return rows;
}
