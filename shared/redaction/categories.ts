/** Kinds of personal data the redactor replaces, each with its own placeholder prefix. */
export const PII_CATEGORIES = [
  'CARD',
  'IBAN',
  'NATIONAL_ID',
  'EMAIL',
  'PHONE',
  'NAME',
  'ACCOUNT',
  'ADDRESS',
  'HANDLE',
] as const;
export type PiiCategory = (typeof PII_CATEGORIES)[number];

const CATEGORY_ALTERNATION = PII_CATEGORIES.join('|');

/** `[CARD_1]`: the exact form the redactor writes and `restore` reads back. */
export function placeholderFor(category: PiiCategory, index: number): string {
  return `[${category}_${index}]`;
}

/** Matches placeholders exactly as written by the redactor. */
export function exactPlaceholderPattern(): RegExp {
  return new RegExp(`\\[(${CATEGORY_ALTERNATION})_(\\d{1,4})\\]`, 'g');
}

/**
 * Matches anything a reader could take for a placeholder, including sloppy
 * variants (`[card 1]`, `[ NAME-2 ]`). Used to defang look-alikes typed by a
 * customer and to reject model output that invents placeholders.
 */
export function lookalikePlaceholderPattern(): RegExp {
  const loose = PII_CATEGORIES.map((c) => c.replace('_', '[ _-]?')).join('|');
  return new RegExp(`\\[\\s*(${loose})\\s*[ _-]?\\s*(\\d{1,6})\\s*\\]`, 'gi');
}

export function emptyCounts(): Record<PiiCategory, number> {
  return Object.fromEntries(PII_CATEGORIES.map((c) => [c, 0])) as Record<PiiCategory, number>;
}
