import { z } from 'zod';
import { agentStatusSchema } from '../domain/agent';
import { callSchema } from '../domain/call';
import { languageSchema } from '../domain/language';
import type { wrapUpSchema } from '../domain/wrap-up';
import { outcomeRecordSchema } from '../domain/wrap-up';
import type { changesPageSchema, ChangesAvailable } from './sync';
import type { profileEditSchema } from '../domain/profile-edit';

/**
 * socket.io events between the routing server and a desktop backend.
 * Every payload a peer receives is parsed with these schemas first; a wrong
 * shape is answered with an error ack and changes nothing.
 */

/** The match method of a call an agent placed from an outreach task (no caller to resolve: the customer is known). */
export const OUTREACH_MATCH_METHOD = 'outreach';

/** The offer the learner chose for a call: an offer id or 'none', the probability it had of choosing it, and whether it explored. */
export const offerChoiceSchema = z.object({ arm: z.string(), propensity: z.number().positive().max(1), explored: z.boolean() });
export type OfferChoiceView = z.infer<typeof offerChoiceSchema>;

export const callOfferSchema = z.object({
  call: callSchema,
  /** ms since epoch: when the reservation lapses and the call is re-offered. */
  reservationDeadline: z.number(),
  /** How the server resolved the caller, for the pop. */
  match: z.object({
    method: z.string(),
    confidence: z.number().min(0).max(1),
    candidates: z.array(z.object({ customerId: z.string(), confidence: z.number() })),
  }),
  /** When the server sent this offer (ms since epoch, sub-ms precision), for delivery-latency measurement. */
  offeredAt: z.number().optional(),
  /** The retention offer the learner chose for this customer ('none': make no offer), with its propensity. */
  offerDecision: offerChoiceSchema.optional(),
});
export type CallOffer = z.infer<typeof callOfferSchema>;

/** Save rate of one routing arm with its 95% Wilson interval. */
export const armSummarySchema = z.object({
  calls: z.number().int().nonnegative(),
  saves: z.number().int().nonnegative(),
  rate: z.number().min(0).max(1),
  ci95: z.tuple([z.number(), z.number()]),
});

/**
 * Baseline (longest-idle) versus predictive routing, measured on retention
 * wrap-ups of the calls each arm routed: save rate per arm and the difference
 * (policy - baseline) with a 95% Newcombe interval.
 */
export const upliftReportSchema = z.object({
  policy: armSummarySchema,
  baseline: armSummarySchema,
  difference: z.number(),
  differenceCi95: z.tuple([z.number(), z.number()]),
  method: z.literal('newcombe-wilson'),
  policyBetter: z.boolean(),
  baselineBetter: z.boolean(),
});
export type UpliftReportPayload = z.infer<typeof upliftReportSchema>;

const saveFiguresSchema = z.object({
  attempts: z.number().int().nonnegative(),
  claimedSaves: z.number().int().nonnegative(),
  horizons: z.array(z.object({ days: z.number().int().positive(), stayed: z.number().int().nonnegative(), left: z.number().int().nonnegative(), tooEarly: z.number().int().nonnegative() })),
});
export const verifiedFiguresSchema = z.object({
  learnHorizonDays: z.number().int().positive(),
  overall: saveFiguresSchema,
  byAgent: z.record(z.string(), saveFiguresSchema),
  verificationRate: z.object({ resolved: z.number().int().nonnegative(), verified: z.number().int().nonnegative() }),
});
export type VerifiedFigures = z.infer<typeof verifiedFiguresSchema>;

