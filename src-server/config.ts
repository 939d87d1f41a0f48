import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { z } from 'zod';

export const serverConfigSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(4870),
  dataDir: z.string().default('.holdfast-data/server'),
  /** Seed demo customers and agents into an empty store, and list demo users on the login screen. */
  demo: z.boolean().default(true),
  demoCustomers: z.coerce.number().int().min(0).max(1_000_000).default(5000),
  demoSeed: z.coerce.number().int().default(7),
  /** The date the demo book is "as of"; defaults to today so the history looks current. */
  demoAsOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  reservationTimeoutMs: z.coerce.number().int().min(100).default(15_000),
  defaultRegion: z.string().length(2).default('US'),
  tokenSecret: z.string().min(32).optional(),
  telephonyKey: z.string().min(16).optional(),
  /** A postgres:// URL selects PostgreSQL; unset keeps the embedded SQLite store in the data folder. */
  databaseUrl: z.string().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type ServerConfigInput = z.input<typeof serverConfigSchema>;
export type ServerConfig = z.output<typeof serverConfigSchema> & { tokenSecret: string; telephonyKey: string; demoAsOf: string };

export const DEMO_TELEPHONY_KEY = 'demo-telephony-key-0001';

/** A secret kept beside the data, created once with owner-only permissions. */
function persistentSecret(dataDir: string, name: string): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function resolveServerConfig(input: ServerConfigInput): ServerConfig {
  const parsed = serverConfigSchema.parse(input);
  const dataDir = resolve(parsed.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const telephonyKey = parsed.telephonyKey ?? (parsed.demo ? DEMO_TELEPHONY_KEY : persistentSecret(dataDir, 'telephony-key'));
  return {
    ...parsed,
    dataDir,
    tokenSecret: parsed.tokenSecret ?? persistentSecret(dataDir, 'token-secret'),
    telephonyKey,
    demoAsOf: parsed.demoAsOf ?? new Date().toISOString().slice(0, 10),
  };
}

/** Configuration from HOLDFAST_* environment variables. */
export function serverConfigFromEnv(env: NodeJS.ProcessEnv): ServerConfigInput {
  const pick = (name: string): string | undefined => env[`HOLDFAST_${name}`] || undefined;
  const flag = (name: string): boolean | undefined => (pick(name) === undefined ? undefined : pick(name) === '1' || pick(name) === 'true');
  return {
    host: pick('HOST'), port: pick('PORT') as unknown as number, dataDir: pick('SERVER_DATA_DIR'), demo: flag('DEMO'),
    demoCustomers: pick('DEMO_CUSTOMERS') as unknown as number, demoSeed: pick('DEMO_SEED') as unknown as number, demoAsOf: pick('DEMO_AS_OF'),
    reservationTimeoutMs: pick('RESERVATION_TIMEOUT_MS') as unknown as number, defaultRegion: pick('DEFAULT_REGION'),
    tokenSecret: pick('TOKEN_SECRET'), telephonyKey: pick('TELEPHONY_KEY'), databaseUrl: pick('DATABASE_URL'), logLevel: pick('LOG_LEVEL') as ServerConfigInput['logLevel'],
  };
}
