import { createScorer, customerFeatureRow, trainChurnModel, type ChurnModel, type ChurnScore, type CustomerFeatureRow } from '@shared/churn';
import type { CustomerScores } from '@shared/domain/customer';
import type { Transaction } from '@shared/domain/interaction';
import { heuristicChurn } from '@shared/scoring/heuristic-churn';
import { HEURISTIC_VALUE_VERSION, heuristicClv, tierCutoffs, tierFor } from '@shared/scoring/heuristic-value';
import type { ClvOptions, TierConfig } from '@shared/value';
import type { DocumentStore } from '../store/roles/document-store';
import type { ScoringStore } from '../store/roles/scoring-store';
import { lastContactAnchor, lastContactAt, profileBeforeContact, type LastContactAnchor } from './last-contact';
import { judge, recordChurnTrial, timeHoldout, type LabelledRow } from './champion-challenger';
import { churnModelRegistry, valueModelRegistry } from './model-registry';
import type { ChurnModelTrial } from '@shared/contract/server-socket';
import { DAY_MS, purchaseHistory, REPEAT_PURCHASE_KINDS } from './purchase-history';
import { round, scoresRecord } from './scores-record';
import type { ValueModelFile } from './value-model-file';
import { bookRfm, customerValues, fitValueModelFile, ValueFitError, type CustomerValue, type ValueInput } from './value-scoring';

/**
 * Scores the whole book: reads every customer from the store page by page,
 * trains the churn model on the labelled ones (or takes a stored or given
 * model), fits the value model on the stored transactions, publishes both
 * model files to the change feed, then writes every customer's scores in
 * batches, each carrying the versions of the models that made it.
 *
 * Models go into the feed before the scores, so a desktop never holds a score
 * whose model it has not been sent. Any failure before the first write
 * (a refused model file, a training error) leaves the store untouched: the
 * previous models and scores stay in use.
 */

/** The outcome column the trainer sees; not a feature name. */
export const CHURN_TARGET = 'churned';

/**
 * The heuristic stays in use below this many churned, or this many retained,
 * labelled customers. With fewer, the out-of-fold AUC and calibration the
 * trainer reports (and the early-stopping and calibration choices it makes
 * on held-out folds of 10-20% of the rows) rest on a handful of events, and
 * a model that looks "trained" would be no more trustworthy than the
 * transparent heuristic, which at least says what it is.
 */
export const MIN_LABELS_PER_CLASS = 50;

export { MIN_REASON_WEIGHT } from './scores-record';

const PAGE_SIZE = 1000;
const WRITE_BATCH = 2000;
/** Payments and purchases feed the value model; failed payments the replayed churn signals. Invoices are not needed. */
const TRANSACTION_KINDS: readonly Transaction['kind'][] = [...REPEAT_PURCHASE_KINDS, 'payment_failed'];

export type ChurnSource = 'trained' | 'stored' | 'file' | 'heuristic';
export type ChurnPlan = { mode: 'train' } | { mode: 'stored' } | { mode: 'file'; model: unknown };

export interface ScoreBookOptions {
  /** The day the book is scored as of (YYYY-MM-DD): purchase histories run up to it. */
  asOf: string;
  /** The instant the scores are as of (features, last contact); defaults to now. */
  scoredAt?: string;
  /** Train (default), reuse the stored churn model, or publish a given model file. */
  churn?: ChurnPlan;
  /** Fit the value model afresh (default), or score with the one the store holds. */
  value?: 'fit' | 'stored';
  seed?: number;
  minLabelsPerClass?: number;
  /** The newest share of labelled customers a retrained model is judged on against the one in use (default 0.2). */
  holdoutShare?: number;
  clv?: ClvOptions;
  tiers?: TierConfig;
  pageSize?: number;
  writeBatch?: number;
  now?: () => Date;
  log?: (message: string) => void;
}

export interface ScoreBookSummary {
  customers: number;
  labelled: number;
  churned: number;
  churn: {
    source: ChurnSource;
    modelVersion: string;
    trainedAt: string | null;
    rows: number | null;
    positiveRate: number | null;
    cv: ChurnModel['training']['cv'] | null;
    /** Why the heuristic was used, when it was. */
    reason: string | null;
    /** A retraining: champion and challenger on the time-based holdout, and whether the challenger was published. */
    trial: ChurnModelTrial | null;
  };
  value: { source: 'fitted' | 'stored' | 'heuristic'; modelVersion: string; converged: boolean | null; reason: string | null };
  scoresWritten: number;
  seconds: { read: number; train: number; value: number; score: number; write: number; total: number };
}

