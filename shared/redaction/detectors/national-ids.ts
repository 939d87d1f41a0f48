import {
  chineseResidentIdValid,
  frenchNirValid,
  germanTaxIdValid,
  israeliIdValid,
  russianInnValid,
  russianSnilsValid,
  spanishDniValid,
  ukNinoValid,
  usSsnValid,
} from '../checksums';
import { SCORE, type Candidate, type Range, compactAlnum, overlapsAny } from '../candidate';
import { foldText } from '../folding';
import type { NationalIdCountry } from '../../domain/national-id-countries';

/**
 * One national identifier format. The table below is the configuration:
 * add a row to support a new country. `needsContext` rows are formats too
 * generic to redact on shape alone (a bare 9-digit number), so a keyword such
 * as "SSN" must appear shortly before.
 */
export interface NationalIdRule {
  readonly id: string;
  readonly country: NationalIdCountry;
  readonly description: string;
  /** Global regex; boundaries included. */
  readonly pattern: RegExp;
  readonly validate: (compact: string) => boolean;
  readonly needsContext: boolean;
  /** Folded (lower-case, no diacritics) words that announce this id. */
  readonly keywords: readonly string[];
  /**
   * The id as people write it, distinctive enough to redact even when its
   * check fails (a mistyped or misremembered id is still an id). Absent:
   * the format's digits alone are too common (phone numbers, amounts).
   */
  readonly writtenShape?: RegExp;
}

const B = '(?<![0-9A-Za-z])';
const E = '(?![0-9A-Za-z])';

const RULES = [
  {
    id: 'us-ssn',
    country: 'US',
    description: 'US Social Security number, written 123-45-6789 or 123 45 6789',
    pattern: new RegExp(`${B}\\d{3}([- ])\\d{2}\\1\\d{4}${E}`, 'g'),
    validate: usSsnValid,
    needsContext: false,
    keywords: ['ssn', 'social security', 'social'],
    writtenShape: /^\d{3}([- ])\d{2}\1\d{4}$/,
  },
  {
    id: 'us-ssn-compact',
    country: 'US',
    description: 'US Social Security number without separators (needs a keyword)',
    pattern: new RegExp(`${B}\\d{9}${E}`, 'g'),
    validate: usSsnValid,
    needsContext: true,
    keywords: ['ssn', 'social security', 'ss#', 'ss #'],
  },
  {
    id: 'uk-nino',
    country: 'GB',
    description: 'UK National Insurance number, AB 12 34 56 C',
    pattern: new RegExp(`${B}[A-Za-z]{2} ?\\d{2} ?\\d{2} ?\\d{2} ?[A-Da-d]${E}`, 'g'),
    validate: ukNinoValid,
    needsContext: false,
    keywords: ['national insurance', 'ni number', 'nino', 'ni no'],
    writtenShape: /^[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d]$/,
  },
  {
    id: 'il-teudat-zehut',
    country: 'IL',
    description: 'Israeli identity number (Teudat Zehut), 9 digits with check digit, also written in groups (123 456 782)',
    pattern: new RegExp(`${B}(?:\\d{9}|\\d{8}-\\d|\\d{3}([- ])\\d{3}\\1\\d{3})${E}`, 'g'),
    validate: israeliIdValid,
    needsContext: false,
    keywords: ['תעודת זהות', 'ת.ז', 'ת"ז', 'תז', 'מספר זהות', 'teudat zehut', 'id number', 'identity number', 'id no', 'my id'],
    writtenShape: /^(?:\d{8}-\d|\d{3}([- ])\d{3}\1\d{3})$/,
  },
  {
    id: 'es-dni',
    country: 'ES',
    description: 'Spanish DNI (12345678Z) and NIE (X1234567L), mod-23 letter',
    pattern: new RegExp(`${B}(?:\\d{8}|[XYZxyz][- ]?\\d{7})[- ]?[A-Za-z]${E}`, 'g'),
    validate: spanishDniValid,
    needsContext: false,
    keywords: ['dni', 'nie', 'documento nacional', 'nif'],
    writtenShape: /^(?:\d{8}|[XYZxyz][- ]?\d{7})[- ]?[A-Za-z]$/,
  },
  {
    id: 'cn-resident-id',
    country: 'CN',
    description: 'Chinese resident identity card number, 18 characters, MOD 11-2',
    pattern: new RegExp(`${B}\\d{6} ?\\d{8} ?\\d{3}[\\dXx]${E}`, 'g'),
    validate: chineseResidentIdValid,
    needsContext: false,
    keywords: ['身份证', '身份證', '证件号', 'resident id', 'id card'],
    writtenShape: /^(?:\d{17}[Xx]|\d{6} \d{8} \d{3}[\dXx])$/,
  },
  {
    id: 'fr-nir',
    country: 'FR',
    description: 'French social security number (NIR), 13 characters + 2-digit key',
    pattern: new RegExp(`${B}[12] ?\\d{2} ?\\d{2} ?(?:\\d{2}|2[AaBb]) ?\\d{3} ?\\d{3} ?\\d{2}${E}`, 'g'),
    validate: frenchNirValid,
    needsContext: false,
    keywords: ['securite sociale', 'numero de securite', 'nir', 'insee', 'carte vitale'],
    writtenShape: /^[12] \d{2} \d{2} (?:\d{2}|2[AaBb]) \d{3} \d{3} \d{2}$/,
  },
  {
    id: 'de-tax-id',
    country: 'DE',
    description: 'German tax identification number (Steuer-IdNr), 11 digits',
    pattern: new RegExp(`${B}\\d{2} ?\\d{3} ?\\d{3} ?\\d{3}${E}`, 'g'),
    validate: germanTaxIdValid,
    needsContext: false,
    keywords: ['steuer', 'steuer-id', 'steueridentifikationsnummer', 'idnr', 'tax id'],
    writtenShape: /^\d{2} \d{3} \d{3} \d{3}$/,
  },
  {
    id: 'ru-snils',
    country: 'RU',
    description: 'Russian SNILS, 123-456-789 01',
    pattern: new RegExp(`${B}\\d{3}[- ]?\\d{3}[- ]?\\d{3}[- ]?\\d{2}${E}`, 'g'),
    validate: russianSnilsValid,
    needsContext: false,
    keywords: ['снилс', 'snils', 'страховой номер'],
    writtenShape: /^\d{3}-\d{3}-\d{3}[- ]\d{2}$/,
  },
  {
    id: 'ru-inn',
    country: 'RU',
    description: 'Russian taxpayer number (INN), 12 digits for a person',
    pattern: new RegExp(`${B}\\d{12}${E}`, 'g'),
    validate: russianInnValid,
    needsContext: false,
    keywords: ['инн', 'inn'],
  },
  {
    id: 'ru-passport',
    country: 'RU',
    description: 'Russian internal passport, series 4 digits + number 6 digits (needs a keyword)',
    pattern: new RegExp(`${B}\\d{2} ?\\d{2}(?: ?№)? ?\\d{6}${E}`, 'g'),
    validate: (compact) => /^\d{10}$/.test(compact),
    needsContext: true,
    keywords: ['паспорт', 'passport', 'серия'],
  },
] as const satisfies readonly NationalIdRule[];

