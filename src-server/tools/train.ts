/**
 * Trains the churn model on the server's stored customers, fits the value
 * model on their transactions, publishes both model files to desktops through
 * the change feed, and rescores every customer.
 *
 *   npm run train -- [--data DIR | --database-url URL] [--as-of YYYY-MM-DD] [--seed N]
 *                    [--rescore | --model FILE] [--min-labels N]
 *                    [--horizon-months N] [--margin 0..1] [--discount-rate R] [--tiers HIGH/MID/LOW]
 *                    [--holdout-share 0.2]
 *
 * The store is chosen as the server chooses it: a postgres:// URL (flag, or
 * HOLDFAST_DATABASE_URL) selects PostgreSQL; otherwise SQLite in the data
 * directory (flag, HOLDFAST_SERVER_DATA_DIR, or .holdfast-data/server).
 * --rescore scores with the stored churn and value models instead of training and fitting;
 * --model FILE publishes a churn model file (after the same checks desktops
 * apply) and scores with it. A malformed file is refused and nothing changes.
 * Below --min-labels churned or retained labelled customers (default 50) the
 * heuristic scores stay. The value model is fitted with a CLV horizon of
 * --horizon-months (default 12), --margin (0.3) and --discount-rate (0.1 a
 * year), and value tiers --tiers as percentages (20/30/50); each defaults to
 * the server's HOLDFAST_CLV_HORIZON_MONTHS, HOLDFAST_CLV_MARGIN,
 * HOLDFAST_CLV_DISCOUNT_RATE and HOLDFAST_VALUE_TIERS when set. Progress
 * goes to stderr; the last stdout line is one JSON object.
 *
 * Champion and challenger: when a churn model is already in use, the new one
 * is trained on the labels known before the newest --holdout-share of them
 * (by when each label became known: the account event that set it) and
 * published only if its AUC and Brier score on those newest labels are no
 * worse than the model in use; otherwise the model in use stays and scores
 * the book. Both models' figures are kept for supervisors (`trial` below).
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MIN_LABELS_PER_CLASS, scoreBook, ScoringError, type ChurnPlan, type ScoreBookSummary } from '../scoring/score-book';
import { describeStoreLocation, openServerStore, storeLocationFor } from '../store/open-store';
import { tierSharesSchema, valueConfigFromEnv, valueConfigSchema, valueOptions, type ValueConfig } from '../scoring/value-config';

const DEFAULT_DATA_DIR = '.holdfast-data/server';

const argsSchema = z
  .object({
    data: z.string().min(1).optional(),
    'database-url': z.string().min(1).optional(),
    'as-of': z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '--as-of must be a date as YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(d)), '--as-of is not a real date').optional(),
    seed: z.coerce.number({ error: '--seed must be a whole number' }).int('--seed must be a whole number').default(1),
    rescore: z.boolean().default(false),
    model: z.string().min(1).optional(),
    'min-labels': z.coerce.number({ error: '--min-labels must be a whole number' }).int('--min-labels must be a whole number').min(5, '--min-labels must be at least 5').default(MIN_LABELS_PER_CLASS),
    'horizon-months': z.string().optional(),
    margin: z.string().optional(),
    'discount-rate': z.string().optional(),
    tiers: z.string().optional(),
    'holdout-share': z.coerce.number({ error: '--holdout-share must be a number' }).gt(0, '--holdout-share must be above 0').lt(1, '--holdout-share must be below 1').default(0.2),
  })
  .refine((a) => !(a.rescore && a.model), { message: 'give --rescore or --model FILE, not both' });

class UsageError extends Error {
  override name = 'UsageError';
}

export interface TrainIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: NodeJS.ProcessEnv;
  now?: () => Date;
}

const round = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : Math.round(x * 1e6) / 1e6);

function parseFlags(argv: readonly string[]): z.infer<typeof argsSchema> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        data: { type: 'string' },
        'database-url': { type: 'string' },
        'as-of': { type: 'string' },
        seed: { type: 'string' },
        rescore: { type: 'boolean' },
        model: { type: 'string' },
        'min-labels': { type: 'string' },
        'horizon-months': { type: 'string' },
        margin: { type: 'string' },
        'discount-rate': { type: 'string' },
        tiers: { type: 'string' },
        'holdout-share': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

/** The value settings: flags over the server's environment over the defaults. */
function valueConfig(flags: z.infer<typeof argsSchema>, env: NodeJS.ProcessEnv): ValueConfig {
  let fromEnv;
  try {
    fromEnv = valueConfigFromEnv((name) => env[`HOLDFAST_${name}`] || undefined) ?? {};
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const given = [flags['horizon-months'] && '--horizon-months', flags.margin && '--margin', flags['discount-rate'] && '--discount-rate', flags.tiers && '--tiers'].filter(Boolean);
  if (flags.rescore && given.length > 0) throw new UsageError(`${given.join(', ')} apply when the value model is fitted; --rescore scores with the stored one as it is`);
  let tiers: { high: number; mid: number } | undefined;
  if (flags.tiers !== undefined) {
    const parsed = tierSharesSchema.safeParse(flags.tiers);
    if (!parsed.success) throw new UsageError(`--tiers: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    tiers = parsed.data;
  }
  const parsed = valueConfigSchema.safeParse({
    ...fromEnv,
    ...(flags['horizon-months'] !== undefined ? { horizonMonths: flags['horizon-months'] } : {}),
    ...(flags.margin !== undefined ? { margin: flags.margin } : {}),
    ...(flags['discount-rate'] !== undefined ? { discountRate: flags['discount-rate'] } : {}),
    ...(tiers ? { tiers } : {}),
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

function churnPlan(flags: z.infer<typeof argsSchema>): ChurnPlan {
  if (flags.rescore) return { mode: 'stored' };
  if (!flags.model) return { mode: 'train' };
  try {
    // The text goes to the loader as is: it reports bad JSON itself, with the position.
    return { mode: 'file', model: readFileSync(flags.model, 'utf8') };
  } catch (error) {
    throw new UsageError(`cannot read the model file ${flags.model}: ${(error as Error).message}`);
  }
}

function summaryLine(summary: ScoreBookSummary, store: string, value: ValueConfig): Record<string, unknown> {
  return {
    customers: summary.customers,
    rows: summary.churn.rows,
    labelled: summary.labelled,
    positive_rate: round(summary.churn.positiveRate ?? (summary.labelled > 0 ? summary.churned / summary.labelled : null)),
    churn_source: summary.churn.source,
    model_version: summary.churn.modelVersion,
    trained_at: summary.churn.trainedAt,
    cv_folds: summary.churn.cv?.folds ?? null,
    cv_auc: round(summary.churn.cv?.auc),
    cv_brier: round(summary.churn.cv?.brier),
    cv_logloss: round(summary.churn.cv?.logloss),
    heuristic_reason: summary.churn.reason,
    trial: summary.churn.trial,
    value_source: summary.value.source,
    value_model_version: summary.value.modelVersion,
    value_converged: summary.value.converged,
    value_reason: summary.value.reason,
    value_settings: summary.value.source === 'fitted' ? { horizon_months: value.horizonMonths, margin: value.margin, discount_rate: value.discountRate, tiers: `${value.tiers.high}/${value.tiers.mid}/${100 - value.tiers.high - value.tiers.mid}` } : null,
    scores_written: summary.scoresWritten,
    store,
    seconds: summary.seconds.total,
    timings: summary.seconds,
  };
}

/** Runs the command; returns the exit code (0 done, 2 a problem the operator can fix, 1 anything else). */
export async function runTrain(argv: readonly string[], io: TrainIo): Promise<number> {
  const log = (message: string): void => io.stderr(`train: ${message}`);
  try {
    const flags = parseFlags(argv);
    const plan = churnPlan(flags);
    const value = valueConfig(flags, io.env);
    const now = io.now ?? (() => new Date());
    const today = now().toISOString().slice(0, 10);
    const asOf = flags['as-of'] ?? today;
    let location;
    try {
      location = storeLocationFor(flags['database-url'] ?? io.env.HOLDFAST_DATABASE_URL, flags.data ?? io.env.HOLDFAST_SERVER_DATA_DIR ?? DEFAULT_DATA_DIR);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (location.kind === 'sqlite' && !existsSync(location.file)) {
      throw new UsageError(`no server store at ${location.file}: start the server once (npm run server) or pass --data DIR / --database-url URL`);
    }
    const where = describeStoreLocation(location);
    log(`store: ${where}; as of ${asOf}; churn: ${plan.mode === 'train' ? 'train' : plan.mode === 'stored' ? 'stored model' : `model file ${flags.model}`}`);
    let store;
    try {
      store = await openServerStore(location);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    try {
      const summary = await scoreBook(store, {
        asOf,
        // A past as-of day is scored at its noon, as the demo seeding does; today at the present moment.
        scoredAt: asOf === today ? now().toISOString() : `${asOf}T12:00:00.000Z`,
        churn: plan,
        value: plan.mode === 'stored' ? 'stored' : 'fit',
        seed: flags.seed,
        minLabelsPerClass: flags['min-labels'],
        holdoutShare: flags['holdout-share'],
        ...valueOptions(value),
        now,
        log,
      });
      io.stdout(JSON.stringify(summaryLine(summary, where, value)));
      return 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ScoringError) {
      io.stderr(`train: error: ${error.message}`);
      return 2;
    }
    io.stderr(`train: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runTrain(process.argv.slice(2), {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  });
  process.exitCode = code;
}
