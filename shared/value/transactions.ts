/**
 * Reads a transactions table (customer, date, amount) from text.
 * Why a hand-written splitter: csv-parse, the CSV library already in the
 * project, needs Node's Buffer, and shared/ must run anywhere. Transaction
 * exports are one record per line, so a line splitter that honours double
 * quotes (RFC 4180 style, without line breaks inside quotes) is enough.
 */

export type Delimiter = 'comma' | 'tab' | 'whitespace';

export interface TransactionColumns {
  customerCol: string;
  dateCol: string;
  amountCol: string;
  /** Column names for a file without a header line. */
  columns?: readonly string[];
}

export interface Transaction {
  customerId: string;
  /** Whole days since 1970-01-01 (UTC calendar date). */
  day: number;
  amount: number;
}

export interface BadRow {
  /** 1-based line number in the input. */
  line: number;
  reason: string;
}

export interface ParsedTransactions {
  transactions: Transaction[];
  badRows: BadRow[];
  delimiter: Delimiter;
  columns: string[];
}

/** A problem with the table as a whole (not one row): reported to the user as is. */
export class TransactionTableError extends Error {
  override name = 'TransactionTableError';
}

export function detectDelimiter(line: string): Delimiter {
  if (line.includes('\t')) return 'tab';
  if (line.includes(',')) return 'comma';
  return 'whitespace';
}

export function splitLine(line: string, delimiter: Delimiter): string[] {
  if (delimiter === 'whitespace') return line.trim().split(/\s+/);
  const separator = delimiter === 'tab' ? '\t' : ',';
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === separator) {
      fields.push(field.trim());
      field = '';
    } else field += ch;
  }
  fields.push(field.trim());
  return fields;
}

/**
 * Calendar day of "YYYYMMDD", "YYYY-MM-DD" or "YYYY/MM/DD", optionally followed
 * by a time ("T..." or " ..."), which is ignored. Null when not a real date.
 */
export function parseDay(text: string): number | null {
  const m = /^(\d{4})(?:(\d{2})(\d{2})|[-/](\d{1,2})[-/](\d{1,2}))(?:[T ].*)?$/.exec(text.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2] ?? m[4]);
  const date = Number(m[3] ?? m[5]);
  const ms = Date.UTC(year, month - 1, date);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return null;
  return Math.round(ms / 86_400_000);
}

export function formatDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

function parseAmount(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

function columnIndex(columns: readonly string[], name: string, flag: string): number {
  const exact = columns.indexOf(name);
  if (exact >= 0) return exact;
  const folded = columns.findIndex((c) => c.toLowerCase() === name.toLowerCase());
  if (folded >= 0) return folded;
  throw new TransactionTableError(
    `${flag} "${name}" is not a column of this file; available columns: ${columns.map((c) => `"${c}"`).join(', ')}`,
  );
}

export function parseTransactions(text: string, spec: TransactionColumns): ParsedTransactions {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const firstIndex = lines.findIndex((l) => l.trim() !== '');
  if (firstIndex < 0) throw new TransactionTableError('the file is empty');
  const delimiter = detectDelimiter(lines[firstIndex] as string);
  const hasHeader = spec.columns === undefined;
  const columns = hasHeader ? splitLine(lines[firstIndex] as string, delimiter) : [...(spec.columns ?? [])];
  if (columns.length === 0 || columns.some((c) => c === '')) {
    throw new TransactionTableError(`column names must not be empty (got ${JSON.stringify(columns)})`);
  }
  const customerIndex = columnIndex(columns, spec.customerCol, '--customer-col');
  const dateIndex = columnIndex(columns, spec.dateCol, '--date-col');
  const amountIndex = columnIndex(columns, spec.amountCol, '--amount-col');
  const needed = Math.max(customerIndex, dateIndex, amountIndex) + 1;

  const transactions: Transaction[] = [];
  const badRows: BadRow[] = [];
  for (let i = hasHeader ? firstIndex + 1 : firstIndex; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const fields = splitLine(line, delimiter);
    const lineNumber = i + 1;
    if (fields.length < needed) {
      badRows.push({ line: lineNumber, reason: `expected at least ${needed} fields, found ${fields.length}` });
      continue;
    }
    const customerId = fields[customerIndex] as string;
    const dateText = fields[dateIndex] as string;
    const amountText = fields[amountIndex] as string;
    if (customerId === '') {
      badRows.push({ line: lineNumber, reason: 'empty customer id' });
      continue;
    }
    const day = parseDay(dateText);
    if (day === null) {
      badRows.push({ line: lineNumber, reason: `unparsable date "${dateText}" (expected YYYYMMDD or YYYY-MM-DD)` });
      continue;
    }
    const amount = parseAmount(amountText);
    if (amount === null) {
      badRows.push({ line: lineNumber, reason: `unparsable amount "${amountText}"` });
      continue;
    }
    transactions.push({ customerId, day, amount });
  }
  return { transactions, badRows, delimiter, columns };
}
