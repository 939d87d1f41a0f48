import { z } from 'zod';
import { callSchema } from '../domain/call';
import { churnBandSchema, customerProfileSchema, reasonSchema, valueTierSchema } from '../domain/customer';
import { interactionSchema } from '../domain/interaction';
import { languageSchema } from '../domain/language';
import { retentionOfferSchema } from '../domain/offer';

/** A piece of a script line: the script's own words, or a value merged in (field named, e.g. customer.firstName). */
export const mergedPartSchema = z.object({ text: z.string(), field: z.string().nullable() });

/** The script on the pop: the steps in the agent's language, the step the call is on, and the scripts it may switch to. */
export const popScriptSchema = z.object({
  scriptId: z.string(),
  name: z.string(),
  /** The playbook version the script comes from. */
  version: z.number().int().nonnegative(),
  /** The language the "say" lines are in: the caller's, where the playbook has it. */
  spokenLanguage: z.string(),
  steps: z.array(z.object({
    id: z.string(),
    title: z.string(),
    say: z.array(mergedPartSchema),
    /** Offers presented at this step ("best" is the top-ranked one). */
    offerIds: z.array(z.string()),
    answers: z.array(z.object({ id: z.string(), label: z.string(), next: z.string().nullable(), outcome: z.enum(['saved', 'lost']).nullable() })),
  })),
  /** Steps reached, in order; the last is the step the call is on. */
  path: z.array(z.string()).min(1),
  /** Set once an answer ended the script. */
  ended: z.object({ answerId: z.string(), outcome: z.enum(['saved', 'lost']).nullable() }).nullable(),
  /** Every script, the best fit first; the agent may switch to any. */
  alternatives: z.array(z.object({ scriptId: z.string(), name: z.string(), fits: z.boolean() })),
});
export type PopScript = z.infer<typeof popScriptSchema>;

/** Everything the agent sees when a call rings, assembled from the local cache. */
export const popViewSchema = z.object({
  call: callSchema,
  reservationDeadline: z.number(),
  match: z.object({
    method: z.string(),
    confidence: z.number(),
    candidates: z.array(z.object({ customerId: z.string(), name: z.string(), confidence: z.number() })),
  }),
  customer: customerProfileSchema.nullable(),
  risk: z
    .object({
      probability: z.number(),
      band: churnBandSchema,
      reasons: z.array(reasonSchema),
      modelVersion: z.string(),
      /** True while the transparent heuristic stands in for a trained model. */
      heuristic: z.boolean(),
      /** The probability at the customer's last contact, for the trend since then. */
      atLastContact: z.object({ probability: z.number(), at: z.string(), churnModel: z.string().optional() }).nullable().optional(),
    })
    .nullable(),
  value: z
    .object({
      clv: z.number(),
      tier: valueTierSchema,
      valueAtRisk: z.number(),
      modelVersion: z.string(),
      rfmSegment: z.string().nullable().optional(),
      rfm: z.object({ r: z.number(), f: z.number(), m: z.number() }).nullable().optional(),
      lifecycleStage: z.string().nullable().optional(),
      pAlive: z.number().nullable().optional(),
      /** The CLV horizon in months, from the value model file this desktop holds; null when it holds none (the heuristic's 12). */
      horizonMonths: z.number().positive().nullable().optional(),
      /** Value at risk is P(churn) x CLV: the churn model's part of it. */
      churnModelVersion: z.string().optional(),
      /** Percent of the book in the high and mid tiers, from the value model file; null when unknown. */
      tierShares: z.object({ high: z.number(), mid: z.number() }).nullable().optional(),
    })
    .nullable(),
  /** The model versions this desktop holds (each file checked by its own loader on arrival); null for a kind not yet received. */
  models: z.object({ churn: z.string().nullable(), value: z.string().nullable() }).optional(),
  script: popScriptSchema.nullable(),
  offers: z.array(
    z.object({
      offer: retentionOfferSchema, expectedAcceptance: z.number(), made: z.number(), accepted: z.number(),
      /** The offer the server's learner chose for this customer (first in the list). */
      recommended: z.boolean().optional(),
    }),
  ),
  timeline: z.array(interactionSchema),
  /** Every offer's name in the agent's language, by id, for the offers named in the timeline. */
  offerNames: z.record(z.string(), z.string()).optional(),
  summary: z.object({
    source: z.enum(['on-device', 'model']),
    model: z.string().nullable(),
    bullets: z.array(z.string()),
    /** pending: the model was asked and has not answered yet; streaming: its bullets are arriving. */
    status: z.enum(['pending', 'streaming', 'done']).optional(),
    fallbackReason: z.string().nullable().optional(),
    language: languageSchema.optional(),
  }),
});
export type PopView = z.infer<typeof popViewSchema>;
