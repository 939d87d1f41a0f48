import { z } from 'zod';
import type { AccountEventInput } from '@shared/domain/account-event';
import { accountEventsResponseSchema, type AccountEventsResponse } from '@shared/contract/server-http';
import { formatRowError, readEventFile, type RowError } from '../import';
import { AccountEventsService } from '../outcomes/account-events-service';
import { openServerStore, storeLocationFor } from '../store/open-store';
import { SinkError } from './import-sinks';

/** Where an events import's batches go: the running server over HTTP, or a stopped server's store. */
interface EventSink {
  readonly describe: string;
  send(batch: readonly AccountEventInput[]): Promise<AccountEventsResponse>;
  close(): Promise<void>;
}

const errorBodySchema = z.object({ error: z.string(), message: z.string() });

class HttpEventSink implements EventSink {
  readonly describe: string;
  constructor(private readonly baseUrl: string, private readonly token: string) {
    this.describe = `server ${baseUrl}`;
  }

  async send(batch: readonly AccountEventInput[]): Promise<AccountEventsResponse> {
    let response: Response;
    try {
      response = await fetch(new URL('/api/customers/events', this.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
        body: JSON.stringify({ events: batch }),
        signal: AbortSignal.timeout(120_000),
      });
    } catch (error) {
      throw new SinkError(`cannot reach ${this.baseUrl}: ${(error as Error).message}`);
    }
    const payload: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const parsed = errorBodySchema.safeParse(payload);
      const why = parsed.success ? `${parsed.data.error}: ${parsed.data.message}` : `HTTP ${response.status}`;
      throw new SinkError(response.status === 401 || response.status === 403 ? `the server refused the token (${why}); use the telephony key or an admin's token` : `/api/customers/events: ${why}`);
    }
    return accountEventsResponseSchema.parse(payload);
  }

  async close(): Promise<void> {}
}

/** A stopped server's store, written directly; the server verifies the claims again when it starts. */
async function storeEventSink(dir: string, databaseUrl: string | undefined): Promise<EventSink> {
  const store = await openServerStore(storeLocationFor(databaseUrl, dir));
  const service = new AccountEventsService(store, async () => undefined);
  return { describe: `store in ${dir}`, send: (batch) => service.ingest(batch), close: () => store.close() };
}

export interface EventImportOptions {
  file: string;
  server?: string;
  token?: string;
  serverData?: string;
  databaseUrl?: string;
  batchSize: number;
  report(error: RowError): void;
}

/**
 * `npm run import -- --kind events`: billing's account events from a file
 * to the server, in batches. Bad rows are reported by line, column and
 * reason (the file's, also for what the server refuses); the rest go in.
 * Idempotent by event id: importing the same file again changes nothing.
 */
export async function importEvents(options: EventImportOptions): Promise<{ rows: number; applied: number; duplicates: number; errors: number; changedCustomers: number }> {
  const sink = options.server ? new HttpEventSink(options.server, options.token ?? '') : await storeEventSink(options.serverData as string, options.databaseUrl);
  process.stderr.write(`${options.file}: account events -> ${sink.describe}\n`);
  const totals = { rows: 0, applied: 0, duplicates: 0, errors: 0, changedCustomers: 0 };
  const report = (error: RowError): void => {
    totals.errors++;
    options.report(error);
  };
  let batch: Array<{ line: number; event: AccountEventInput }> = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const sent = batch;
    batch = [];
    const answer = await sink.send(sent.map((b) => b.event));
    totals.applied += answer.applied;
    totals.duplicates += answer.duplicates;
    totals.changedCustomers += answer.changedCustomers.length;
    for (const error of answer.errors) report({ file: options.file, line: sent[error.line - 1]?.line ?? 0, column: error.field, reason: error.reason });
  };
  try {
    for await (const item of readEventFile(options.file)) {
      totals.rows++;
      if (item.kind === 'error') report(item.error);
      else {
        batch.push({ line: item.line, event: item.event });
        if (batch.length >= options.batchSize) await flush();
      }
    }
    await flush();
  } finally {
    await sink.close();
  }
  return totals;
}

export { formatRowError };
