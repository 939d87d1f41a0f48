import { z } from 'zod';
import type { CanonicalRecord } from '@shared/identity/canonical';
import type { FieldMapping } from '@shared/identity/field-mapping';
import type { PhoneRegion } from '@shared/identity/phones';
import { IdentityService } from '../identity/identity-service';
import type { RowError } from '../import';
import { openServerStore, storeLocationFor } from '../store/open-store';
import type { ServerStore } from '../store/server-store';

/** A record read from the file, with the line it came from (for errors the server reports). */
export interface PendingRecord {
  record: CanonicalRecord;
  line: number;
}

export interface BatchResult {
  inserted: number;
  updated: number;
  unchanged: number;
  errors: RowError[];
}

/** Where an import's batches go: the running server over HTTP, or a stopped server's store on disk. */
export interface ImportSink {
  readonly describe: string;
  send(source: string, batch: readonly PendingRecord[]): Promise<BatchResult>;
  /** One resolution after the last batch; the number of customers it changed. */
  finish(): Promise<number>;
  close(): Promise<void>;
}

const ingestResponseSchema = z.object({
  inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), recordId: z.string().nullable(), field: z.string().nullable(), reason: z.string() })),
});
const resolveResponseSchema = z.object({ changedCustomers: z.array(z.string()) });
const errorBodySchema = z.object({ error: z.string(), message: z.string() });

/**
 * The running server's ingest route, in batches stored without resolving
 * (resolve: false), then one POST /api/identity/resolve: a file of N batches
 * costs one resolution, not N.
 */
export class HttpSink implements ImportSink {
  readonly describe: string;

  constructor(private readonly baseUrl: string, private readonly token: string, private readonly file: string, private readonly mapping: () => FieldMapping) {
    this.describe = `server ${baseUrl}`;
  }

  async send(source: string, batch: readonly PendingRecord[]): Promise<BatchResult> {
    const records = batch.map(({ record }) => {
      const { source: _source, ...fields } = record;
      return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined));
    });
    const answer = ingestResponseSchema.parse(await this.post('/api/identity/records', { source, records, resolve: false }));
    const mapping = this.mapping();
    return {
      ...answer,
      // The server numbers records by their place in the batch; the user wants the file's line and column.
      errors: answer.errors.map((error) => ({
        file: this.file,
        line: batch[error.line - 1]?.line ?? 0,
        column: error.field === null ? null : (mapping[error.field as keyof FieldMapping] ?? error.field),
        reason: error.reason,
      })),
    };
  }

  async finish(): Promise<number> {
    return resolveResponseSchema.parse(await this.post('/api/identity/resolve', {})).changedCustomers.length;
  }

  async close(): Promise<void> {}

  private async post(path: string, body: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(120_000),
      });
    } catch (error) {
      throw new SinkError(`cannot reach ${this.baseUrl}: ${(error as Error).message}`);
    }
    const payload: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const parsed = errorBodySchema.safeParse(payload);
      const why = parsed.success ? `${parsed.data.error}: ${parsed.data.message}` : `HTTP ${response.status}`;
      throw new SinkError(response.status === 401 || response.status === 403 ? `the server refused the token (${why}); use the telephony key or a supervisor's token` : `${path}: ${why}`);
    }
    return payload;
  }
}

/** A server's data folder (SQLite, or HOLDFAST_DATABASE_URL) written directly: for a server that is not running. */
export class StoreSink implements ImportSink {
  readonly describe: string;

  private readonly identity: IdentityService;

  private constructor(private readonly store: ServerStore, dir: string, region: PhoneRegion) {
    this.describe = `store in ${dir}`;
    // This tool's own identity service: the store is not shared with a running server.
    this.identity = new IdentityService(store, { defaultRegion: region });
  }

  static async open(dir: string, databaseUrl: string | undefined, region: PhoneRegion): Promise<StoreSink> {
    return new StoreSink(await openServerStore(storeLocationFor(databaseUrl, dir)), dir, region);
  }

  async send(_source: string, batch: readonly PendingRecord[]): Promise<BatchResult> {
    const counts = await this.identity.storeOnly(batch.map((pending) => pending.record));
    return { ...counts, errors: [] };
  }

  async finish(): Promise<number> {
    return (await this.identity.resolve()).changedCustomers.length;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

export class SinkError extends Error {}
