/**
 * Pairwise evaluation of identity resolution on a labelled file.
 *   npm run eval:identity -- --data FILE --truth-col COL [--map field=column ...] [--link FILE2]
 *        [--default-region US] [--truth-regex 'rec-(\d+)'] [--date-order DMY|MDY]
 * Deduplicates one file, or links two (--link: only cross-file pairs count).
 * Columns named like canonical fields or common synonyms map automatically.
 * Prints one JSON object as the last line of stdout; progress goes to stderr.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { CanonicalRecord } from '@shared/identity/canonical';
import { entityIdFromTruth, pairwiseMetrics } from '@shared/identity/evaluation';
import { parseMappingPairs } from '@shared/identity/field-mapping';
import { isPhoneRegion } from '@shared/identity/phones';
import { resolveIdentities } from '@shared/identity/resolve';
import { formatRowError, importFile, ImportSetupError } from '../import';

class UsageError extends Error {}

const argsSchema = z.object({
  data: z.string().min(1, 'is required'),
  'truth-col': z.string().min(1, 'is required'),
  map: z.array(z.string()).default([]),
  link: z.string().optional(),
  'default-region': z
    .string()
    .default('US')
    .transform((value) => value.toUpperCase())
    .refine(isPhoneRegion, 'is not a two-letter region code known to libphonenumber'),
  'truth-regex': z.string().optional(),
  'date-order': z.enum(['DMY', 'MDY']).optional(),
  'max-block-size': z.coerce.number().int().min(2).optional(),
  'link-threshold': z.coerce.number().min(0).max(1).optional(),
  'merge-threshold': z.coerce.number().min(0).max(1).optional(),
});

async function main(): Promise<void> {
  const started = performance.now();
  let values;
  try {
    values = parseArgs({
      options: {
        data: { type: 'string' },
        'truth-col': { type: 'string' },
        map: { type: 'string', multiple: true },
        link: { type: 'string' },
        'default-region': { type: 'string' },
        'truth-regex': { type: 'string' },
        'date-order': { type: 'string' },
        'max-block-size': { type: 'string' },
        'link-threshold': { type: 'string' },
        'merge-threshold': { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => `--${issue.path.join('.')} ${issue.message}`).join('\n'));
  const args = parsed.data;
  const mapping = parseMappingPairs(args.map);
  if (!mapping.ok) throw new UsageError(mapping.errors.join('\n'));
  let truthPattern: RegExp | undefined;
  if (args['truth-regex'] !== undefined) {
    try {
      truthPattern = new RegExp(args['truth-regex']);
    } catch (error) {
      throw new UsageError(`--truth-regex: ${(error as Error).message}`);
    }
  }

  const files = args.link === undefined ? [args.data] : [args.data, args.link];
  const records: CanonicalRecord[] = [];
  const truth: string[] = [];
  const datasetOfRecord: number[] = [];
  let rejected = 0;
  const truthColumn = args['truth-col'];
  for (let f = 0; f < files.length; f++) {
    const path = files[f] as string;
    const source = f === 1 && basename(files[0] as string) === basename(path) ? `${basename(path)}#2` : basename(path);
    let truthSeen = false;
    for await (const event of importFile(path, {
      mapping: mapping.mapping,
      source,
      excludeColumns: Object.values(mapping.mapping).includes(truthColumn) ? [] : [truthColumn],
      keepColumns: [truthColumn],
      recordIdFallback: 'line',
    })) {
      if (event.kind === 'mapping') {
        if (!event.columns.includes(truthColumn) && !event.columns.map((c) => c.trim()).includes(truthColumn)) {
          throw new UsageError(`${path}: no truth column "${truthColumn}". Columns: ${event.columns.join(', ')}`);
        }
        truthSeen = true;
        process.stderr.write(`${path}: mapping ${JSON.stringify(event.mapping)}\n`);
      } else if (event.kind === 'error') {
        rejected++;
        if (rejected <= 10) process.stderr.write(`skipped ${formatRowError(event.error)}\n`);
      } else {
        const label = event.kept[truthColumn];
        if (label === null || label === undefined || label.length === 0) {
          rejected++;
          if (rejected <= 10) process.stderr.write(`skipped ${path}:${event.line}: empty truth value\n`);
          continue;
        }
        records.push(event.record);
        truth.push(entityIdFromTruth(label, truthPattern));
        datasetOfRecord.push(f);
      }
    }
    if (!truthSeen) throw new UsageError(`${path}: no rows`);
  }
  process.stderr.write(`read ${records.length} records (${rejected} rejected) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

  const result = resolveIdentities(records, {
    standardise: { defaultRegion: args['default-region'] as never, ...(args['date-order'] ? { dateOrder: args['date-order'] } : {}) },
    golden: false,
    clock: () => performance.now(),
    ...(args['max-block-size'] !== undefined ? { maxBlockSize: args['max-block-size'] } : {}),
    ...(args['link-threshold'] !== undefined ? { linkThreshold: args['link-threshold'] } : {}),
    ...(args['merge-threshold'] !== undefined ? { cluster: { mergeThreshold: args['merge-threshold'], maxClusterSize: 200 } } : {}),
    ...(files.length > 1 ? { datasetOf: (_record, index) => datasetOfRecord[index] as number, crossDatasetOnly: true } : {}),
  });
  const metrics = pairwiseMetrics(truth, result.clusterOf, files.length > 1 ? Uint8Array.from(datasetOfRecord) : undefined);
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `candidate pairs ${result.candidatePairs}, links ${result.links}, clusters ${result.clusterCount}, refused ${JSON.stringify(result.refused)}\n` +
      `EM: lambda ${result.model.lambda.toFixed(4)}, ${result.model.iterations} iterations, converged ${result.model.converged}\n` +
      result.model.comparisons.map((c, k) => `  ${c.name}: ${c.levels.map((level, l) => `${level} ${(result.model.weights[k]?.[l] ?? 0).toFixed(2)}`).join(', ')}`).join('\n') +
      `\nblocking ${JSON.stringify(result.blocking)}\noversized blocks (largest) ${JSON.stringify(result.oversizedBlocks.slice(0, 5))}\n` +
      `timings ms ${JSON.stringify(Object.fromEntries(Object.entries(result.timingsMs).map(([k, v]) => [k, Math.round(v)])))}\n`,
  );
  process.stdout.write(
    JSON.stringify({
      pairs_true: metrics.pairs_true,
      pairs_found: metrics.pairs_found,
      precision: metrics.precision,
      recall: metrics.recall,
      f1: metrics.f1,
      seconds,
      true_positives: metrics.true_positives,
      records: records.length,
      rows_rejected: rejected,
      clusters: result.clusterCount,
    }) + '\n',
  );
}

main().catch((error: unknown) => {
  const known = error instanceof UsageError || error instanceof ImportSetupError;
  process.stderr.write(`eval:identity: ${known ? error.message : error instanceof Error ? error.message : String(error)}\n`);
  if (!known && error instanceof Error && process.env['DEBUG']) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
