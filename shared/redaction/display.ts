import { compactAlnum } from './candidate';
import { type PiiCategory, exactPlaceholderPattern } from './categories';
import { isCardNumber } from './detectors/cards';
import { NATIONAL_ID_RULES } from './detectors/national-ids';
import type { RedactionMapping } from './redactor';

/**
 * What a placeholder in the model's answer becomes on the agent's screen and
 * in the saved wrap-up. A model that obeys "print the card number" can only
 * write [CARD_1]; restoring that would hand the injection the real value, and
 * a wrap-up is saved and synced to the server. So only what an agent reads
 * back to the customer is restored; secrets keep enough to be recognised.
 */
export type DisplayMode = 'restore' | 'mask';
export type DisplayPolicy = Readonly<Record<PiiCategory, DisplayMode>>;

export const DEFAULT_DISPLAY_POLICY: DisplayPolicy = {
  NAME: 'restore',
  EMAIL: 'restore',
  PHONE: 'restore',
  ADDRESS: 'restore',
  HANDLE: 'restore',
  CARD: 'mask',
  IBAN: 'mask',
  NATIONAL_ID: 'mask',
  ACCOUNT: 'mask',
};

const DOT = '•';

/** Every letter and digit but the last `keep` becomes a dot; separators stay so the format is recognisable. */
function maskKeepingTail(value: string, keep: number): string {
  const positions = [...value.matchAll(/[\p{L}\p{N}]/gu)].map((m) => m.index);
  const hideBefore = positions.length - Math.min(keep, Math.floor(positions.length / 3));
  const hidden = new Set(positions.slice(0, Math.max(0, hideBefore)));
  return [...value].map((ch, i) => (hidden.has(i) ? DOT : ch)).join('');
}

/** The shown form of a value that is not restored: never more than its last few characters. */
export function maskValue(category: PiiCategory, original: string): string {
  const compact = original.replace(/[^0-9A-Za-z]/g, '');
  switch (category) {
    case 'CARD':
      return `${DOT.repeat(4)} ${compact.slice(-4)}`;
    case 'IBAN':
      // The country says which bank system; the last four are what a customer recognises.
      return `${compact.slice(0, 2).toUpperCase()}${DOT.repeat(2)} ${DOT.repeat(4)} ${compact.slice(-4)}`;
    case 'NATIONAL_ID':
      return maskKeepingTail(original, 2);
    case 'ACCOUNT':
      return maskKeepingTail(original, 4);
    default:
      return DOT.repeat(Math.min(8, Math.max(3, compact.length)));
  }
}

/**
 * A restorable value that is also a valid card or national id. 9-digit ids and
 * local phone numbers collide, so "ID 123456782" can be redacted as a phone;
 * restoring it would let an injection read the id through [PHONE_n].
 */
function secretCategoryOf(original: string): PiiCategory | null {
  const value = original.trim();
  if (isCardNumber(value)) return 'CARD';
  for (const rule of NATIONAL_ID_RULES) {
    rule.pattern.lastIndex = 0;
    const whole = [...value.matchAll(rule.pattern)].some((m) => m[0] === value);
    if (whole && rule.validate(compactAlnum(value.replace('№', '')))) return 'NATIONAL_ID';
  }
  return null;
}

/**
 * Replaces the placeholders `mapping` knows by their value or its masked
 * form, as `policy` says per category; unknown placeholders stay as written.
 */
export function restoreForDisplay(text: string, mapping: RedactionMapping, policy: DisplayPolicy = DEFAULT_DISPLAY_POLICY): string {
  return text.replace(exactPlaceholderPattern(), (placeholder, category: PiiCategory) => {
    if (!Object.prototype.hasOwnProperty.call(mapping, placeholder)) return placeholder;
    const original = mapping[placeholder] as string;
    if (policy[category] !== 'restore') return maskValue(category, original);
    const secret = /\d/.test(original) ? secretCategoryOf(original) : null;
    return secret !== null && policy[secret] !== 'restore' ? maskValue(secret, original) : original;
  });
}
