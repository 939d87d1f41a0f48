/** Reading raw cell values (CSV strings, JSON values) into numbers, categories or "missing". */

const MISSING_TOKENS = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?', 'nil', 'undefined', '#n/a']);

/** Blank, whitespace-only, NA, null, ? and friends all mean "missing". */
export function isMissingValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return !Number.isFinite(value);
  if (typeof value === 'string') return MISSING_TOKENS.has(value.trim().toLowerCase());
  return false;
}

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A finite number, or NaN for missing or unparseable values. Booleans read as 1/0. */
export function parseNumeric(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string') return Number.NaN;
  const text = value.trim();
  if (!NUMBER_PATTERN.test(text)) return Number.NaN;
  return Number(text);
}

/** The category label of a value, or null when missing. */
export function categoryLabel(value: unknown): string | null {
  if (isMissingValue(value)) return null;
  if (typeof value === 'string') return value.trim();
  return String(value);
}
