import type { FieldLineage } from '@shared/domain/customer';

/** Source systems read as short capitals ("CRM", "BILLING"); an integration's own name is kept as sent. */
export function sourceLabel(source: string): string {
  return source.length <= 12 ? source.toUpperCase() : source;
}

function validDate(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "CRM · 3 Nov": where a value came from, small enough to sit beside it. */
export function lineageNote(lineage: FieldLineage, language: string): string {
  const date = validDate(lineage.at);
  const day = date ? new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short' }).format(date) : null;
  return day ? `${sourceLabel(lineage.source)} · ${day}` : sourceLabel(lineage.source);
}

/** The full date, for the tooltip ("3 Nov 2026"), or null when the source sent none. */
export function lineageDate(lineage: FieldLineage, language: string): string | null {
  const date = validDate(lineage.at);
  return date ? new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', year: 'numeric' }).format(date) : null;
}
