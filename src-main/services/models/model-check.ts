import { z } from 'zod';
import { loadChurnModel } from '@shared/churn';
import { horizonMonths, loadValueModelFile } from '@shared/value/model-file';

/**
 * What the desktop accepts from the server's model feed. Every file is read
 * with the same strict loader the server checked it with (shared/churn
 * model-file, shared/value model-file), so a file damaged in transit or
 * written by a build this desktop cannot read is refused here, and the model
 * already held stays in use. Only a short summary is kept beside the file: it
 * is what the pop's tooltips and the status line show.
 */

export const activeModelSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('churn'),
    modelVersion: z.string().min(1),
    createdAt: z.string(),
    receivedAt: z.string(),
    rows: z.int().positive(),
    cvAuc: z.number(),
    calibration: z.enum(['platt', 'isotonic']),
  }),
  z.object({
    kind: z.literal('value'),
    modelVersion: z.string().min(1),
    createdAt: z.string(),
    receivedAt: z.string(),
    /** CLV horizon, in whole months as the UI states it. */
    horizonMonths: z.number().positive(),
    margin: z.number().min(0).max(1),
    annualDiscountRate: z.number().min(0),
    tierShares: z.object({ high: z.number(), mid: z.number() }),
  }),
]);
export type ActiveModel = z.infer<typeof activeModelSchema>;

export const modelRefusalSchema = z.object({ kind: z.string(), error: z.string(), at: z.string(), kept: z.string().nullable() });
export type ModelRefusal = z.infer<typeof modelRefusalSchema>;

export const MODEL_KINDS = ['churn', 'value'] as const;

export type ModelCheck = { ok: true; active: ActiveModel } | { ok: false; error: string };

/** Checks one model file from the feed. Never throws; the error names the problem and never holds customer data (model files hold none). */
export function checkModelFile(kind: string, input: unknown, receivedAt: string): ModelCheck {
  if (kind === 'churn') {
    const loaded = loadChurnModel(input);
    if (!loaded.ok) return loaded;
    const m = loaded.model;
    return {
      ok: true,
      active: { kind: 'churn', modelVersion: m.modelVersion, createdAt: m.createdAt, receivedAt, rows: m.training.rows, cvAuc: m.training.cv.auc, calibration: m.calibration.kind },
    };
  }
  if (kind === 'value') {
    const loaded = loadValueModelFile(input);
    if (!loaded.ok) return loaded;
    const m = loaded.model;
    return {
      ok: true,
      active: {
        kind: 'value', modelVersion: m.modelVersion, createdAt: m.createdAt, receivedAt,
        horizonMonths: horizonMonths(m.clv.horizonWeeks),
        margin: m.clv.margin, annualDiscountRate: m.clv.annualDiscountRate,
        tierShares: { high: m.tiers.highShare, mid: m.tiers.midShare },
      },
    };
  }
  return { ok: false, error: `unknown model kind "${kind.slice(0, 64)}" (this build reads ${MODEL_KINDS.join(', ')})` };
}

/** One line for the status bar: which model was refused and that the previous one stays. */
export function describeRefusal(refusal: ModelRefusal): string {
  const keeping = refusal.kept ? `model ${refusal.kept} stays in use` : 'no model of this kind is in use';
  return `A ${refusal.kind} model from the server was refused (${refusal.error}); ${keeping}.`;
}
