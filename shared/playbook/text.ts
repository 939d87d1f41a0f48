import type { LocalisedText, PlaybookLanguage } from '../domain/playbook';
import { PLAYBOOK_LANGUAGES } from '../domain/playbook';

/** The line in one language, or English where the playbook lacks it (only an unchecked, migrated playbook does). */
export function textIn(text: LocalisedText, language: string): string {
  return (isPlaybookLanguage(language) ? text[language] : undefined) ?? text.en;
}

export function isPlaybookLanguage(language: string): language is PlaybookLanguage {
  return (PLAYBOOK_LANGUAGES as readonly string[]).includes(language);
}

/** The fields a script line may merge in. Customer fields are the customer's own data (left as written in any language). */
export const MERGE_FIELDS = [
  'customer.firstName',
  'customer.lastName',
  'customer.fullName',
  'customer.plan',
  'customer.monthlyCharge',
  'customer.tenureMonths',
  'customer.contractEnd',
  'offer.name',
  'offer.description',
  'agent.firstName',
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

const FIELD = /\{\{\s*([A-Za-z][A-Za-z0-9.]*)\s*\}\}/g;

/** Merge fields named in a line, known or not (the check reports the unknown ones). */
export function mergeFieldsIn(line: string): string[] {
  return [...line.matchAll(FIELD)].map((m) => m[1] as string);
}

export function isMergeField(name: string): name is MergeField {
  return (MERGE_FIELDS as readonly string[]).includes(name);
}

/** A piece of a merged line: plain script text, or a value merged in (with the field it came from). */
export interface MergedPart {
  text: string;
  field: MergeField | null;
}

export type MergeValues = Partial<Record<MergeField, string | null>>;

/** Fills a line's merge fields; a field without a value shows as an em dash, so the agent sees the gap. */
export function mergeLine(line: string, values: MergeValues): MergedPart[] {
  const parts: MergedPart[] = [];
  let at = 0;
  for (const match of line.matchAll(FIELD)) {
    const index = match.index;
    if (index > at) parts.push({ text: line.slice(at, index), field: null });
    const name = match[1] as string;
    if (isMergeField(name)) parts.push({ text: values[name] ?? '—', field: name });
    else parts.push({ text: match[0], field: null });
    at = index + match[0].length;
  }
  if (at < line.length) parts.push({ text: line.slice(at), field: null });
  return parts;
}
