import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The admin connection tests use to make and drop their databases. CI and developers override it with HOLDFAST_TEST_PG_URL. */
export const TEST_PG_ADMIN_URL = process.env.HOLDFAST_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** Connection URL of the fresh database. */
  url: string;
  name: string;
  /** Drops the database, closing any connections still open to it. */
  drop(): Promise<void>;
}

function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_ADMIN_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message || error.name : String(error);
    // Deliberately a failure, not a skip: CI runs PostgreSQL, and a skipped half would hide a broken backend.
    throw new Error(
      `PostgreSQL is not reachable at ${redacted(TEST_PG_ADMIN_URL)} (${reason}). The PostgreSQL store tests need a server: ` +
        'start one, or point HOLDFAST_TEST_PG_URL at an admin connection that may CREATE DATABASE.',
      { cause: error },
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh, uniquely named database for one test file. Names carry a
 * `holdfast_test_` prefix, the label, the process id and a random part, so
 * parallel test files and helpers sharing a server never collide.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const safeLabel = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 20);
  const name = `holdfast_test_${safeLabel}_${process.pid}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
