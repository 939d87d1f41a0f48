import type { FieldLineage } from '@shared/domain/customer';

/** Source systems read as short capitals ("CRM", "BILLING"); an integration's own name is kept as sent. */
export function sourceLabel(source: string): string {
  return source.length <= 12 ? source.toUpperCase() : source;
}

function validDate(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "CRM" and "3 Nov": where a value came from, small enough to sit beside it (each part isolated for RTL). */
export function lineageNote(lineage: FieldLineage, language: string): { source: string; day: string | null } {
  const date = validDate(lineage.at);
  return { source: sourceLabel(lineage.source), day: date ? new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short' }).format(date) : null };
}

/** The full date, for the tooltip ("3 Nov 2026"), or null when the source sent none. */
export function lineageDate(lineage: FieldLineage, language: string): string | null {
  const date = validDate(lineage.at);
  return date ? new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', year: 'numeric' }).format(date) : null;
}
