import { z } from 'zod';
import { retentionOfferSchema, retentionScriptSchema } from './offer';

/** The retention playbook: its offers and the scripts agents follow. */
export const playbookSchema = z.object({
  version: z.string(),
  offers: z.array(retentionOfferSchema).min(1),
  scripts: z.array(retentionScriptSchema).min(1),
});
export type Playbook = z.infer<typeof playbookSchema>;

/** Acceptance counts for one offer in one segment, learnt from wrap-ups. */
export const offerStatSchema = z.object({
  offerId: z.string(),
  segment: z.string(),
  made: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
});
export type OfferStat = z.infer<typeof offerStatSchema>;
