/**
 * Cross-validated evaluation of the churn model on a CSV file (or on generated
 * non-linear data with --synthetic N). No tuning per data set: every choice is
 * made inside the training folds by trainChurnModel itself.
 *
 *   npm run eval:churn -- --data FILE.csv --target COL [--drop COL,COL] [--folds 5] [--seed N] [--compare]
 *   npm run eval:churn -- --synthetic 6000 [--synthetic-kind nonlinear|mixed] [--compare]
 *
 * Progress goes to stderr; the last stdout line is one JSON object:
 * {"n","positive_rate","auc","auc_std","brier","logloss","seconds", ...}.
 * --compare also trains the GBDT alone and the logistic regression alone on the same folds.
 * With --synthetic, "oracle_auc" is the AUC of the true risk: the ceiling for any model.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { createScorer, trainChurnModel } from '@shared/churn';
import { stratifiedFolds, foldIndices } from '@shared/churn/folds';
import { brierScore, logLoss, mean, rocAuc, standardDeviation } from '@shared/churn/metrics';
import { syntheticTable, SYNTHETIC_TARGET } from '@shared/churn/synthetic';
import { parseTargetColumn } from '@shared/churn/target';

const argsSchema = z
  .object({
    data: z.string().min(1).optional(),
    target: z.string().min(1).optional(),
    drop: z.string().optional(),
    folds: z.coerce.number().int().min(2).max(20).default(5),
    seed: z.coerce.number().int().default(0),
    synthetic: z.coerce.number().int().min(200).optional(),
    'synthetic-kind': z.enum(['nonlinear', 'mixed']).default('nonlinear'),
    compare: z.boolean().default(false),
  })
  .refine((a) => a.synthetic !== undefined || (a.data !== undefined && a.target !== undefined), {
    message: 'give --data FILE.csv and --target COLUMN, or --synthetic N',
  });

type Learners = 'blend' | 'gbdt' | 'linear';

interface FoldMetrics {
  auc: number[];
  brier: number[];
  logloss: number[];
}

function fail(message: string): never {
  process.stderr.write(`eval-churn: ${message}\n`);
  process.exit(2);
}

function readCsv(path: string): Record<string, unknown>[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    fail(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return parse(text, { columns: true, skip_empty_lines: true, bom: true, trim: false }) as Record<string, unknown>[];
  } catch (error) {
    fail(`${path} is not a readable CSV: ${(error as Error).message}`);
  }
}

function main(): void {
  let raw;
  try {
    raw = parseArgs({
      options: {
        data: { type: 'string' },
        target: { type: 'string' },
        drop: { type: 'string' },
        folds: { type: 'string' },
        seed: { type: 'string' },
        synthetic: { type: 'string' },
        'synthetic-kind': { type: 'string' },
        compare: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  const parsedArgs = argsSchema.safeParse(raw);
  if (!parsedArgs.success) fail(parsedArgs.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; '));
  const args = parsedArgs.data;

  const synthetic = args.synthetic !== undefined ? syntheticTable(args.synthetic, args.seed, args['synthetic-kind']) : null;
  const rows = synthetic ? synthetic.rows : readCsv(args.data as string);
  const target = args.synthetic !== undefined ? SYNTHETIC_TARGET : (args.target as string);
  const drop = (args.drop ?? '').split(',').map((c) => c.trim()).filter(Boolean);
  const header = Object.keys(rows[0] ?? {});
  for (const column of drop) if (!header.includes(column)) fail(`--drop column "${column}" is not in the data`);

  let labelled;
  try {
    labelled = parseTargetColumn(rows, target);
  } catch (error) {
    fail((error as Error).message);
  }
  const data = labelled.rowIndex.map((i) => rows[i] as Record<string, unknown>);
  const labels = labelled.labels;
  if (labelled.missing > 0) process.stderr.write(`eval-churn: ${labelled.missing} rows without a target value left out\n`);
  const n = labels.length;
  const positives = labels.reduce((s, y) => s + y, 0);
  process.stderr.write(`eval-churn: ${n} rows, ${positives} positive (${((100 * positives) / n).toFixed(1)}%), ${args.folds}-fold stratified CV, seed ${args.seed}\n`);

  const learnerSet: Learners[] = args.compare ? ['blend', 'gbdt', 'linear'] : ['blend'];
  const results: Record<Learners, FoldMetrics> = {
    blend: { auc: [], brier: [], logloss: [] },
    gbdt: { auc: [], brier: [], logloss: [] },
    linear: { auc: [], brier: [], logloss: [] },
  };
  const chosen: { combination: string[]; rounds: number[]; lambda: number[]; calibration: string[] } = { combination: [], rounds: [], lambda: [], calibration: [] };
  let droppedColumns: string[] = [];
  const folds = stratifiedFolds(labels, args.folds, `${args.seed}:outer`);
  const started = performance.now();

  for (let fold = 0; fold < args.folds; fold++) {
    const { train, test } = foldIndices(folds, fold);
    const trainRows = train.map((i) => data[i] as Record<string, unknown>);
    const testLabels = Uint8Array.from(test, (i) => labels[i] as number);
    for (const learners of learnerSet) {
      const foldStart = performance.now();
      let model;
      try {
        model = trainChurnModel(trainRows, target, { drop, seed: args.seed * 1000 + fold, learners });
      } catch (error) {
        fail((error as Error).message);
      }
      const scorer = createScorer(model);
      const probabilities = Float64Array.from(test, (i) => scorer.score(data[i] as Record<string, unknown>).probability);
      const auc = rocAuc(testLabels, probabilities);
      const brier = brierScore(testLabels, probabilities);
      const loss = logLoss(testLabels, probabilities);
      results[learners].auc.push(auc);
      results[learners].brier.push(brier);
      results[learners].logloss.push(loss);
      if (learners === 'blend' && fold === 0) {
        droppedColumns = model.training.droppedColumns.map((c) => `${c.name} (${c.reason})`);
        const kinds = model.features.map((f) => `${f.name}:${f.kind === 'numeric' ? 'num' : 'cat'}`);
        process.stderr.write(`features: ${kinds.join(', ')}\ndropped: ${droppedColumns.join(', ') || 'none'}\n`);
      }
      if (learners === 'blend') {
        chosen.combination.push(describeCombination(model.blend));
        chosen.rounds.push(model.training.gbdtRounds);
        chosen.lambda.push(model.training.linearLambda);
        chosen.calibration.push(model.calibration.kind);
      }
      process.stderr.write(
        `fold ${fold + 1}/${args.folds} [${learners}]: AUC ${auc.toFixed(4)}  Brier ${brier.toFixed(4)}  logloss ${loss.toFixed(4)}  ` +
          `(${describeCombination(model.blend)}, ${model.gbdt.trees.length} trees, L2 ${model.training.linearLambda}, ${model.calibration.kind}; ${((performance.now() - foldStart) / 1000).toFixed(1)} s)\n`,
      );
    }
  }

  const summary = (m: FoldMetrics): { auc: number; auc_std: number; brier: number; logloss: number } => ({
    auc: round(mean(m.auc)),
    auc_std: round(standardDeviation(m.auc)),
    brier: round(mean(m.brier)),
    logloss: round(mean(m.logloss)),
  });
  const out: Record<string, unknown> = {
    n,
    positive_rate: round(positives / n),
    ...summary(results.blend),
    seconds: Math.round((performance.now() - started) / 100) / 10,
    folds: args.folds,
    seed: args.seed,
    combination_per_fold: chosen.combination,
    trees_per_fold: chosen.rounds,
    l2_per_fold: chosen.lambda,
    calibration_per_fold: chosen.calibration,
    dropped_columns: droppedColumns,
  };
  if (args.compare) out.components = { gbdt_only: summary(results.gbdt), linear_only: summary(results.linear) };
  if (synthetic) {
    out.data = `synthetic ${args['synthetic-kind']} (${args.synthetic} rows, seed ${args.seed})`;
    out.oracle_auc = round(rocAuc(labels, synthetic.trueLogits));
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

/** "blend 0.65" (weight on the trees) or "linear+residual trees". */
function describeCombination(blend: { mode: string; gbdtWeight: number }): string {
  return blend.mode === 'residual' ? 'linear+residual trees' : `blend ${blend.gbdtWeight}`;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

main();
