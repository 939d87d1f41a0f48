import { z } from 'zod';
import { dispositionSchema, offerOutcomeSchema, wrapUpSchema } from '../../domain/wrap-up';
import { callIdSchema, ok } from './shared';

export const summaryAuthorSchema = wrapUpSchema.shape.summaryAuthor;

/** A wrap-up as the agent saves it: the backend adds its id, the agent and the time. */
export const saveWrapUpInputSchema = wrapUpSchema
  .pick({ callId: true, customerId: true, disposition: true, offerId: true, offerOutcome: true, notes: true, summary: true })
  .extend({
    /**
     * Who wrote the summary. Omitted: the backend decides from the draft it made
     * for this call ('agent' when there was none); see summary-author.ts for the rule.
     */
    summaryAuthor: summaryAuthorSchema.optional(),
  });
export type SaveWrapUpInput = z.infer<typeof saveWrapUpInputSchema>;

export const followUpViewSchema = z.object({ kind: z.string(), text: z.string(), due: z.string().nullable(), amount: z.string().nullable() });

export const wrapUpDraftSchema = z.object({
  source: z.enum(['on-device', 'model']),
  model: z.string().nullable(),
  /** 'on-device' or 'model:<name>': what the saved wrap-up records if the agent keeps (or edits) it. */
  author: summaryAuthorSchema,
  summary: z.string(),
  disposition: dispositionSchema,
  confidence: z.enum(['high', 'medium', 'low']),
  cue: z.string(),
  followUps: z.array(followUpViewSchema),
  fallbackReason: z.string().nullable(),
  createdAt: z.string(),
});
export type WrapUpDraftView = z.infer<typeof wrapUpDraftSchema>;

/** The wrap-up form as typed so far; saved every few seconds and restored after a crash or reload. */
export const wrapUpFormSchema = z.object({
  callId: callIdSchema,
  disposition: dispositionSchema,
  offerId: z.string().max(200).nullable(),
  offerOutcome: offerOutcomeSchema,
  notes: z.string().max(10_000),
  summary: z.string().max(4_000),
  followUps: z.string().max(4_000),
  transcript: z.string().max(50_000),
});
export type WrapUpForm = z.infer<typeof wrapUpFormSchema>;

export const savedDraftSchema = z.object({ form: wrapUpFormSchema.nullable(), draft: wrapUpDraftSchema.nullable(), updatedAt: z.string() });
export type SavedDraft = z.infer<typeof savedDraftSchema>;

export const wrapUpMethods = {
  'wrapUp.save': { input: saveWrapUpInputSchema, output: z.object({ id: z.string() }) },
  'wrapUp.draft': { input: z.object({ callId: callIdSchema, notes: z.string().max(10_000), transcript: z.string().max(50_000).optional() }).strict(), output: wrapUpDraftSchema },
  'wrapUp.autosave': { input: wrapUpFormSchema, output: ok },
  'wrapUp.restore': { input: z.object({ callId: callIdSchema }).strict(), output: savedDraftSchema.nullable() },
} as const;