/** A problem the operator can act on (a refused model, no usable model); the store was not changed. */
export class ScoringError extends Error {
  override name = 'ScoringError';
}

interface CustomerState {
  id: string;
  features: CustomerFeatureRow;
  label: boolean | null;
  labelAt: string;
  previous: CustomerScores['previousChurn'];
  anchor: LastContactAnchor;
  replayFeatures: CustomerFeatureRow | null;
  heuristic: { current: ChurnScore; replay: number | null } | null;
  monthlyCharge: number;
  value: ValueInput;
}

const seconds = (fromMs: number): number => Math.round(performance.now() - fromMs) / 1000;

/** What scoring the book reads and writes: the customers' scoring inputs and scores, and the model files. */
export type ScoreBookStore = ScoringStore & DocumentStore;

export async function scoreBook(store: ScoreBookStore, options: ScoreBookOptions): Promise<ScoreBookSummary> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const plan = options.churn ?? { mode: 'train' };
  const asOfMs = Date.parse(`${options.asOf}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.asOf) || Number.isNaN(asOfMs)) throw new ScoringError(`as-of date "${options.asOf}" is not a YYYY-MM-DD date`);
  const asOfDay = Math.floor(asOfMs / DAY_MS);
  const scoredAt = options.scoredAt ?? now().toISOString();
  const scoredAtMs = Date.parse(scoredAt);
  if (Number.isNaN(scoredAtMs)) throw new ScoringError(`scoring time "${scoredAt}" is not a date`);
  const minPerClass = options.minLabelsPerClass ?? MIN_LABELS_PER_CLASS;

  // 1. Which churn model scores the book. Nothing is written until every check has passed.
  const churnRegistry = churnModelRegistry();
  const fromStore = await churnRegistry.offerFromStore(store);
  if (fromStore && !fromStore.ok) log(`the stored churn model is unusable: ${fromStore.error}`);
  let storedValue: ValueModelFile | null = null;
  if (options.value === 'stored') {
    const valueRegistry = valueModelRegistry();
    const offered = await valueRegistry.offerFromStore(store);
    if (!offered) throw new ScoringError('the store holds no value model to rescore with; fit one first (run without --rescore)');
    if (!offered.ok) throw new ScoringError(offered.error);
    storedValue = offered.model;
  }
  const counts = await store.churnLabelCounts();
  let source: ChurnSource;
  let heuristicReason: string | null = null;
  if (plan.mode === 'file') {
    const offered = churnRegistry.offer(plan.model);
    if (!offered.ok) throw new ScoringError(offered.error);
    source = 'file';
  } else if (plan.mode === 'stored') {
    if (!churnRegistry.current) throw new ScoringError(fromStore && !fromStore.ok ? fromStore.error : 'the store holds no churn model to rescore with; train one first');
    source = 'stored';
  } else {
    const retained = counts.labelled - counts.churned;
    if (Math.min(counts.churned, retained) < minPerClass) {
      heuristicReason = `${counts.churned} churned and ${retained} retained labelled customers; training needs at least ${minPerClass} of each`;
      log(`heuristic churn scores: ${heuristicReason}`);
      source = 'heuristic';
    } else {
      source = 'trained';
    }
  }

  // 2. Read the book once, keeping only what scoring needs per customer.
  let phase = performance.now();
  const states: (CustomerState | undefined)[] = [];
  const pageSize = options.pageSize ?? PAGE_SIZE;
  let cursor: string | null = null;
  do {
    const page = await store.scoringInputs(cursor, pageSize, { transactionKinds: TRANSACTION_KINDS });
    for (const row of page.rows) {
      const { customer, scores } = row;
      const contactAt = lastContactAt(row.interactions, scoredAtMs);
      const anchor = lastContactAnchor(scores, contactAt);
      const replayProfile = anchor.kind === 'replay' ? profileBeforeContact(customer, row.interactions, row.transactions, anchor.contactAt, scoredAtMs) : null;
      const replayFeatures = replayProfile && anchor.kind === 'replay' ? customerFeatureRow(replayProfile, anchor.contactAt) : null;
      let heuristic: CustomerState['heuristic'] = null;
      if (source === 'heuristic') {
        heuristic = {
          current: heuristicChurn(customer, scoredAt),
          replay: replayProfile && anchor.kind === 'replay' ? heuristicChurn(replayProfile, anchor.contactAt).probability : null,
        };
      }
      states.push({
        id: customer.id,
        features: customerFeatureRow(customer, scoredAt),
        label: row.churnLabel,
        labelAt: customer.accountStatus?.since ?? customer.updatedAt,
        previous: scores ? { probability: scores.churnProbability, at: scores.scoredAt, churnModel: scores.churnModel } : undefined,
        anchor,
        replayFeatures: source === 'heuristic' ? null : replayFeatures,
        heuristic,
        monthlyCharge: customer.plan.monthlyCharge,
        value: { history: purchaseHistory(row.transactions, asOfDay), tenureMonths: customer.plan.tenureMonths },
      });
    }
    cursor = page.nextCursor;
    if (states.length % (pageSize * 20) === 0 && cursor !== null) log(`read ${states.length} customers`);
  } while (cursor !== null);
  const readSeconds = seconds(phase);
  log(`read ${states.length} customers (${counts.labelled} labelled, ${counts.churned} churned) in ${readSeconds} s`);

  // 3. Train when asked and possible.
  phase = performance.now();
  let model: ChurnModel | null = churnRegistry.current;
  let trial: ChurnModelTrial | null = null;
  if (source === 'trained') {
    const labelled: LabelledRow[] = (states as CustomerState[]).filter((s) => s.label !== null).map((s) => ({ features: s.features, label: s.label as boolean, labelAt: s.labelAt }));
    const toRows = (rows: readonly LabelledRow[]) => rows.map((r) => ({ ...r.features, [CHURN_TARGET]: r.label ? 1 : 0 }));
    const champion = model;
    const split = champion ? timeHoldout(labelled, options.holdoutShare ?? 0.2) : null;
    let trained: ChurnModel | null = null;
    try {
      // With a champion, the challenger learns only from labels before the holdout, so the comparison is fair to both.
      trained = trainChurnModel(toRows(split ? split.train : labelled), CHURN_TARGET, { seed: options.seed ?? 0, createdAt: now().toISOString(), onProgress: log });
    } catch (error) {
      if (!champion) throw new ScoringError(`churn model training failed: ${(error as Error).message}; no model is in use`);
      log(`churn challenger training failed: ${(error as Error).message}; model ${champion.modelVersion} stays in use`);
    }
    if (trained && champion && split) {
      trial = judge(champion, trained, split.holdout, now().toISOString(), split.from);
      log(`churn champion ${champion.modelVersion} against challenger ${trained.modelVersion}: ${trial.reason}`);
    } else if (trained) {
      const cv = trained.training.cv;
      trial = { at: now().toISOString(), holdoutRows: 0, holdoutFrom: null, champion: null, challenger: { modelVersion: trained.modelVersion, auc: cv?.auc ?? null, brier: cv?.brier ?? null }, published: true, reason: 'the first trained model (cross-validated figures)' };
    }
    if (trained && trial?.published) {
      // Through the loader exactly as stored, so what desktops receive is what was checked.
      const offered = churnRegistry.offer(JSON.stringify(trained));
      if (!offered.ok) throw new ScoringError(offered.error);
      model = offered.model;
      log(`churn model ${model.modelVersion}: ${JSON.stringify({ rows: model.training.rows, positiveRate: model.training.positiveRate, cv: model.training.cv, learners: model.blend, calibration: model.calibration.kind })}`);
    } else {
      source = 'stored';
    }
  }
  const trainSeconds = seconds(phase);

  // 4. The value model, or the heuristic when the purchase history is too thin.
  phase = performance.now();
  const valueInputs = states.map((s) => (s as CustomerState).value);
  let valueFile: ValueModelFile | null = null;
  let values: CustomerValue[] | null = null;
  let valueReason: string | null = null;
  if (storedValue) {
    valueFile = storedValue;
    values = customerValues(valueInputs, storedValue, 'file');
  } else {
    try {
      ({ file: valueFile, values } = fitValueModelFile(valueInputs, { asOf: options.asOf, createdAt: now().toISOString(), clv: options.clv, tiers: options.tiers }));
    } catch (error) {
      if (!(error instanceof ValueFitError)) throw error;
      valueReason = error.message;
      log(`heuristic value: ${valueReason}`);
    }
    if (valueFile) {
      const offered = valueModelRegistry().offer(JSON.parse(JSON.stringify(valueFile)));
      if (!offered.ok) throw new ScoringError(offered.error);
      log(`value model ${valueFile.modelVersion}: ${JSON.stringify({ bgnbd: valueFile.fit.bgnbd, gammaGamma: valueFile.fit.gammaGamma, tiers: valueFile.tiers, cohort: valueFile.cohort })}`);
    }
  }
  const valueSeconds = seconds(phase);

  // 5. Every customer's scores.
  phase = performance.now();
  const scorer = model && source !== 'heuristic' ? createScorer(model, { topReasons: 3 }) : null;
  const churnOf = (s: CustomerState): ChurnScore => (scorer ? scorer.score(s.features) : (s.heuristic as NonNullable<CustomerState['heuristic']>).current);
  // The heuristic value (small books only) needs every churn probability first, for its tier cut-offs.
  const heuristicValues = values ? null : (states as CustomerState[]).map((s) => heuristicClv(s.monthlyCharge, churnOf(s).probability));
  const heuristicCutoffs = heuristicValues ? tierCutoffs(heuristicValues) : null;
  // With the heuristic value, RFM still comes from the purchase history (it needs no model).
  const rfmWithoutModel = values ? null : bookRfm(valueInputs);
  const rfmOf = (i: number): { rfm: NonNullable<CustomerScores['rfm']>; segment: string } => {
    const value = values?.[i];
    if (value) return { rfm: value.rfm, segment: value.rfmSegment };
    const score = rfmWithoutModel?.[i] as NonNullable<typeof rfmWithoutModel>[number];
    return { rfm: { r: score.recency, f: score.frequency, m: score.monetary }, segment: score.segment };
  };
  const customerCount = states.length;
  let churnVersion = scorer?.modelVersion ?? 'heuristic';
  const all: CustomerScores[] = [];
  for (let i = 0; i < customerCount; i++) {
    const s = states[i] as CustomerState;
    const churn = churnOf(s);
    churnVersion = churn.modelVersion;
    let atLastContact: CustomerScores['churnAtLastContact'] = null;
    if (s.anchor.kind === 'stored') atLastContact = s.anchor.snapshot;
    else if (s.anchor.kind === 'replay') {
      const replayed = scorer && s.replayFeatures ? scorer.score(s.replayFeatures).probability : (s.heuristic?.replay ?? null);
      if (replayed !== null) atLastContact = { probability: round(replayed, 4), at: s.anchor.contactAt, churnModel: churn.modelVersion, replayed: true };
    }
    const value = values?.[i];
    const clv = value ? value.clv : (heuristicValues?.[i] as number);
    const tier = value ? value.valueTier : tierFor(clv, heuristicCutoffs as { high: number; mid: number });
    const rfm = rfmOf(i);
    all.push(scoresRecord({
      customerId: s.id, churn, clv, valueTier: tier, valueModel: valueFile?.modelVersion ?? HEURISTIC_VALUE_VERSION, scoredAt,
      ...(scorer && model ? { churnModelTrainedAt: model.createdAt } : {}),
      churnAtLastContact: atLastContact,
      ...(s.previous ? { previousChurn: s.previous } : {}),
      rfm: { rfm: rfm.rfm, rfmSegment: rfm.segment },
      ...(value ? { lifecycle: { lifecycleStage: value.lifecycleStage, pAlive: value.pAlive } } : {}),
    }));
    // A customer's working state is done with once scored; letting it go keeps the peak near one copy of the book.
    states[i] = undefined;
  }
  const scoreSeconds = seconds(phase);

  // 6. Publish the models, then the scores.
  phase = performance.now();
  if ((source === 'trained' || source === 'file') && model) await store.putModel('churn', model);
  if (trial) await recordChurnTrial(store, trial);
  if (valueFile && !storedValue) await store.putModel('value', valueFile);
  let written = 0;
  const batch = options.writeBatch ?? WRITE_BATCH;
  for (let start = 0; start < all.length; start += batch) {
    written += await store.putScores(all.slice(start, start + batch));
    if ((start / batch) % 10 === 9) log(`wrote ${written} scores`);
  }
  const writeSeconds = seconds(phase);
  log(`wrote ${written} scores in ${writeSeconds} s`);

  const trainedModel = source === 'heuristic' ? null : model;
  return {
    customers: customerCount,
    labelled: counts.labelled,
    churned: counts.churned,
    churn: {
      source,
      modelVersion: churnVersion,
      trainedAt: trainedModel?.createdAt ?? null,
      rows: trainedModel?.training.rows ?? null,
      positiveRate: trainedModel?.training.positiveRate ?? null,
      cv: trainedModel?.training.cv ?? null,
      trial,
      reason: heuristicReason,
    },
    value: {
      source: storedValue ? 'stored' : valueFile ? 'fitted' : 'heuristic',
      modelVersion: valueFile?.modelVersion ?? HEURISTIC_VALUE_VERSION,
      converged: valueFile ? valueFile.fit.bgnbd.converged && valueFile.fit.gammaGamma.converged : null,
      reason: valueReason,
    },
    scoresWritten: written,
    seconds: { read: readSeconds, train: trainSeconds, value: valueSeconds, score: scoreSeconds, write: writeSeconds, total: seconds(started) },
  };
}
