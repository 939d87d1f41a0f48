import { exactPlaceholderPattern, lookalikePlaceholderPattern } from './categories';
import type { RedactionMapping } from './redactor';

/** Puts the original values back for placeholders in `mapping`; any other placeholder is left as written. */
export function restore(text: string, mapping: RedactionMapping): string {
  return text.replace(exactPlaceholderPattern(), (placeholder) =>
    Object.prototype.hasOwnProperty.call(mapping, placeholder) ? (mapping[placeholder] as string) : placeholder,
  );
}

/** Placeholder-like strings in `text` that `mapping` does not know (invented or mangled by a model). */
export function unknownPlaceholders(text: string, mapping: RedactionMapping): string[] {
  const unknown: string[] = [];
  for (const m of text.matchAll(lookalikePlaceholderPattern())) {
    if (!Object.prototype.hasOwnProperty.call(mapping, m[0])) unknown.push(m[0]);
  }
  return unknown;
}

/** Placeholders used in `text` that `mapping` knows. */
export function knownPlaceholders(text: string, mapping: RedactionMapping): string[] {
  return [...text.matchAll(exactPlaceholderPattern())].map((m) => m[0]).filter((p) => Object.prototype.hasOwnProperty.call(mapping, p));
}
