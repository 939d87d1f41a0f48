import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { CsvError } from 'csv-parse';
import type { RowEvent } from './rows';

export interface CsvReadOptions {
  delimiter?: string;
}

/**
 * Streams a CSV file with a header row (csv-parse): one event per row, an
 * error event naming the line for rows with the wrong number of columns or
 * broken quoting, and the good rows keep coming.
 */
export async function* readCsv(path: string, options: CsvReadOptions = {}): AsyncGenerator<RowEvent> {
  const pendingErrors: RowEvent[] = [];
  const parser = createReadStream(path).pipe(
    parse({
      bom: true,
      delimiter: options.delimiter ?? ',',
      trim: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      info: true,
      on_skip: (error: CsvError | undefined) => {
        const line = typeof error?.['lines'] === 'number' ? (error['lines'] as number) : 0;
        pendingErrors.push({ kind: 'error', error: { file: path, line, column: null, reason: error?.message ?? 'unreadable row' } });
        return undefined;
      },
    }),
  );
  let header: string[] | null = null;
  // The parser reports skipped rows as soon as it meets them, which can be before the rows
  // above them reach us: hold each error until the rows before its line have gone out.
  const errorLine = (event: RowEvent): number => (event.kind === 'error' ? event.error.line : 0);
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const { record, info } = item;
    while (pendingErrors.length > 0 && errorLine(pendingErrors[0] as RowEvent) < info.lines) yield pendingErrors.shift() as RowEvent;
    if (header === null) {
      header = record.map((name) => name.trim());
      yield { kind: 'columns', columns: header };
      continue;
    }
    if (record.length !== header.length) {
      yield {
        kind: 'error',
        error: { file: path, line: info.lines, column: null, reason: `expected ${header.length} columns, found ${record.length}` },
      };
      continue;
    }
    const values: Record<string, unknown> = {};
    for (let c = 0; c < header.length; c++) values[header[c] as string] = record[c];
    yield { kind: 'row', row: { line: info.lines, values } };
  }
  while (pendingErrors.length > 0) yield pendingErrors.shift() as RowEvent;
}
