import { z } from 'zod';
import type { ClvOptions, TierConfig } from '@shared/value';
import { CLV_WEEKS_PER_MONTH } from '@shared/value/model-file';

/**
 * The value model's business settings, as an operator states them: the CLV
 * horizon in months, the margin kept on revenue, the annual discount rate,
 * and the value-tier shares as percentages (high/mid/low, e.g. 20/30/50).
 * Read from HOLDFAST_CLV_* / HOLDFAST_VALUE_TIERS by the server and from
 * flags by `npm run train`; the fitted value model file records them, so
 * desktops show the horizon that made each CLV.
 */


export const tierSharesSchema = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?\/\d+(\.\d+)?(\/\d+(\.\d+)?)?$/, 'value tiers must be percentages high/mid/low, e.g. 20/30/50')
  .transform((text, ctx) => {
    const [high, mid, low] = text.split('/').map(Number) as [number, number, number | undefined];
    const rest = 100 - high - mid;
    if (rest < -1e-9) ctx.addIssue({ code: 'custom', message: `value tiers ${text}: high and mid shares add up to more than 100%` });
    else if (low !== undefined && Math.abs(low - rest) > 1e-6) ctx.addIssue({ code: 'custom', message: `value tiers ${text}: the three shares must add up to 100%` });
    return { high, mid };
  });

export const valueConfigSchema = z.object({
  horizonMonths: z.coerce.number({ error: 'the CLV horizon must be a number of months' }).positive('the CLV horizon must be positive').max(600, 'the CLV horizon is at most 600 months').default(12),
  margin: z.coerce.number({ error: 'the margin must be a number' }).min(0, 'the margin must be between 0 and 1').max(1, 'the margin must be between 0 and 1').default(0.3),
  discountRate: z.coerce.number({ error: 'the discount rate must be a number' }).min(0, 'the discount rate must not be negative').max(10, 'the discount rate is a yearly fraction (0.1 = 10%), at most 10').default(0.1),
  /** Percent of customers in the high and mid tiers; the rest are low. */
  tiers: z.object({ high: z.number().min(0).max(100), mid: z.number().min(0).max(100) })
    .refine((t) => t.high + t.mid <= 100, 'high and mid tier shares add up to more than 100%')
    .default({ high: 20, mid: 30 }),
});
export type ValueConfigInput = z.input<typeof valueConfigSchema>;
export type ValueConfig = z.output<typeof valueConfigSchema>;

/** What scoreBook takes. */
export function valueOptions(config: ValueConfig): { clv: ClvOptions; tiers: TierConfig } {
  return {
    clv: { horizonWeeks: config.horizonMonths * CLV_WEEKS_PER_MONTH, margin: config.margin, annualDiscountRate: config.discountRate },
    tiers: { highShare: config.tiers.high / 100, midShare: config.tiers.mid / 100 },
  };
}

/** HOLDFAST_CLV_HORIZON_MONTHS, HOLDFAST_CLV_MARGIN, HOLDFAST_CLV_DISCOUNT_RATE and HOLDFAST_VALUE_TIERS (e.g. 20/30/50). */
export function valueConfigFromEnv(pick: (name: string) => string | undefined): ValueConfigInput | undefined {
  const horizonMonths = pick('CLV_HORIZON_MONTHS');
  const margin = pick('CLV_MARGIN');
  const discountRate = pick('CLV_DISCOUNT_RATE');
  const tiers = pick('VALUE_TIERS');
  if (horizonMonths === undefined && margin === undefined && discountRate === undefined && tiers === undefined) return undefined;
  let parsedTiers: { high: number; mid: number } | undefined;
  if (tiers !== undefined) {
    const parsed = tierSharesSchema.safeParse(tiers);
    if (!parsed.success) throw new Error(`HOLDFAST_VALUE_TIERS: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    parsedTiers = parsed.data;
  }
  return {
    ...(horizonMonths !== undefined ? { horizonMonths } : {}),
    ...(margin !== undefined ? { margin } : {}),
    ...(discountRate !== undefined ? { discountRate } : {}),
    ...(parsedTiers ? { tiers: parsedTiers } : {}),
  } as ValueConfigInput;
}
