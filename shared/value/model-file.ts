import { z } from 'zod';
import { transactionSchema } from '../domain/interaction';
import { valueModelSchema, valueModelVersion } from './model';

/**
 * The value model as published to desktops (putModel('value', ...)): the
 * BG/NBD + Gamma-Gamma parameters with everything needed to read the scores
 * it made: which transactions counted as purchases, the CLV conventions, and
 * the tier cut-offs. Checked with zod and against its own fingerprint, so a
 * damaged file is refused rather than half-used.
 */
export const VALUE_MODEL_FILE_SCHEMA_VERSION = 1;

/** CLV counts 52 weekly steps a year (clv.ts), so a month of horizon is 52/12 weeks. */
export const CLV_WEEKS_PER_MONTH = 52 / 12;

/** The horizon as people state it, in months (to a tenth). */
export const horizonMonths = (horizonWeeks: number): number => Math.round((horizonWeeks / CLV_WEEKS_PER_MONTH) * 10) / 10;

export const valueModelFileSchema = z.object({
  schemaVersion: z.literal(VALUE_MODEL_FILE_SCHEMA_VERSION),
  kind: z.literal('value'),
  modelVersion: z.string().min(1),
  createdAt: z.string().min(1),
  /** The day the purchase histories were summarised up to (YYYY-MM-DD). */
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  repeatPurchaseKinds: z.array(transactionSchema.shape.kind).min(1),
  clv: z.object({ margin: z.number().min(0).max(1), annualDiscountRate: z.number().min(0), horizonWeeks: z.number().positive() }),
  /** Smallest CLV of each tier; null when no customer reached it. */
  tiers: z.object({ highShare: z.number().min(0).max(1), midShare: z.number().min(0).max(1), highMin: z.number().nullable(), midMin: z.number().nullable() }),
  fit: valueModelSchema,
  cohort: z.object({ customers: z.int().min(0), repeatBuyers: z.int().min(0), withoutPurchases: z.int().min(0) }),
});
export type ValueModelFile = z.infer<typeof valueModelFileSchema>;

export type ValueModelLoadResult = { ok: true; model: ValueModelFile } | { ok: false; error: string };

/** Parses and checks a value model file (JSON text or an object). Never throws. */
export function loadValueModelFile(input: unknown): ValueModelLoadResult {
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (error) {
      return { ok: false, error: `value model file is not valid JSON: ${(error as Error).message}` };
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, error: 'value model file must hold a JSON object' };
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (version !== VALUE_MODEL_FILE_SCHEMA_VERSION) {
    return { ok: false, error: `unsupported value model schema version ${JSON.stringify(version)} (this build reads version ${VALUE_MODEL_FILE_SCHEMA_VERSION})` };
  }
  const parsed = valueModelFileSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    return { ok: false, error: `invalid value model file: ${issues.join('; ')}` };
  }
  const file = parsed.data;
  const expected = valueModelVersion(file.fit.bgnbd, file.fit.gammaGamma);
  if (file.fit.modelVersion !== expected || file.modelVersion !== expected) {
    return { ok: false, error: `invalid value model file: version "${file.modelVersion}" does not match its parameters (expected "${expected}")` };
  }
  if (file.tiers.highShare + file.tiers.midShare > 1) return { ok: false, error: 'invalid value model file: tiers.highShare + tiers.midShare exceed 1' };
  return { ok: true, model: file };
}