const modelFiguresSchema = z.object({ modelVersion: z.string(), auc: z.number().nullable(), brier: z.number().nullable() });
/** One retraining of the churn model: the champion and challenger on the time-based holdout, and whether the challenger was published. */
export const churnModelTrialSchema = z.object({
  at: z.string(),
  holdoutRows: z.number().int().nonnegative(),
  /** When the newest labels (the holdout) begin. */
  holdoutFrom: z.string().nullable(),
  /** Null for the first model (nothing to compare with). */
  champion: modelFiguresSchema.nullable(),
  challenger: modelFiguresSchema,
  published: z.boolean(),
  reason: z.string(),
});
export type ChurnModelTrial = z.infer<typeof churnModelTrialSchema>;
export const churnModelReviewSchema = z.object({ trials: z.array(churnModelTrialSchema) });
export type ChurnModelReview = z.infer<typeof churnModelReviewSchema>;

export const supervisorStateSchema = z.object({
  agents: z.array(agentStatusSchema),
  queue: z.array(callSchema),
  outcomes: z.array(outcomeRecordSchema),
  saveRate: z.object({ saves: z.number().int(), attempts: z.number().int() }),
  /** Baseline versus predictive routing (absent from servers that do not measure it). */
  uplift: upliftReportSchema.optional(),
  /** Claimed saves against what billing's account events verified, at each horizon (absent from servers that do not verify). */
  verified: verifiedFiguresSchema.optional(),
  /** The churn model's retrainings, newest first: champion and challenger figures on the time-based holdout. */
  churnModels: churnModelReviewSchema.optional(),
});
export type SupervisorState = z.infer<typeof supervisorStateSchema>;

export const ackErrorSchema = z.object({ ok: z.literal(false), error: z.string(), message: z.string() });
export type AckError = z.infer<typeof ackErrorSchema>;
export type Ack<T> = ({ ok: true } & T) | AckError;

export const presenceRequestSchema = z.object({ presence: z.enum(['available', 'away']) });
export const callRefSchema = z.object({ callId: z.string().min(1).max(64) });
export const pullChangesSchema = z.object({ afterSeq: z.number().int().nonnegative(), limit: z.number().int().positive().max(5000).optional() });
export const wrapUpAckSchema = z.object({ id: z.string(), duplicate: z.boolean() });

