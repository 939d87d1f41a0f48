import { basename, extname } from 'node:path';
import { canonicalRecordSchema, MAPPABLE_FIELDS } from '@shared/identity/canonical';
import type { CanonicalRecord, MappableField } from '@shared/identity/canonical';
import { autoMapColumns } from '@shared/identity/field-mapping';
import type { FieldMapping } from '@shared/identity/field-mapping';
import { contentHash } from './content-hash';
import { readCsv } from './csv-reader';
import { readJsonArray, readNdjson } from './json-reader';
import type { MappingProfile } from './mapping-profiles';
import type { RawRow, RowError, RowEvent } from './rows';

export type FileFormat = 'csv' | 'tsv' | 'ndjson' | 'json';

export interface ImportOptions {
  /** Explicit field -> column pairs; they win over the profile and auto-mapping. */
  mapping?: FieldMapping;
  profile?: MappingProfile;
  /** Source label when no source column is mapped; defaults to the profile's, then the file name. */
  source?: string;
  format?: FileFormat;
  /** Also map columns named like fields or their common synonyms (default true). */
  autoMap?: boolean;
  /** Columns never auto-mapped (e.g. a truth column). */
  excludeColumns?: readonly string[];
  /** Columns whose raw values ride along on each record event (e.g. truth labels). */
  keepColumns?: readonly string[];
  /** Without a record_id column: 'line' uses the line number, 'error' rejects the file. */
  recordIdFallback?: 'line' | 'error';
  maxValueLength?: number;
}

export type ImportEvent =
  | { kind: 'mapping'; mapping: FieldMapping; columns: string[] }
  | { kind: 'record'; record: CanonicalRecord; hash: string; line: number; kept: Record<string, string | null> }
  | { kind: 'error'; error: RowError };

export class ImportSetupError extends Error {}

export function detectFormat(path: string): FileFormat {
  const extension = extname(path).toLowerCase();
  if (extension === '.tsv' || extension === '.tab') return 'tsv';
  if (extension === '.ndjson' || extension === '.jsonl') return 'ndjson';
  if (extension === '.json') return 'json';
  return 'csv';
}

function rowsOf(path: string, format: FileFormat): AsyncGenerator<RowEvent> {
  switch (format) {
    case 'tsv':
      return readCsv(path, { delimiter: '\t' });
    case 'ndjson':
      return readNdjson(path);
    case 'json':
      return readJsonArray(path);
    default:
      return readCsv(path);
  }
}

/**
 * Streams a CSV/TSV/NDJSON/JSON file as canonical records with content
 * hashes. Bad rows become error events naming line, column and reason; the
 * good rows keep coming. Nothing is buffered beyond the current row.
 */
export async function* importFile(path: string, options: ImportOptions = {}): AsyncGenerator<ImportEvent> {
  const format = options.format ?? options.profile?.format ?? detectFormat(path);
  const defaultSource = options.source ?? options.profile?.source ?? basename(path, extname(path));
  const maxLength = options.maxValueLength ?? 2000;
  let mapping: FieldMapping | null = null;

  const settle = (columns: string[]): FieldMapping => {
    const explicit = { ...(options.profile?.fields ?? {}), ...(options.mapping ?? {}) };
    const resolved = options.autoMap === false ? explicit : autoMapColumns(columns, explicit, options.excludeColumns ?? []);
    if (format === 'csv' || format === 'tsv') {
      const missing = Object.entries(resolved).filter(([, column]) => column !== undefined && !columns.includes(column));
      if (missing.length > 0) {
        throw new ImportSetupError(
          `${path}: mapped column(s) not in the header: ${missing.map(([field, column]) => `${field}=${column}`).join(', ')}. Columns: ${columns.join(', ')}`,
        );
      }
    }
    if (resolved.record_id === undefined && options.recordIdFallback !== 'line') {
      throw new ImportSetupError(`${path}: no record_id column; map one with record_id=COLUMN`);
    }
    return resolved;
  };

  for await (const event of rowsOf(path, format)) {
    if (event.kind === 'error') {
      yield event;
      continue;
    }
    if (event.kind === 'columns') {
      mapping = settle(event.columns);
      yield { kind: 'mapping', mapping, columns: event.columns };
      continue;
    }
    if (mapping === null) {
      mapping = settle(Object.keys(event.row.values));
      yield { kind: 'mapping', mapping, columns: Object.keys(event.row.values) };
    }
    const mapped = mapRow(path, event.row, mapping, defaultSource, maxLength);
    if ('error' in mapped) {
      yield { kind: 'error', error: mapped.error };
      continue;
    }
    const kept: Record<string, string | null> = {};
    for (const column of options.keepColumns ?? []) {
      const value = event.row.values[column];
      kept[column] = value === undefined || value === null ? null : String(value);
    }
    yield { kind: 'record', record: mapped.record, hash: contentHash(mapped.record), line: event.row.line, kept };
  }
}

function mapRow(
  file: string,
  row: RawRow,
  mapping: FieldMapping,
  defaultSource: string,
  maxLength: number,
): { record: CanonicalRecord } | { error: RowError } {
  const draft: Partial<Record<MappableField, string | null>> = {};
  for (const field of MAPPABLE_FIELDS) {
    const column = mapping[field];
    if (column === undefined) continue;
    const value = row.values[column];
    if (value === undefined || value === null) {
      draft[field] = null;
      continue;
    }
    if (typeof value === 'object') {
      return { error: { file, line: row.line, column, reason: `${field} must be text or a number, not ${Array.isArray(value) ? 'a list' : 'an object'}` } };
    }
    const text = String(value).trim();
    if (text.length > maxLength) return { error: { file, line: row.line, column, reason: `value longer than ${maxLength} characters` } };
    draft[field] = text.length === 0 ? null : text;
  }
  if (mapping.record_id !== undefined && (draft.record_id === null || draft.record_id === undefined)) {
    return { error: { file, line: row.line, column: mapping.record_id, reason: 'record id is empty' } };
  }
  const candidate = { ...draft, source: draft.source ?? defaultSource, record_id: draft.record_id ?? `line-${row.line}` };
  const parsed = canonicalRecordSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0];
    const column = typeof field === 'string' ? (mapping[field as MappableField] ?? null) : null;
    return { error: { file, line: row.line, column, reason: issue?.message ?? 'invalid record' } };
  }
  return { record: parsed.data };
}

/** Convenience: import every file, collecting counts and errors (records go to `onRecord`). */
export async function importFiles(
  paths: readonly string[],
  options: ImportOptions,
  onRecord: (event: Extract<ImportEvent, { kind: 'record' }>) => void | Promise<void>,
): Promise<{ records: number; errors: RowError[] }> {
  let records = 0;
  const errors: RowError[] = [];
  for (const path of paths) {
    for await (const event of importFile(path, options)) {
      if (event.kind === 'record') {
        records++;
        await onRecord(event);
      } else if (event.kind === 'error') errors.push(event.error);
    }
  }
  return { records, errors };
}
