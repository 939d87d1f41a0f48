import { join } from 'node:path';
import { z } from 'zod';
import { openPostgresServerStore, redactDatabaseUrl, type PostgresStoreOptions } from './postgres-store';
import type { ServerStore } from './server-store';
import { openSqliteServerStore } from './sqlite-store';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

export const storeLocationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), file: z.string().min(1, 'The SQLite store needs a file path') }),
  z.object({
    kind: z.literal('postgres'),
    url: z.string().regex(POSTGRES_URL, 'A PostgreSQL store needs a postgres:// or postgresql:// URL'),
  }),
]);
export type StoreLocation = z.infer<typeof storeLocationSchema>;

/** The file name of the embedded store inside the server's data directory. */
export const SQLITE_STORE_FILE = 'routing.db';

/**
 * Where the store lives, from configuration: a postgres:// (or postgresql://)
 * database URL selects PostgreSQL; no URL means SQLite in the data directory.
 * Any other URL is refused rather than quietly falling back to SQLite, since
 * a mistyped URL would otherwise split the data between two databases.
 */
export function storeLocationFor(databaseUrl: string | undefined, dataDir: string): StoreLocation {
  const url = databaseUrl?.trim();
  if (!url) return { kind: 'sqlite', file: join(dataDir, SQLITE_STORE_FILE) };
  if (POSTGRES_URL.test(url)) return { kind: 'postgres', url };
  throw new Error(`Unsupported database URL ${redactDatabaseUrl(url)}: use a postgres:// URL for PostgreSQL, or leave it unset for SQLite in the data directory`);
}

/** For logs: where the store is, without any password. */
export function describeStoreLocation(location: StoreLocation): string {
  return location.kind === 'sqlite' ? `SQLite at ${location.file}` : `PostgreSQL at ${redactDatabaseUrl(location.url)}`;
}

/** Opens (and migrates) the server store at `location`. */
export async function openServerStore(location: StoreLocation, options: { postgres?: PostgresStoreOptions } = {}): Promise<ServerStore> {
  const parsed = storeLocationSchema.safeParse(location);
  if (!parsed.success) throw new Error(`Invalid store location: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  const target = parsed.data;
  return target.kind === 'sqlite' ? openSqliteServerStore(target.file) : openPostgresServerStore(target.url, options.postgres);
}
