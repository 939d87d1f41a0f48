import { z } from 'zod';
import { scriptProgressSchema } from './playbook';

export const dispositionSchema = z.enum(['retained', 'churned', 'undecided', 'callback', 'not_retention']);
export type Disposition = z.infer<typeof dispositionSchema>;

export const offerOutcomeSchema = z.enum(['accepted', 'declined', 'no_offer']);
export type OfferOutcome = z.infer<typeof offerOutcomeSchema>;

/** What the agent records after a call. Append-only: never edited once saved. */
export const wrapUpSchema = z.object({
  /** Made on the desktop; the server applies each id exactly once. */
  id: z.uuid(),
  callId: z.string().min(1),
  customerId: z.string().min(1),
  agentId: z.string().min(1),
  disposition: dispositionSchema,
  offerId: z.string().nullable(),
  offerOutcome: offerOutcomeSchema,
  notes: z.string().max(10_000),
  summary: z.string().max(4_000),
  /** Who wrote the summary: the agent, or a model (named). */
  summaryAuthor: z.union([z.literal('agent'), z.literal('on-device'), z.string().startsWith('model:')]),
  /** The script the call followed and the steps it reached (absent from desktops before scripts branched). */
  script: scriptProgressSchema.nullable().optional(),
  createdAt: z.string(),
});
export type WrapUp = z.infer<typeof wrapUpSchema>;

/** A wrap-up as the server stores and reports it. */
export const outcomeRecordSchema = wrapUpSchema.extend({
  agentName: z.string(),
  customerName: z.string(),
  valueTier: z.string().nullable(),
  clv: z.number().nullable(),
  receivedAt: z.string(),
  /** The segment routing learnt this outcome in (absent when routing did not count it). */
  routingSegment: z.string().optional(),
  /** The offer segment (value tier:driver) offer learning counts it in. */
  offerSegment: z.string().optional(),
  /** The share of a save routing first counted: 1 or 0, or a claimed save discounted by its segment's verification rate. */
  learntSave: z.number().min(0).max(1).optional(),
});
export type OutcomeRecord = z.infer<typeof outcomeRecordSchema>;
