/**
 * Imports a CSV / TSV / NDJSON / JSON file of one source system's records
 * into the server's identity store, streamed in batches.
 *   npm run import -- --server URL [--token KEY] --source crm --file X.csv [--map field=column ...]
 *        [--profile NAME] [--save-profile NAME] [--region GB] [--profiles-dir DIR]
 *   npm run import -- --server-data DIR ...   (the data folder of a server that is not running)
 *   npm run import -- --kind events --server URL --file billing-events.csv
 *        billing's account events (cancelled, downgraded, renewed, payment_failed, resumed): columns
 *        id, kind, occurred_at and customer_id or account_id; each event id is applied once.
 * The token defaults to HOLDFAST_TELEPHONY_KEY. A bad row is reported by line,
 * column and reason, and the good rows still import; re-importing the same
 * file changes nothing. Prints one JSON summary as the last line of stdout.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { FieldMapping } from '@shared/identity/field-mapping';
import { parseMappingPairs } from '@shared/identity/field-mapping';
import { isPhoneRegion, standardisePhone } from '@shared/identity/phones';
import type { PhoneRegion } from '@shared/identity/phones';
import { formatRowError, importFile, ImportSetupError, loadMappingProfile, MappingProfileError, saveMappingProfile } from '../import';
import type { MappingProfile, RowError } from '../import';
import { importEvents } from './import-events';
import { HttpSink, SinkError, StoreSink } from './import-sinks';
import type { ImportSink, PendingRecord } from './import-sinks';

class UsageError extends Error {}

const BATCH = 1000;
const SHOWN_ERRORS = 50;

const argsSchema = z
  .object({
    server: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as http://127.0.0.1:4870' }).optional(),
    'server-data': z.string().min(1).optional(),
    token: z.string().min(1).optional(),
    kind: z.enum(['records', 'events'], { error: 'must be records (source records, the default) or events (account events from billing)' }).default('records'),
    source: z.string().trim().min(1).max(64).regex(/^[^:]+$/, 'may not contain ":"').optional(),
    file: z.string().min(1, 'is required'),
    map: z.array(z.string()).default([]),
    profile: z.string().optional(),
    'save-profile': z.string().optional(),
    'profiles-dir': z.string().optional(),
    region: z.string().transform((value) => value.toUpperCase()).refine(isPhoneRegion, 'is not a two-letter region code known to libphonenumber').optional(),
  })
  .refine((args) => (args.server === undefined) !== (args['server-data'] === undefined), { message: 'give exactly one of --server URL or --server-data DIR', path: ['server'] });

function parse(): z.infer<typeof argsSchema> {
  let values;
  try {
    values = parseArgs({
      options: {
        server: { type: 'string' }, 'server-data': { type: 'string' }, token: { type: 'string' }, kind: { type: 'string' }, source: { type: 'string' },
        file: { type: 'string' }, map: { type: 'string', multiple: true }, profile: { type: 'string' }, 'save-profile': { type: 'string' },
        'profiles-dir': { type: 'string' }, region: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => `--${issue.path.join('.') || 'arguments'} ${issue.message}`).join('\n'));
  return parsed.data;
}

/** A phone read in the import's region is sent as E.164, so the server's own default region does not re-read it. */
function withRegion(pending: PendingRecord, region: PhoneRegion | undefined): PendingRecord {
  const phone = pending.record.phone;
  if (region === undefined || !phone) return pending;
  const parsed = standardisePhone(phone, region);
  return parsed.ok ? { ...pending, record: { ...pending.record, phone: parsed.e164 } } : pending;
}

