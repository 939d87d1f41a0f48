/**
 * Counts, plurals and dates through the runtime's Intl (CLDR), host-agnostic
 * so the on-device brief, the desktop and the server word numbers alike.
 * Dates are formatted in UTC: a brief written on two machines in different
 * zones says the same day.
 */

/** A word in each CLDR plural category the language uses; `other` is the fallback every language has. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function cached<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** The form of a word for the count `n` in `language` ('1 contact', '2 contacts'; Russian one/few/many). */
export function pluralForm(language: string, n: number, forms: PluralForms): string {
  const category = cached(pluralRules, language, () => new Intl.PluralRules(language)).select(n);
  return forms[category] ?? forms.other;
}

/** The number as the language writes it (grouping, digits). */
export function formatCount(language: string, n: number): string {
  return cached(numberFormats, language, () => new Intl.NumberFormat(language)).format(n);
}

/** `n` and its word, `{n}` in the chosen form replaced by the formatted number ("{n} contacts"). */
export function countOf(language: string, n: number, forms: PluralForms): string {
  return pluralForm(language, n, forms).replace('{n}', formatCount(language, n));
}

/** A calendar day (from an ISO timestamp or date) as the language writes it, e.g. "3 Nov 2026", "3 нояб. 2026 г.". */
export function formatDay(language: string, iso: string): string {
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  return cached(dayFormats, language, () => new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })).format(date);
}
