import { CANONICAL_FIELDS, recordKey } from './canonical';
import type { CanonicalField, CanonicalRecord } from './canonical';
import { DEFAULT_DATE_OPTIONS, parseDate } from './dates';
import type { DateParseOptions, DayMonthOrder } from './dates';
import { standardisePhone } from './phones';
import type { PhoneRegion } from './phones';
import { cleanText, displayName, isPlaceholder } from './text';

export interface StandardiseOptions {
  /** Region for phone numbers written without a country code, and the default country. */
  defaultRegion: PhoneRegion;
  /** Reading of ambiguous D/M dates; defaults to MDY for US-style regions, DMY elsewhere. */
  dateOrder?: DayMonthOrder;
  dateOptions?: Partial<Omit<DateParseOptions, 'order'>>;
}

export interface FieldIssue {
  field: CanonicalField | 'updated_at';
  value: string;
  reason: string;
  /** `invalid`: not used for matching (still kept and shown); `warning`: used, but a person should know. */
  severity: 'invalid' | 'warning';
}

/** A source record after standardisation. Nothing is dropped: bad values stay in `values` and are listed in `issues`. */
export interface StandardRecord {
  key: string;
  source: string;
  recordId: string;
  updatedAt: string | null;
  values: Record<CanonicalField, string | null>;
  /** Bit i set: CANONICAL_FIELDS[i] holds a value that must not be used for matching. */
  invalidMask: number;
  issues: FieldIssue[];
}

const FIELD_BIT = Object.fromEntries(CANONICAL_FIELDS.map((field, index) => [field, 1 << index])) as Record<CanonicalField, number>;

/** True when the field has a value that matching may rely on. */
export function isMatchable(record: StandardRecord, field: CanonicalField): boolean {
  return record.values[field] !== null && (record.invalidMask & FIELD_BIT[field]) === 0;
}

const MONTH_FIRST_REGIONS = new Set(['US', 'CA', 'PH', 'FM', 'MH', 'PW', 'GU', 'AS', 'MP', 'PR', 'VI', 'UM']);
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const COUNTRY_NAMES: Record<string, string> = {
  'united states': 'US', usa: 'US', 'united states of america': 'US', america: 'US',
  'united kingdom': 'GB', uk: 'GB', 'great britain': 'GB', england: 'GB', israel: 'IL', australia: 'AU',
  canada: 'CA', germany: 'DE', france: 'FR', spain: 'ES', russia: 'RU', china: 'CN', ireland: 'IE',
  'new zealand': 'NZ', india: 'IN', mexico: 'MX',
};

/** Memo for values that repeat across a population (names, dates); bounded, cleared when full. */
class BoundedMemo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(key, value);
  }
}

const nameMemo = new BoundedMemo<{ display: string; letters: boolean }>(100_000);
/** One date memo per options object (a run resolves its options once), so differing limits never mix. */
const dateMemos = new WeakMap<DateParseOptions, BoundedMemo<ReturnType<typeof parseDate>>>();
/** Shared by every record without issues; frozen so no caller can add to it by mistake. */
const NO_ISSUES = Object.freeze([]) as unknown as FieldIssue[];
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

export function resolveDateOptions(options: StandardiseOptions): DateParseOptions {
  const order = options.dateOrder ?? (MONTH_FIRST_REGIONS.has(options.defaultRegion) ? 'MDY' : 'DMY');
  return { ...DEFAULT_DATE_OPTIONS, ...options.dateOptions, order };
}

/**
 * Cleans one source record for matching and display: phones to E.164, emails
 * lower-cased, names tidied (display form kept, comparison form derived later),
 * dates to ISO. Invalid values are flagged and kept, never dropped.
 */
