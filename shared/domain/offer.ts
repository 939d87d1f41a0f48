import { z } from 'zod';
import { churnDriverSchema, valueTierSchema } from './customer';

/** A retention offer from the catalogue. */
export const retentionOfferSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** Cost to the business per month, in the account currency. */
  monthlyCost: z.number().nonnegative(),
  durationMonths: z.number().int().positive(),
  drivers: z.array(churnDriverSchema),
  /** The lowest value tier the offer may be made to. */
  minTier: valueTierSchema,
  /** Plans (by name) the offer may be made on; absent: every plan. */
  plans: z.array(z.string()).optional(),
  /** The name and description in the other playbook languages (name and description above are English). */
  translations: z.partialRecord(z.enum(['he', 'ru', 'zh']), z.object({ name: z.string().trim().min(1), description: z.string().trim().min(1) }).strict()).optional(),
});
export type RetentionOffer = z.infer<typeof retentionOfferSchema>;

/** A step of the first (legacy, English-only) script format. */
export const scriptStepSchema = z.object({ title: z.string(), say: z.string() });

/** A retention script of the first format, one per churn driver; migrated on read (see shared/playbook/migrate). */
export const retentionScriptSchema = z.object({
  driver: churnDriverSchema,
  opening: z.string(),
  steps: z.array(scriptStepSchema),
});
export type RetentionScript = z.infer<typeof retentionScriptSchema>;
