/**
 * Writes synthetic identity data with known truth as CSV.
 *   npm run gen:identity -- --people 10000 --out data.csv [--seed 7] [--sources crm,billing,support,usage] [--noise 1]
 *   npm run gen:identity -- --shape febrl --people 2000 [--duplicates 3000] --out febrl-like.csv
 * The default shape has an entity_id truth column; the Febrl shape encodes truth in rec_id (rec-N-org / rec-N-dup-k).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CANONICAL_FIELDS } from '@shared/identity/canonical';
import { generateIdentityRecords, SYNTHETIC_SOURCES } from '@shared/identity/synthetic';
import type { SyntheticSource } from '@shared/identity/synthetic';
import { FEBRL_COLUMNS, generateFebrlLike } from '@shared/identity/synthetic-febrl';

const argsSchema = z.object({
  people: z.coerce.number().int().positive().max(5_000_000),
  out: z.string().min(1),
  seed: z.string().default('1'),
  sources: z
    .string()
    .default(SYNTHETIC_SOURCES.join(','))
    .transform((text) => text.split(',').map((s) => s.trim()).filter((s) => s.length > 0))
    .pipe(z.array(z.enum(SYNTHETIC_SOURCES)).min(1)),
  noise: z.coerce.number().min(0).max(5).default(1),
  shape: z.enum(['sources', 'febrl']).default('sources'),
  duplicates: z.coerce.number().int().nonnegative().optional(),
  'max-duplicates': z.coerce.number().int().positive().default(5),
  'max-modifications': z.coerce.number().int().positive().default(5),
  /** Febrl shape only: originals go to --out, duplicates to this file, for linking two files. */
  'link-out': z.string().min(1).optional(),
});

function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      people: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      sources: { type: 'string' },
      noise: { type: 'string' },
      shape: { type: 'string' },
      duplicates: { type: 'string' },
      'max-duplicates': { type: 'string' },
      'max-modifications': { type: 'string' },
      'link-out': { type: 'string' },
    },
    strict: true,
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('\n'));
  }
  const args = parsed.data;
  const seed = /^\d+$/.test(args.seed) ? Number(args.seed) : args.seed;
  const out = createWriteStream(args.out, { encoding: 'utf8' });
  const write = async (line: string): Promise<void> => {
    if (!out.write(line + '\n')) await once(out, 'drain');
  };

  let rows = 0;
  if (args.shape === 'febrl') {
    const linkOut = args['link-out'] === undefined ? null : createWriteStream(args['link-out'], { encoding: 'utf8' });
    const writeLink = async (line: string): Promise<void> => {
      if (linkOut !== null && !linkOut.write(line + '\n')) await once(linkOut, 'drain');
    };
    await write(FEBRL_COLUMNS.join(', '));
    await writeLink(FEBRL_COLUMNS.join(', '));
    const data = generateFebrlLike({
      originals: args.people,
      duplicates: args.duplicates ?? (linkOut === null ? Math.round(args.people * 1.5) : args.people),
      maxDuplicatesPerOriginal: linkOut === null ? args['max-duplicates'] : 1,
      maxModificationsPerRecord: args['max-modifications'],
      distribution: linkOut === null ? 'zipf' : 'uniform',
      seed,
    });
    for (const row of data) {
      // Febrl files put a space after each comma; the reader trims it.
      const line = FEBRL_COLUMNS.map((column) => csvCell(row[column])).join(', ');
      if (linkOut !== null && row.rec_id.includes('-dup-')) await writeLink(line);
      else await write(line);
      rows++;
    }
    if (linkOut !== null) {
      linkOut.end();
      await once(linkOut, 'finish');
    }
  } else {
    const columns = ['entity_id', 'source', 'record_id', ...CANONICAL_FIELDS, 'updated_at'] as const;
    await write(columns.join(','));
    for (const record of generateIdentityRecords({ people: args.people, seed, sources: args.sources as SyntheticSource[], noise: args.noise })) {
      await write(columns.map((column) => csvCell(record[column])).join(','));
      rows++;
    }
  }
  out.end();
  await once(out, 'finish');
  process.stderr.write(`wrote ${rows} records to ${args.out}\n`);
  process.stdout.write(JSON.stringify({ out: args.out, records: rows, people: args.people, shape: args.shape }) + '\n');
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  process.stderr.write(`gen:identity: ${error instanceof UsageError ? error.message : (error as Error).message}\n`);
  process.exitCode = 1;
});