/** A batch from a desktop's outbox, in write order. Entries are checked one by one, so one bad entry cannot sink the rest. */
export const outboxBatchSchema = z.object({
  entries: z.array(z.object({ kind: z.enum(['wrapup', 'profile_edit']), payload: z.unknown() })).min(1).max(500),
});
export const outboxResultSchema = z.object({
  id: z.string(),
  status: z.enum(['applied', 'duplicate', 'rejected']),
  /** Why an entry was rejected, as a code (e.g. clock_ahead, not_your_call); message says it in English. */
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type OutboxResult = z.infer<typeof outboxResultSchema>;

/** A reason shown to the agent: a code (for translation) and an English text. */
export const outreachReasonSchema = z.object({ code: z.string(), text: z.string() });

/**
 * A preview task for an idle agent: an outbound retention call to a customer
 * at risk, with why this customer and why now. The agent accepts (the server
 * opens an outbound call and records the attempt) or skips it. An inbound
 * offer revokes an open task: inbound calls always come first.
 */
export const outreachTaskSchema = z.object({
  taskId: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  phone: z.string().nullable(),
  language: languageSchema.nullable(),
  valueAtRisk: z.number(),
  churnRisk: z.number().min(0).max(1).nullable(),
  /** The customer's local time (HH:MM) and timezone. */
  localTime: z.string(),
  timezone: z.string(),
  whyThisCustomer: z.array(outreachReasonSchema),
  whyNow: z.array(outreachReasonSchema),
  /** ms since epoch: the task lapses unless accepted by then. */
  deadline: z.number(),
});
export type OutreachTask = z.infer<typeof outreachTaskSchema>;

export const outreachRevokedSchema = z.object({
  taskId: z.string(),
  /** inbound: an inbound call was offered; timeout: not answered in time; unavailable: the agent is no longer free. */
  reason: z.enum(['inbound', 'timeout', 'unavailable']),
});
export const outreachTaskRefSchema = z.object({ taskId: z.string().min(1).max(64) });
export const outreachSkipSchema = outreachTaskRefSchema.extend({ reason: z.string().max(200).optional() });
/** The outbound call opened by accepting a task; its wrap-up is an ordinary one with this call id. */
export const outreachAcceptResultSchema = z.object({ taskId: z.string(), callId: z.string(), customerId: z.string() });

/** no_answer: the agent accepted but their phone did not answer (or rejected it): it went to the next agent. */
export const callRevokedSchema = z.object({ callId: z.string().min(1), reason: z.enum(['timeout', 'abandoned', 'taken', 'no_answer']) });
export const callEndedSchema = z.object({ callId: z.string().min(1), by: z.enum(['caller', 'agent', 'system']).optional() });
/**
 * The phone line of an accepted call, as the phone system reports it (only
 * with a phone system attached): ringing on the agent's phone, connected
 * (the agent's phone answered), ended (by the caller, the agent or the system),
 * or transferred by the agent: back to the queue, or out to a number outside Holdfast.
 */
export const callLineSchema = z.object({
  callId: z.string().min(1),
  status: z.enum(['ringing', 'connected', 'ended', 'transferred', 'transferred_out']),
  endedBy: z.enum(['caller', 'agent', 'system']).nullable(),
});
export type CallLine = z.infer<typeof callLineSchema>;
export const presenceChangedSchema = z.object({ presence: z.string(), since: z.string() });

export interface ServerToDesktopEvents {
  'call:offered': (offer: CallOffer) => void;
  'call:revoked': (payload: z.infer<typeof callRevokedSchema>) => void;
  'call:ended': (payload: z.infer<typeof callEndedSchema>) => void;
  'call:line': (payload: CallLine) => void;
  'presence:changed': (payload: z.infer<typeof presenceChangedSchema>) => void;
  /** The change feed moved: the changes themselves when few, else a nudge to pull what follows the desktop's last seq. */
  'feed:changed': (payload: ChangesAvailable) => void;
  'supervisor:changed': (state: SupervisorState) => void;
  'supervisor:outcomeAdded': (outcome: z.infer<typeof outcomeRecordSchema>) => void;
  /** A preview task while the agent is idle and no inbound call waits for them. */
  'outreach:offered': (task: OutreachTask) => void;
  'outreach:revoked': (payload: z.infer<typeof outreachRevokedSchema>) => void;
}

export interface DesktopToServerEvents {
  'presence:set': (payload: z.input<typeof presenceRequestSchema>, ack: (res: Ack<{ presence: string }>) => void) => void;
  'call:accept': (payload: z.input<typeof callRefSchema>, ack: (res: Ack<{ callId: string }>) => void) => void;
  'call:reject': (payload: z.input<typeof callRefSchema>, ack: (res: Ack<{ callId: string }>) => void) => void;
  'call:hangUp': (payload: z.input<typeof callRefSchema>, ack: (res: Ack<{ callId: string }>) => void) => void;
  'wrapUp:submit': (payload: z.input<typeof wrapUpSchema>, ack: (res: Ack<z.infer<typeof wrapUpAckSchema>>) => void) => void;
  'feed:pull': (payload: z.input<typeof pullChangesSchema>, ack: (res: Ack<z.infer<typeof changesPageSchema>>) => void) => void;
  'outbox:submit': (payload: z.input<typeof outboxBatchSchema>, ack: (res: Ack<{ results: OutboxResult[] }>) => void) => void;
  'profile:edit': (payload: z.input<typeof profileEditSchema>, ack: (res: Ack<{ applied: boolean }>) => void) => void;
  'supervisor:subscribe': (payload: Record<string, never>, ack: (res: Ack<{ state: SupervisorState }>) => void) => void;
  'outreach:accept': (payload: z.input<typeof outreachTaskRefSchema>, ack: (res: Ack<z.infer<typeof outreachAcceptResultSchema>>) => void) => void;
  'outreach:skip': (payload: z.input<typeof outreachSkipSchema>, ack: (res: Ack<{ taskId: string }>) => void) => void;
}