export const NATIONAL_ID_RULES: readonly NationalIdRule[] = RULES;

// Every country of NATIONAL_ID_COUNTRIES (shared/domain) has a row above: the
// settings offer exactly those. A country listed there without a row fails here.
type CountryWithoutRule = Exclude<NationalIdCountry, (typeof RULES)[number]['country']>;
type Holds<T extends true> = T;
type _EveryCountryHasARule = Holds<[CountryWithoutRule] extends [never] ? true : { missingRuleFor: CountryWithoutRule }>;

const CONTEXT_WINDOW = 48;

function hasKeywordBefore(text: string, start: number, keywords: readonly string[]): boolean {
  const window = foldText(text.slice(Math.max(0, start - CONTEXT_WINDOW), start));
  return keywords.some((k) => window.includes(k));
}

/**
 * Runs the rules for the configured countries. A valid checksum alone scores
 * below a phone number of the same length (9-digit ids and phone numbers
 * collide); a keyword in front lifts it above.
 *
 * A number with an id's written shape (separators or letters where the format
 * has them) or an id keyword in front is redacted even when its check fails:
 * people mistype and misremember ids, and a leaked id costs more than a
 * needless placeholder. Only bare digit runs, which phone numbers and amounts
 * share, still need a valid check (or a keyword) to count.
 */
export function detectNationalIds(text: string, exclude: readonly Range[], rules: readonly NationalIdRule[]): Candidate[] {
  const found: Candidate[] = [];
  for (const rule of rules) {
    rule.pattern.lastIndex = 0;
    for (const m of text.matchAll(rule.pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (overlapsAny(start, end, exclude)) continue;
      const compact = compactAlnum(m[0].replace('№', ''));
      const context = hasKeywordBefore(text, start, rule.keywords);
      if (rule.needsContext && !context) continue;
      const strongShape = /[ -]/.test(m[0]) || /[A-Za-z]/.test(m[0]);
      const valid = rule.validate(compact);
      if (!valid && !context && !rule.writtenShape?.test(m[0])) continue;
      const score = context ? SCORE.nationalIdWithContext : strongShape && valid ? SCORE.nationalId : SCORE.nationalIdUnsure;
      found.push({ start, end, category: 'NATIONAL_ID', score, detector: rule.id, key: compact });
    }
  }
  return found;
}
