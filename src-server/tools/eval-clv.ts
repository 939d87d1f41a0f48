/**
 * Fits the customer value model (BG/NBD + Gamma-Gamma) on a transactions file
 * and checks its predictions on a holdout period.
 *
 *   npm run eval:clv -- --transactions FILE --customer-col C --date-col D --amount-col A
 *     --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD] [--columns a,b,c]
 *     [--margin M] [--discount R] [--horizon-weeks W]
 *
 * Progress and bad rows go to stderr; the last stdout line is one JSON object.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  assignValueTiers,
  activityTrend,
  buildCohort,
  conditionalExpectedSpend,
  conditionalExpectedTransactions,
  customerClv,
  evaluateHoldout,
  fitValueModel,
  formatDay,
  lifecycleStage,
  parseDay,
  parseTransactions,
  pearson,
  rfmScores,
  TransactionTableError,
  DAYS_PER_WEEK,
} from '@shared/value/index';

class UsageError extends Error {}

const USAGE =
  'usage: npm run eval:clv -- --transactions FILE --customer-col C --date-col D --amount-col A ' +
  '--calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD] [--columns a,b,c] [--margin M] [--discount R] [--horizon-weeks W]';

const dayFlag = (flag: string) =>
  z.string().transform((text, ctx) => {
    const day = parseDay(text);
    if (day === null) {
      ctx.addIssue({ code: 'custom', message: `${flag} "${text}" is not a date (use YYYY-MM-DD or YYYYMMDD)` });
      return z.NEVER;
    }
    return day;
  });

const numberFlag = (flag: string, min: number, max: number) =>
  z
    .string()
    .transform((text, ctx) => {
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `${flag} must be a number in [${min}, ${max}], got "${text}"` });
        return z.NEVER;
      }
      return value;
    });

const flagsSchema = z.object({
  transactions: z.string({ error: '--transactions FILE is required' }),
  'customer-col': z.string({ error: '--customer-col is required' }),
  'date-col': z.string({ error: '--date-col is required' }),
  'amount-col': z.string({ error: '--amount-col is required' }),
  'calibration-end': dayFlag('--calibration-end'),
  'holdout-end': dayFlag('--holdout-end').optional(),
  columns: z
    .string()
    .transform((text) => text.split(',').map((c) => c.trim()))
    .refine((cols) => cols.every((c) => c !== ''), { message: '--columns must be a comma-separated list of names' })
    .optional(),
  margin: numberFlag('--margin', 0, 1).default(0.3),
  discount: numberFlag('--discount', 0, 10).default(0.1),
  'horizon-weeks': numberFlag('--horizon-weeks', 1, 2600).default(52),
});

function readFlags(argv: string[]): z.output<typeof flagsSchema> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        transactions: { type: 'string' },
        'customer-col': { type: 'string' },
        'date-col': { type: 'string' },
        'amount-col': { type: 'string' },
        'calibration-end': { type: 'string' },
        'holdout-end': { type: 'string' },
        columns: { type: 'string' },
        margin: { type: 'string' },
        discount: { type: 'string' },
        'horizon-weeks': { type: 'string' },
      },
    }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const parsed = flagsSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => (i.path.length && i.code !== 'custom' ? `--${i.path.join('.')}: ${i.message}` : i.message));
    throw new UsageError(`${problems.join('\n')}\n${USAGE}`);
  }
  return parsed.data;
}

const log = (message: string): void => void process.stderr.write(`eval-clv: ${message}\n`);
const round = (v: number, digits = 6): number => (Number.isFinite(v) ? Number(v.toPrecision(digits)) : v);

function countBy<T extends string>(items: readonly T[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

function run(argv: string[]): Record<string, unknown> {
  const started = performance.now();
  const flags = readFlags(argv);
  let text: string;
  try {
    text = readFileSync(flags.transactions, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --transactions "${flags.transactions}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const parsed = parseTransactions(text, {
    customerCol: flags['customer-col'],
    dateCol: flags['date-col'],
    amountCol: flags['amount-col'],
    ...(flags.columns ? { columns: flags.columns } : {}),
  });
  for (const bad of parsed.badRows.slice(0, 20)) log(`line ${bad.line}: ${bad.reason} (skipped)`);
  if (parsed.badRows.length > 20) log(`... and ${parsed.badRows.length - 20} more bad rows`);
  if (parsed.badRows.length > 0) log(`skipped ${parsed.badRows.length} bad rows`);
  if (parsed.transactions.length === 0) throw new TransactionTableError('no usable transactions in the file');
  log(`${parsed.transactions.length} transactions read (${parsed.delimiter}-separated)`);

  const calibrationEndDay = flags['calibration-end'];
  const lastDay = parsed.transactions.reduce((m, t) => Math.max(m, t.day), -Infinity);
  const holdoutEndDay = flags['holdout-end'] ?? lastDay;
  const cohort = buildCohort(parsed.transactions, { calibrationEndDay, holdoutEndDay });
  if (cohort.length === 0) {
    throw new TransactionTableError(`no customer made a first purchase on or before the calibration end ${formatDay(calibrationEndDay)}`);
  }
  const repeaters = cohort.filter((c) => c.x > 0).length;
  if (repeaters === 0) throw new TransactionTableError('no customer has a repeat purchase before the calibration end; the models cannot be fitted');
  log(`cohort: ${cohort.length} customers, ${repeaters} with repeat purchases; fitting`);

  const fitStarted = performance.now();
  const model = fitValueModel(cohort);
  const fitSeconds = (performance.now() - fitStarted) / 1000;
  if (model.spendExcluded > 0) log(`${model.spendExcluded} repeat buyers with a non-positive mean repeat value left out of the spend fit`);

  const clvOptions = { margin: flags.margin, annualDiscountRate: flags.discount, horizonWeeks: flags['horizon-weeks'] };
  const scored = cohort.map((c) => customerClv(c, model, clvOptions));
  const clvs = scored.map((s) => s.clv);
  const tiers = assignValueTiers(clvs);
  const rfm = rfmScores(cohort.map((c) => ({ recency: calibrationEndDay - c.lastDay, frequency: c.x + 1, monetary: c.meanValue })));
  const stages = cohort.map((c, i) =>
    lifecycleStage({
      tenureWeeks: c.T,
      pAlive: (scored[i] as { pAlive: number }).pAlive,
      weeksSinceLastPurchase: (calibrationEndDay - c.lastDay) / DAYS_PER_WEEK,
      trend: activityTrend(c.purchaseWeeks, c.T),
    }),
  );

  let holdout: Record<string, unknown> | null = null;
  if (holdoutEndDay > calibrationEndDay) {
    const weeks = (holdoutEndDay - calibrationEndDay) / DAYS_PER_WEEK;
    const entries = cohort.map((c) => ({ x: c.x, predicted: conditionalExpectedTransactions(model.bgnbd, c, weeks), actual: c.holdoutTransactions }));
    const report = evaluateHoldout(entries);
    // Spend check: predicted spend per transaction vs the mean holdout purchase value.
    const spendPairs = cohort
      .filter((c) => c.x > 0 && c.holdoutTransactions > 0 && c.meanRepeatValue !== null)
      .map((c) => ({
        predicted: conditionalExpectedSpend(model.gammaGamma, c.x, c.meanRepeatValue),
        actual: c.holdoutValue / c.holdoutTransactions,
      }));
    holdout = {
      start: formatDay(calibrationEndDay + 1),
      end: formatDay(holdoutEndDay),
      weeks: round(weeks),
      sumPredicted: round(report.sumPredicted),
      sumActual: report.sumActual,
      mae: round(report.mae),
      rmse: round(report.rmse),
      correlation: round(report.correlation),
      byFrequency: report.byFrequency.map((r) => ({ ...r, meanActual: round(r.meanActual), meanPredicted: round(r.meanPredicted) })),
      spend: {
        customers: spendPairs.length,
        meanPredicted: round(spendPairs.reduce((s, p) => s + p.predicted, 0) / Math.max(1, spendPairs.length)),
        meanActual: round(spendPairs.reduce((s, p) => s + p.actual, 0) / Math.max(1, spendPairs.length)),
        mae: round(spendPairs.reduce((s, p) => s + Math.abs(p.predicted - p.actual), 0) / Math.max(1, spendPairs.length)),
        correlation: round(pearson(spendPairs.map((p) => p.predicted), spendPairs.map((p) => p.actual))),
      },
    };
  } else {
    log('holdout end is not after the calibration end: no holdout comparison');
  }

  const totalClv = clvs.reduce((s, v) => s + v, 0);
  const { bgnbd, gammaGamma } = model;
  return {
    customers: cohort.length,
    transactions: parsed.transactions.length,
    badRows: parsed.badRows.length,
    calibrationEnd: formatDay(calibrationEndDay),
    modelVersion: model.modelVersion,
    bgnbd: { r: bgnbd.r, alpha: bgnbd.alpha, a: bgnbd.a, b: bgnbd.b, ll: bgnbd.logLikelihood, converged: bgnbd.converged },
    gammagamma: {
      p: gammaGamma.p,
      q: gammaGamma.q,
      gamma: gammaGamma.gamma,
      ll: gammaGamma.logLikelihood,
      customers: gammaGamma.customers,
      converged: gammaGamma.converged,
    },
    clv: {
      ...clvOptions,
      mean: round(totalClv / cohort.length),
      total: round(totalClv),
      tiers: countBy(tiers.tiers),
      thresholds: { highMin: round(tiers.thresholds.highMin), midMin: round(tiers.thresholds.midMin) },
      rfmSegments: countBy(rfm.map((s) => s.segment)),
      lifecycle: countBy(stages),
    },
    holdout,
    seconds: { fit: round(fitSeconds, 4), total: round((performance.now() - started) / 1000, 4) },
  };
}

try {
  const result = run(process.argv.slice(2));
  process.stdout.write(JSON.stringify(result) + '\n');
} catch (error) {
  if (error instanceof UsageError || error instanceof TransactionTableError || error instanceof z.ZodError) {
    process.stderr.write(`eval-clv: error: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