async function main(): Promise<void> {
  const started = performance.now();
  const args = parse();
  if (args.kind === 'events') {
    const token = args.token ?? process.env['HOLDFAST_TELEPHONY_KEY'];
    if (args.server && !token) throw new UsageError('--token (or HOLDFAST_TELEPHONY_KEY) is required with --server');
    let shown = 0;
    const totals = await importEvents({
      file: args.file, batchSize: BATCH,
      ...(args.server ? { server: args.server, token: token as string } : { serverData: resolve(args['server-data'] as string), databaseUrl: process.env['HOLDFAST_DATABASE_URL'] || undefined }),
      report: (error) => {
        if (++shown <= SHOWN_ERRORS) process.stderr.write(`skipped ${formatRowError(error)}\n`);
      },
    });
    if (totals.errors > SHOWN_ERRORS) process.stderr.write(`… and ${totals.errors - SHOWN_ERRORS} more bad rows\n`);
    process.stdout.write(JSON.stringify({ ...totals, seconds: Math.round(performance.now() - started) / 1000 }) + '\n');
    return;
  }
  const explicit = parseMappingPairs(args.map);
  if (!explicit.ok) throw new UsageError(explicit.errors.join('\n'));
  const profilesDir = resolve(args['profiles-dir'] ?? (args['server-data'] ? join(args['server-data'], 'mappings') : '.holdfast-data/mappings'));
  const profile: MappingProfile | undefined = args.profile ? await loadMappingProfile(profilesDir, args.profile) : undefined;
  const regionText = args.region ?? profile?.defaultRegion?.toUpperCase();
  if (regionText !== undefined && !isPhoneRegion(regionText)) throw new UsageError(`profile ${profile?.name}: defaultRegion ${regionText} is not a region code`);
  const region: PhoneRegion | undefined = regionText;
  const source = args.source ?? profile?.source;
  if (source === undefined) throw new UsageError('--source is required (or a --profile that names one)');

  if (args['save-profile']) {
    const saved: MappingProfile = {
      name: args['save-profile'], source,
      fields: { ...(profile?.fields ?? {}), ...explicit.mapping },
      ...(profile?.format ? { format: profile.format } : {}),
      ...(region ? { defaultRegion: region } : {}),
    };
    const path = await saveMappingProfile(profilesDir, saved).catch((error: unknown) => {
      throw new UsageError(`--save-profile: ${error instanceof z.ZodError ? error.issues.map((i) => i.message).join('; ') : (error as Error).message}`);
    });
    process.stderr.write(`saved mapping profile ${saved.name} to ${path}\n`);
  }

  if (args.server && !(args.token ?? process.env['HOLDFAST_TELEPHONY_KEY'])) throw new UsageError('--token (or HOLDFAST_TELEPHONY_KEY) is required with --server');
  let mapping: FieldMapping = {};
  const sink: ImportSink = args.server
    ? new HttpSink(args.server, args.token ?? process.env['HOLDFAST_TELEPHONY_KEY'] ?? '', args.file, () => mapping)
    : await StoreSink.open(resolve(args['server-data'] as string), process.env['HOLDFAST_DATABASE_URL'] || undefined, region ?? 'US');

  const totals = { rows: 0, inserted: 0, updated: 0, unchanged: 0, errors: 0, changedCustomers: 0 };
  const report = (error: RowError): void => {
    totals.errors++;
    if (totals.errors <= SHOWN_ERRORS) process.stderr.write(`skipped ${formatRowError(error)}\n`);
  };
  // Batches per source (a file may carry a source column); each is sent when full, so memory stays flat.
  const pending = new Map<string, PendingRecord[]>();
  const flush = async (batchSource: string): Promise<void> => {
    const batch = pending.get(batchSource) ?? [];
    pending.delete(batchSource);
    if (batch.length === 0) return;
    const result = await sink.send(batchSource, batch);
    totals.inserted += result.inserted;
    totals.updated += result.updated;
    totals.unchanged += result.unchanged;
    result.errors.forEach(report);
  };
  try {
    for await (const event of importFile(args.file, { mapping: explicit.mapping, ...(profile ? { profile } : {}), source, recordIdFallback: 'error' })) {
      if (event.kind === 'mapping') {
        mapping = event.mapping;
        process.stderr.write(`${args.file}: mapping ${JSON.stringify(event.mapping)} -> ${sink.describe}\n`);
      } else if (event.kind === 'error') {
        totals.rows++;
        report(event.error);
      } else {
        totals.rows++;
        const batchSource = event.record.source;
        let batch = pending.get(batchSource);
        if (batch === undefined) pending.set(batchSource, (batch = []));
        batch.push(withRegion({ record: event.record, line: event.line }, region));
        if (batch.length >= BATCH) await flush(batchSource);
      }
    }
    for (const batchSource of [...pending.keys()]) await flush(batchSource);
    totals.changedCustomers = totals.inserted + totals.updated > 0 ? await sink.finish() : 0;
  } finally {
    await sink.close();
  }
  if (totals.errors > SHOWN_ERRORS) process.stderr.write(`… and ${totals.errors - SHOWN_ERRORS} more bad rows\n`);
  process.stdout.write(JSON.stringify({ ...totals, seconds: Math.round(performance.now() - started) / 1000 }) + '\n');
}

main().catch((error: unknown) => {
  const known = error instanceof UsageError || error instanceof ImportSetupError || error instanceof MappingProfileError || error instanceof SinkError;
  process.stderr.write(`import: ${error instanceof Error ? error.message : String(error)}\n`);
  if (!known && error instanceof Error && process.env['DEBUG']) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
