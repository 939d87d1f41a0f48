import { z } from 'zod';
import { languageSchema } from '@shared/domain/language';

/**
 * The events the routing engine accepts. Each is validated with zod at the
 * boundary; the server passes what it received from sockets, telephony and its
 * own reservation timers straight in.
 */
const idSchema = z.string().min(1).max(200);
const timeMsSchema = z.number().finite().nonnegative();
const proficiencySchema = z.number().int().min(1).max(5);

export const agentLoginEventSchema = z.object({
  type: z.literal('agentLogin'),
  agentId: idSchema,
  /** Spoken languages with proficiency 1 (basic) .. 5 (native). */
  languages: z
    .partialRecord(languageSchema, proficiencySchema)
    .refine((langs) => Object.keys(langs).length > 0, 'an agent needs at least one language'),
  skills: z.array(idSchema).max(100).default([]),
  /** Maximum concurrent calls (reserved + connected + in wrap-up). */
  capacity: z.number().int().min(1).max(100).default(1),
  /** Presence right after login. */
  presence: z.enum(['available', 'away']).default('available'),
});

export const agentLogoutEventSchema = z.object({ type: z.literal('agentLogout'), agentId: idSchema });

export const agentPresenceEventSchema = z.object({
  type: z.literal('agentPresence'),
  agentId: idSchema,
  presence: z.enum(['available', 'away']),
});

export const callArrivedEventSchema = z.object({
  type: z.literal('callArrived'),
  callId: idSchema,
  language: languageSchema,
  intent: z.string().min(1).max(200),
  requiredSkills: z.array(idSchema).max(20).default([]),
  customerId: z.string().max(200),
  /** Key into the agent x segment outcome history, e.g. "high/medium/he". */
  segment: z.string().min(1).max(200),
  churnRisk: z.number().min(0).max(1),
  clv: z.number().finite().nonnegative(),
  valueAtRisk: z.number().finite().nonnegative(),
  /** When the caller joined the queue (ms since epoch); drives aging. */
  arrivedAt: timeMsSchema,
  /** Queue whose configuration applies; defaults to the intent when such a queue exists. */
  queue: idSchema.optional(),
});

const callAgentFields = { callId: idSchema, agentId: idSchema };

export const offerAcceptedEventSchema = z.object({ type: z.literal('offerAccepted'), ...callAgentFields });
export const offerRejectedEventSchema = z.object({ type: z.literal('offerRejected'), ...callAgentFields });
export const reservationExpiredEventSchema = z.object({ type: z.literal('reservationExpired'), ...callAgentFields });
export const callConnectedEventSchema = z.object({ type: z.literal('callConnected'), ...callAgentFields });
/**
 * The agent accepted, but their phone never answered (no answer, busy, rejected, unreachable):
 * the call goes back to the queue without that agent, who is set as after a reject.
 */
export const connectFailedEventSchema = z.object({ type: z.literal('connectFailed'), ...callAgentFields });

export const callEndedEventSchema = z.object({
  type: z.literal('callEnded'),
  callId: idSchema,
  agentId: idSchema.optional(),
});

export const wrapUpDoneEventSchema = z.object({
  type: z.literal('wrapUpDone'),
  agentId: idSchema,
  /** Which wrap-up finished; the oldest one when omitted. */
  callId: idSchema.optional(),
});

export const callAbandonedEventSchema = z.object({ type: z.literal('callAbandoned'), callId: idSchema });

export const callTransferredEventSchema = z.object({
  type: z.literal('callTransferred'),
  callId: idSchema,
  agentId: idSchema.optional(),
  /** Replaces the call's required skills with this one skill. */
  targetSkill: idSchema.optional(),
  /** Replaces the call's language. */
  targetLanguage: languageSchema.optional(),
});

export const routingEventSchema = z.discriminatedUnion('type', [
  agentLoginEventSchema,
  agentLogoutEventSchema,
  agentPresenceEventSchema,
  callArrivedEventSchema,
  offerAcceptedEventSchema,
  offerRejectedEventSchema,
  reservationExpiredEventSchema,
  callConnectedEventSchema,
  connectFailedEventSchema,
  callEndedEventSchema,
  wrapUpDoneEventSchema,
  callAbandonedEventSchema,
  callTransferredEventSchema,
]);

export type RoutingEvent = z.infer<typeof routingEventSchema>;
/** What callers may pass (fields with defaults may be omitted). */
export type RoutingEventInput = z.input<typeof routingEventSchema>;
export type RoutingEventType = RoutingEvent['type'];
export type AgentLoginEvent = z.infer<typeof agentLoginEventSchema>;
export type CallArrivedEvent = z.infer<typeof callArrivedEventSchema>;

export const outcomeSchema = z.object({
  agentId: idSchema,
  segment: z.string().min(1).max(200),
  /** Whether the customer was kept, or the chance they were (a claim not yet verified). */
  saved: z.union([z.boolean(), z.number().min(0).max(1)]),
});
export type Outcome = z.infer<typeof outcomeSchema>;

/** Turns zod issues into one line that names the offending fields. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(event)'}: ${issue.message}`)
    .join('; ');
}