export function standardiseRecord(record: CanonicalRecord, options: StandardiseOptions, dateOptions = resolveDateOptions(options)): StandardRecord {
  let issues: FieldIssue[] = NO_ISSUES;
  let invalidMask = 0;
  const flag = (field: CanonicalField, value: string, reason: string, severity: FieldIssue['severity'] = 'invalid'): void => {
    if (issues === NO_ISSUES) issues = [];
    issues.push({ field, value, reason, severity });
    if (severity === 'invalid') invalidMask |= FIELD_BIT[field];
  };
  const values = {} as Record<CanonicalField, string | null>;

  for (const field of CANONICAL_FIELDS) {
    const raw = cleanText(record[field]);
    if (raw === null || isPlaceholder(raw)) {
      values[field] = null;
      continue;
    }
    values[field] = standardiseField(field, raw, options, dateOptions, flag);
  }
  if (values.country === null) values.country = options.defaultRegion;

  let updatedAt: string | null = null;
  const rawUpdated = cleanText(record.updated_at);
  if (rawUpdated !== null) {
    const instant = ISO_INSTANT.exec(rawUpdated);
    if (instant !== null) {
      // Already an ISO instant: only the milliseconds may need adding for a uniform, sortable form.
      updatedAt = instant[1] === undefined ? `${rawUpdated.slice(0, -1)}.000Z` : rawUpdated;
    } else {
      const time = Date.parse(rawUpdated);
      if (Number.isNaN(time)) issues = [...issues, { field: 'updated_at', value: rawUpdated, reason: 'not a date/time', severity: 'invalid' }];
      else updatedAt = new Date(time).toISOString();
    }
  }

  return { key: recordKey(record), source: record.source, recordId: record.record_id, updatedAt, values, invalidMask, issues };
}

function standardiseField(
  field: CanonicalField,
  raw: string,
  options: StandardiseOptions,
  dateOptions: DateParseOptions,
  flag: (field: CanonicalField, value: string, reason: string, severity?: FieldIssue['severity']) => void,
): string {
  switch (field) {
    case 'given_name':
    case 'family_name': {
      let name = nameMemo.get(raw);
      if (name === undefined) {
        name = { display: displayName(raw), letters: /\p{L}/u.test(raw) };
        nameMemo.set(raw, name);
      }
      if (!name.letters) flag(field, raw, 'no letters in a name');
      return name.display;
    }
    case 'phone': {
      const phone = standardisePhone(raw, options.defaultRegion);
      if (!phone.ok) {
        flag(field, raw, phone.reason);
        return raw;
      }
      if (!phone.valid) flag(field, raw, 'number is not in use in its numbering plan', 'warning');
      return phone.e164;
    }
    case 'email': {
      const email = raw.toLowerCase().replace(/\s+/g, '');
      if (!EMAIL_PATTERN.test(email)) flag(field, raw, 'not an email address');
      return email;
    }
    case 'date_of_birth': {
      let dateMemo = dateMemos.get(dateOptions);
      if (dateMemo === undefined) {
        dateMemo = new BoundedMemo(100_000);
        dateMemos.set(dateOptions, dateMemo);
      }
      let date = dateMemo.get(raw);
      if (date === undefined) {
        date = parseDate(raw, dateOptions);
        dateMemo.set(raw, date);
      }
      if (!date.ok) {
        flag(field, raw, date.reason);
        return raw;
      }
      if (date.ambiguous) flag(field, raw, `day and month are ambiguous; read as ${dateOptions.order}`, 'warning');
      return date.iso;
    }
    case 'national_id':
    case 'account_id': {
      const id = raw.toUpperCase().replace(/[\s\-./]/g, '');
      if (id.length === 0 || /^(.)\1*$/.test(id)) flag(field, raw, 'placeholder identifier');
      return id;
    }
    case 'postcode':
      return raw.toUpperCase();
    case 'street_number':
      return raw.toUpperCase().replace(/\s+/g, '');
    case 'country': {
      const upper = raw.toUpperCase();
      if (/^[A-Z]{2}$/.test(upper)) return upper;
      const named = COUNTRY_NAMES[raw.toLowerCase()];
      if (named !== undefined) return named;
      flag(field, raw, 'unknown country');
      return raw;
    }
    default:
      return raw;
  }
}
