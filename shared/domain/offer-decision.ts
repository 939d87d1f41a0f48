import { z } from 'zod';

/**
 * One offer decision as the learner made it for a call, with its propensity:
 * the log a candidate policy is evaluated from off-policy.
 */
export const offerDecisionSchema = z.object({
  callId: z.string().min(1),
  customerId: z.string().min(1),
  /** The offer segment (value tier:driver). */
  segment: z.string(),
  clv: z.number(),
  /** Every arm the choice was made among ('none' first), with what it costs. */
  arms: z.array(z.object({ id: z.string(), cost: z.number() })).min(1),
  /** The chosen arm: an offer id, or 'none'. */
  arm: z.string(),
  /** The probability the policy had of choosing this arm here. */
  propensity: z.number().positive().max(1),
  explored: z.boolean(),
  decidedAt: z.string(),
});
export type OfferDecision = z.infer<typeof offerDecisionSchema>;
