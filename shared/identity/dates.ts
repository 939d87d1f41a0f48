/** Which reading wins when both "03/04/1980" readings are real dates. */
export type DayMonthOrder = 'DMY' | 'MDY';

export interface DateParseOptions {
  /** Reading used for ambiguous D/M vs M/D dates (both parts <= 12). */
  order: DayMonthOrder;
  /** Two-digit years at or below this become 20xx, above become 19xx. */
  twoDigitYearPivot: number;
  minYear: number;
  maxYear: number;
}

export const DEFAULT_DATE_OPTIONS: DateParseOptions = { order: 'DMY', twoDigitYearPivot: 30, minYear: 1900, maxYear: 2035 };

export type DateParseResult =
  | { ok: true; iso: string; ambiguous: boolean }
  | { ok: false; reason: string };

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10,
  november: 11, december: 12,
};

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function build(year: number, month: number, day: number, options: DateParseOptions, ambiguous = false): DateParseResult {
  if (month < 1 || month > 12) return { ok: false, reason: `month ${month} is not 1-12` };
  if (day < 1 || day > daysInMonth(year, month)) return { ok: false, reason: `day ${day} does not exist in ${pad(year, 4)}-${pad(month, 2)}` };
  if (year < options.minYear || year > options.maxYear) {
    return { ok: false, reason: `year ${year} is outside ${options.minYear}-${options.maxYear}` };
  }
  return { ok: true, iso: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`, ambiguous };
}

function expandYear(text: string, options: DateParseOptions): number {
  const year = Number(text);
  if (text.length !== 2) return year;
  return year <= options.twoDigitYearPivot ? 2000 + year : 1900 + year;
}

/** Reads D/M/Y or M/D/Y: an impossible month settles it, otherwise the configured order decides. */
function dayMonth(first: number, second: number, year: number, options: DateParseOptions): DateParseResult {
  if (first > 12 && second <= 12) return build(year, second, first, options);
  if (second > 12 && first <= 12) return build(year, first, second, options);
  const ambiguous = first !== second && first <= 12 && second <= 12;
  return options.order === 'DMY'
    ? build(year, second, first, options, ambiguous)
    : build(year, first, second, options, ambiguous);
}

/**
 * Parses the date formats sources use to ISO YYYY-MM-DD: 1980-03-12, 1980/03/12,
 * 19800312, 12/03/1980 and 03/12/1980 (disambiguated), 12.03.80, "12 Mar 1980",
 * "March 12, 1980", ISO timestamps. Never guesses silently: ambiguous readings
 * are marked, impossible dates are reasons.
 */
export function parseDate(raw: string, options: DateParseOptions = DEFAULT_DATE_OPTIONS): DateParseResult {
  const text = raw.trim().toLowerCase();
  if (text.length === 0) return { ok: false, reason: 'empty' };

  let match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[t\s].*)?$/.exec(text);
  if (match) return build(Number(match[1]), Number(match[2]), Number(match[3]), options);

  match = /^(\d{8})$/.exec(text);
  if (match) {
    const digits = match[1] as string;
    const asYmd = build(Number(digits.slice(0, 4)), Number(digits.slice(4, 6)), Number(digits.slice(6, 8)), options);
    if (asYmd.ok) return asYmd;
    const asDmy = dayMonth(Number(digits.slice(0, 2)), Number(digits.slice(2, 4)), Number(digits.slice(4, 8)), options);
    return asDmy.ok ? asDmy : asYmd;
  }

  match = /^(\d{1,2})[-/.\s](\d{1,2})[-/.\s](\d{4}|\d{2})$/.exec(text);
  if (match) return dayMonth(Number(match[1]), Number(match[2]), expandYear(match[3] as string, options), options);

  const words = text.replace(/,/g, ' ').replace(/[-/.]/g, ' ').split(/\s+/).filter((word) => word.length > 0);
  if (words.length === 3) {
    const [a, b, c] = words as [string, string, string];
    const monthOf = (word: string): number | undefined => MONTHS[word.replace(/(st|nd|rd|th)$/, '')] ?? MONTHS[word];
    const number = (word: string): number => Number(word.replace(/(st|nd|rd|th)$/, ''));
    // 12 Mar 1980
    if (monthOf(b) !== undefined && /^\d{1,2}(st|nd|rd|th)?$/.test(a) && /^\d{2,4}$/.test(c)) {
      return build(expandYear(c, options), monthOf(b) as number, number(a), options);
    }
    // Mar 12 1980
    if (MONTHS[a] !== undefined && /^\d{1,2}(st|nd|rd|th)?$/.test(b) && /^\d{2,4}$/.test(c)) {
      return build(expandYear(c, options), MONTHS[a] as number, number(b), options);
    }
    // 1980 Mar 12
    if (/^\d{4}$/.test(a) && MONTHS[b] !== undefined && /^\d{1,2}$/.test(c)) {
      return build(Number(a), MONTHS[b] as number, Number(c), options);
    }
  }
  return { ok: false, reason: 'not a recognised date format' };
}

/** ISO date YYYY-MM-DD to the integer YYYYMMDD, the compact form matching works on. */
export function isoToNumber(iso: string): number {
  return Number(iso.slice(0, 4)) * 10000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
}
