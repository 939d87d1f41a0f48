/** One raw row from a file, keyed by column name, with the line it started on. */
export interface RawRow {
  line: number;
  values: Record<string, unknown>;
}

/** A row that could not be read or mapped; the rest of the file still comes through. */
export interface RowError {
  file: string;
  line: number;
  /** The column at fault, when one is. */
  column: string | null;
  reason: string;
}

export type RowEvent = { kind: 'row'; row: RawRow } | { kind: 'error'; error: RowError } | { kind: 'columns'; columns: string[] };

export function formatRowError(error: RowError): string {
  return `${error.file}:${error.line}${error.column === null ? '' : ` column "${error.column}"`}: ${error.reason}`;
}
