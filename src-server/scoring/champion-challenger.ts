import { brierScore, createScorer, rocAuc, type ChurnModel, type CustomerFeatureRow } from '@shared/churn';
import type { ChurnModelReview, ChurnModelTrial } from '@shared/contract/server-socket';
import type { DocumentStore } from '../store/roles/document-store';

/**
 * Champion and challenger for the churn model. A retrained model (the
 * challenger) is trained on the labels known before a cut-off and judged,
 * with the model in use (the champion), on the labels that came after it:
 * the newest share of labelled customers by the time their label became
 * known. It is published only if its AUC is no lower and its Brier score no
 * higher than the champion's there; otherwise the champion stays. Both
 * models' figures are kept (a server-private document) for supervisors.
 */
export interface LabelledRow {
  features: CustomerFeatureRow;
  label: boolean;
  /** When the label became known (the account event), else when the profile last changed. */
  labelAt: string;
}

export const CHURN_REVIEW_DOCUMENT = 'churn-model-review';
const KEPT_TRIALS = 20;
/** Fewer churned or fewer retained in the holdout than this and the figures mean little: the champion stays. */
export const MIN_HOLDOUT_PER_CLASS = 5;

/** The labelled rows split by time: the oldest (1 − share) to train on, the newest share to judge on. */
export function timeHoldout(rows: readonly LabelledRow[], share: number): { train: LabelledRow[]; holdout: LabelledRow[]; from: string | null } {
  const ordered = [...rows].sort((a, b) => (a.labelAt < b.labelAt ? -1 : a.labelAt > b.labelAt ? 1 : 0));
  const cut = Math.max(0, Math.min(ordered.length, Math.floor(ordered.length * (1 - share))));
  return { train: ordered.slice(0, cut), holdout: ordered.slice(cut), from: ordered[cut]?.labelAt ?? null };
}

export function holdoutFigures(model: ChurnModel, holdout: readonly LabelledRow[]): { modelVersion: string; auc: number; brier: number } {
  const scorer = createScorer(model, { topReasons: 0 });
  const labels = holdout.map((r) => (r.label ? 1 : 0));
  const probabilities = holdout.map((r) => scorer.score(r.features).probability);
  return { modelVersion: model.modelVersion, auc: rocAuc(labels, probabilities), brier: brierScore(labels, probabilities) };
}

/** Whether the challenger may replace the champion, and why. */
export function judge(champion: ChurnModel, challenger: ChurnModel, holdout: readonly LabelledRow[], at: string, holdoutFrom: string | null): ChurnModelTrial {
  const churned = holdout.filter((r) => r.label).length;
  const base = { at, holdoutRows: holdout.length, holdoutFrom };
  if (churned < MIN_HOLDOUT_PER_CLASS || holdout.length - churned < MIN_HOLDOUT_PER_CLASS) {
    return { ...base, champion: { modelVersion: champion.modelVersion, auc: null, brier: null }, challenger: { modelVersion: challenger.modelVersion, auc: null, brier: null }, published: false,
      reason: `the holdout has ${churned} churned and ${holdout.length - churned} retained; at least ${MIN_HOLDOUT_PER_CLASS} of each are needed to compare, so the champion stays` };
  }
  const a = holdoutFigures(champion, holdout);
  const b = holdoutFigures(challenger, holdout);
  const noWorse = b.auc >= a.auc && b.brier <= a.brier;
  return {
    ...base, champion: a, challenger: b, published: noWorse,
    reason: noWorse
      ? `the challenger is no worse on the holdout (AUC ${b.auc.toFixed(4)} ≥ ${a.auc.toFixed(4)}, Brier ${b.brier.toFixed(4)} ≤ ${a.brier.toFixed(4)})`
      : `the challenger is worse on the holdout (AUC ${b.auc.toFixed(4)} vs ${a.auc.toFixed(4)}, Brier ${b.brier.toFixed(4)} vs ${a.brier.toFixed(4)}); the champion stays`,
  };
}

export async function readChurnReview(store: Pick<DocumentStore, 'document'>): Promise<ChurnModelReview> {
  const doc = (await store.document(CHURN_REVIEW_DOCUMENT)) as ChurnModelReview | null;
  return doc && Array.isArray(doc.trials) ? doc : { trials: [] };
}

export async function recordChurnTrial(store: Pick<DocumentStore, 'document' | 'putDocument'>, trial: ChurnModelTrial): Promise<void> {
  const review = await readChurnReview(store);
  await store.putDocument(CHURN_REVIEW_DOCUMENT, { trials: [trial, ...review.trials].slice(0, KEPT_TRIALS) } satisfies ChurnModelReview);
}
