import { accountEventInputSchema, type AccountEventInput } from '@shared/domain/account-event';
import { readCsv } from './csv-reader';
import { detectFormat, ImportSetupError, type FileFormat } from './import-file';
import { readJsonArray, readNdjson } from './json-reader';
import type { RowError, RowEvent } from './rows';

/**
 * The columns an events file may use for each field, first match wins:
 * billing exports name them in many ways.
 */
const COLUMN_NAMES: Record<keyof AccountEventInput, readonly string[]> = {
  id: ['id', 'event_id', 'eventid', 'event id'],
  kind: ['kind', 'event', 'event_type', 'type', 'status'],
  occurredAt: ['occurred_at', 'occurredat', 'date', 'event_date', 'at', 'timestamp'],
  customerId: ['customer_id', 'customerid', 'customer'],
  accountId: ['account_id', 'accountid', 'account', 'billing_account'],
};
const FIELDS = Object.keys(COLUMN_NAMES) as (keyof AccountEventInput)[];

/** Kinds as billing systems write them, to ours. */
const KIND_SYNONYMS: Record<string, string> = { canceled: 'cancelled', cancel: 'cancelled', 'payment failed': 'payment_failed', 'payment-failed': 'payment_failed', renew: 'renewed', resume: 'resumed', downgrade: 'downgraded' };

export type EventRowEvent = { kind: 'event'; line: number; event: AccountEventInput } | { kind: 'error'; error: RowError };

function rowsOf(path: string, format: FileFormat): AsyncGenerator<RowEvent> {
  if (format === 'tsv') return readCsv(path, { delimiter: '\t' });
  if (format === 'ndjson') return readNdjson(path);
  if (format === 'json') return readJsonArray(path);
  return readCsv(path);
}

function columnFor(field: keyof AccountEventInput, columns: readonly string[]): string | undefined {
  const byLower = new Map(columns.map((c) => [c.trim().toLowerCase(), c]));
  for (const name of COLUMN_NAMES[field]) {
    const column = byLower.get(name);
    if (column !== undefined) return column;
  }
  return undefined;
}

/**
 * Streams an events file (CSV, TSV, NDJSON or a JSON array) as account
 * events. A bad row is an error naming its line, column and reason; the good
 * rows keep coming. A CSV without an id, kind or date column, or with
 * neither a customer nor an account column, is refused before any row.
 */
export async function* readEventFile(path: string): AsyncGenerator<EventRowEvent> {
  const format = detectFormat(path);
  let columns: Record<string, string | undefined> | null = null;
  const settle = (names: readonly string[]): Record<string, string | undefined> => {
    const found = Object.fromEntries(FIELDS.map((field) => [field, columnFor(field, names)]));
    const missing = (['id', 'kind', 'occurredAt'] as const).filter((field) => found[field] === undefined).map((field) => `${field} (one of ${COLUMN_NAMES[field].join(', ')})`);
    if (found['customerId'] === undefined && found['accountId'] === undefined) {
      missing.push(`customerId (one of ${COLUMN_NAMES.customerId.join(', ')}) or accountId (one of ${COLUMN_NAMES.accountId.join(', ')})`);
    }
    if (missing.length > 0) throw new ImportSetupError(`${path}: no column for ${missing.join('; ')}. Columns: ${names.join(', ')}`);
    return found;
  };
  for await (const item of rowsOf(path, format)) {
    if (item.kind === 'columns') {
      columns = settle(item.columns);
      continue;
    }
    if (item.kind === 'error') {
      yield item;
      continue;
    }
    const { line, values } = item.row;
    // JSON rows carry their own keys: the columns are settled per row.
    const map = columns ?? Object.fromEntries(FIELDS.map((field) => [field, columnFor(field, Object.keys(values))]));
    const candidate: Record<string, unknown> = {};
    for (const field of FIELDS) {
      const column = map[field];
      const value = column === undefined ? undefined : values[column];
      if (value === undefined || value === null || value === '') continue;
      candidate[field] = typeof value === 'string' ? value.trim() : value;
    }
    if (typeof candidate['kind'] === 'string') {
      const lower = candidate['kind'].toLowerCase();
      candidate['kind'] = KIND_SYNONYMS[lower] ?? lower;
    }
    const parsed = accountEventInputSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path[0] as keyof AccountEventInput | undefined;
      const column = field === undefined ? null : (map[field] ?? field);
      const given = field !== undefined && candidate[field] !== undefined ? ` (got "${String(candidate[field]).slice(0, 60)}")` : '';
      yield { kind: 'error', error: { file: path, line, column, reason: `${issue?.message ?? 'invalid event'}${given}` } };
      continue;
    }
    yield { kind: 'event', line, event: parsed.data };
  }
}
