import { z } from 'zod';
import { agentLanguageSchema, agentSchema, presenceSchema, roleSchema } from '../domain/agent';
import { intentSchema } from '../domain/call';
import { languageSchema } from '../domain/language';
import { outreachReasonSchema } from './server-socket';

/** HTTP API of the routing server: request and response bodies. */

export const loginRequestSchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** A short-lived access token, and a refresh token that works once (each refresh answers a new pair). */
export const loginResponseSchema = z.object({
  token: z.string(),
  agent: agentSchema,
  expiresAt: z.string(),
  refreshToken: z.string(),
  refreshExpiresAt: z.string(),
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/** Single sign-on: where the browser comes back to (a loopback URL), and the one-time code it brings. */
export const oidcStartQuerySchema = z.object({ returnTo: z.string().min(1).max(2048) });
export const oidcExchangeRequestSchema = z.object({ code: z.string().min(1).max(256) });
/** The query parameters the browser comes back to `returnTo` with: a one-time code, or an error and its description. */
export const OIDC_RETURN_PARAMS = { code: 'signin_code', error: 'signin_error', description: 'signin_error_description' } as const;

export const refreshRequestSchema = z.object({ refreshToken: z.string().min(1).max(256) });

/** With the current password; also how a one-time password is replaced ('password_change_required'). */
export const changePasswordRequestSchema = loginRequestSchema.extend({ newPassword: z.string().min(1).max(256) });

/** What an admin sees of an account. */
export const accountViewSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
});
export type AccountView = z.infer<typeof accountViewSchema>;

export const addAccountRequestSchema = z.object({
  username: z.string().min(1).max(64),
  displayName: z.string().min(1).max(100),
  role: roleSchema,
  languages: z.array(agentLanguageSchema).min(1).optional(),
  skills: z.array(z.string().min(1).max(40)).max(20).optional(),
});

/** An account with the one-time password it was given (shown once; changed at first sign-in). */
export const accountWithPasswordSchema = z.object({ account: accountViewSchema, oneTimePassword: z.string() });

export const demoUserSchema = z.object({
  username: z.string(),
  password: z.string(),
  displayName: z.string(),
  role: roleSchema,
  languages: z.array(languageSchema),
});
export type DemoUser = z.infer<typeof demoUserSchema>;

export const serverInfoSchema = z.object({
  name: z.literal('holdfast-routing-server'),
  version: z.string(),
  demoMode: z.boolean(),
  demoUsers: z.array(demoUserSchema),
  /** Sign-in through the company's OpenID provider, when the server offers it: the button's label. */
  oidc: z.object({ label: z.string() }).nullable().default(null),
});
export type ServerInfo = z.infer<typeof serverInfoSchema>;

/** Call ids travel in URLs: letters, digits and . _ : - only. */
export const callIdSchema = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'use letters, digits and . _ : - only');

export const createCallRequestSchema = z.object({
  /** The telephony platform's own call id; the server makes one when absent. A repeat is refused (409 duplicate_call). */
  callId: callIdSchema.optional(),
  callerNumber: z.string().trim().min(3).max(32),
  accountId: z.string().trim().min(1).max(64).optional(),
  language: languageSchema.default('en'),
  intent: intentSchema.default('general'),
});
export type CreateCallRequest = z.input<typeof createCallRequestSchema>;

export const createCallResponseSchema = z.object({
  callId: z.string(),
  customerId: z.string().nullable(),
  state: z.string(),
});
export type CreateCallResponse = z.infer<typeof createCallResponseSchema>;

export const errorResponseSchema = z.object({
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

export const healthResponseSchema = z.object({ ok: z.literal(true) });

/** The state of a call after an end, abandon or transfer. */
export const callActionResponseSchema = z.object({ callId: z.string(), state: z.string() });
export type CallActionResponse = z.infer<typeof callActionResponseSchema>;

/** Back to the queue, away from the agent who had it; optionally to another language or skill. */
export const transferCallRequestSchema = z.object({
  language: languageSchema.optional(),
  skill: z.string().trim().min(1).max(64).optional(),
});
export type TransferCallRequest = z.infer<typeof transferCallRequestSchema>;

/**
 * What the phone system tells the server about a call, on
 * `POST /api/calls/:id/events` (telephony key): the agent's phone ringing,
 * answered, not answered (or busy, or rejected: the call goes to the next
 * agent), the call ended (by whom), the caller hung up while waiting, or a
 * transfer (back to the queue, or out of Holdfast).
 */
export const telephonyEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ringing') }),
  z.object({ type: z.literal('answered') }),
  z.object({ type: z.enum(['no_answer', 'busy', 'rejected', 'failed']) }),
  z.object({ type: z.literal('ended'), by: z.enum(['caller', 'agent', 'system']).default('system') }),
  z.object({ type: z.literal('abandoned') }),
  /** to "queue" (the default): back to the queue for another agent; "out": to a number outside Holdfast, so the call ends here. */
  z.object({ type: z.literal('transferred'), to: z.enum(['queue', 'out']).default('queue'), language: languageSchema.optional(), skill: z.string().trim().min(1).max(64).optional() }),
]);
export type TelephonyEvent = z.infer<typeof telephonyEventSchema>;
export type TelephonyEventInput = z.input<typeof telephonyEventSchema>;

/** What routing has learnt about one agent in one customer segment (Beta-Binomial posterior). */
export const agentSegmentStatSchema = z.object({
  segment: z.string(),
  calls: z.number().int().nonnegative(),
  /** Posterior mean save probability. */
  estimate: z.number(),
  /** What an agent with no history in the segment is predicted. */
  priorMean: z.number(),
});

/** An agent as a supervisor manages them: routing attributes, live presence and learnt save rates. */
/** An agent's phone: a SIP URI (sip:1001@pbx.example.com) or an extension (digits, *, #, +). */
export const phoneAddressSchema = z.string().trim().max(200).regex(
  /^(?:sips?:[^\s<>"]+@[^\s<>"]+|[0-9*#+]{1,32})$/,
  'a SIP URI (sip:user@host) or an extension (digits, * # +)',
);

export const agentRoutingViewSchema = agentSchema.extend({
  capacity: z.number().int().min(1),
  /** Where telephony sends the agent's calls (SIP URI or extension); null when none is set. */
  phoneAddress: z.string().nullable().optional(),
  presence: presenceSchema,
  presenceSince: z.string().nullable(),
  /** Share of recent time with a call (exponentially weighted). */
  occupancy: z.number().min(0).max(1),
  currentCallIds: z.array(z.string()),
  learnt: z.array(agentSegmentStatSchema),
});
export type AgentRoutingView = z.infer<typeof agentRoutingViewSchema>;
export const agentsResponseSchema = z.object({ agents: z.array(agentRoutingViewSchema) });

/**
 * An agent signed in and ready (pressed Go ready; may be on a call now), as
 * telephony may see them: no name or account, only what routing matches a
 * call on. Each language comes with the intents the agent is routed in it
 * (proficiency at the intent's queue minimum and every skill it needs).
 */
export const readyAgentSchema = z.object({
  id: z.string(),
  presence: presenceSchema,
  languages: z.array(z.object({ code: languageSchema, intents: z.array(intentSchema) })),
});
export type ReadyAgent = z.infer<typeof readyAgentSchema>;
export const readyAgentsResponseSchema = z.object({ agents: z.array(readyAgentSchema) });
export type ReadyAgentsResponse = z.infer<typeof readyAgentsResponseSchema>;

export const updateAgentRequestSchema = z
  .object({
    languages: z
      .array(agentLanguageSchema)
      .min(1)
      .max(20)
      .refine((list) => new Set(list.map((l) => l.code)).size === list.length, 'each language at most once')
      .optional(),
    skills: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
    /** Concurrent calls (offered, on call or in wrap-up) the agent can hold. */
    capacity: z.number().int().min(1).max(20).optional(),
    /** Where telephony sends the agent's calls: a SIP URI or an extension; null clears it. */
    phoneAddress: phoneAddressSchema.nullable().optional(),
    /** The team the agent sits in (the review's team cut); null takes them out of any team. */
    team: z.string().trim().min(1, 'a team name, or null for none').max(100).nullable().optional(),
  })
  .strict()
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'send at least one of languages, skills, capacity, phoneAddress, team');
export type UpdateAgentRequest = z.infer<typeof updateAgentRequestSchema>;

export const outreachQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(20) });

export const outreachItemSchema = z.object({
  customerId: z.string(),
  customerName: z.string(),
  phone: z.string().nullable(),
  score: z.number(),
  valueAtRisk: z.number(),
  churnRisk: z.number().nullable(),
  language: languageSchema.nullable(),
  timezone: z.string(),
  localTime: z.string(),
  attempts: z.number().int().nonnegative(),
  lastContactAt: z.string().nullable(),
  whyThisCustomer: z.array(outreachReasonSchema),
  whyNow: z.array(outreachReasonSchema),
});
export type OutreachListItem = z.infer<typeof outreachItemSchema>;

export const outreachResponseSchema = z.object({
  generatedAt: z.string(),
  items: z.array(outreachItemSchema),
  /** Candidates left out, counted by rule (do_not_call, outside_calling_hours, max_attempts, cool_off, ...). */
  skipped: z.record(z.string(), z.number().int().nonnegative()),
});
export type OutreachResponse = z.infer<typeof outreachResponseSchema>;

/**
 * Why a token or a socket handshake is refused (the HTTP error code, or the handshake error's
 * message). token_expired: refresh and retry. token_revoked, account_disabled, unauthorized: the
 * session is over, sign in again. unavailable: the server could not check (its store failed), retry later.
 */
export const authRefusalSchema = z.enum(['token_expired', 'token_revoked', 'account_disabled', 'unauthorized', 'unavailable']);
export type AuthRefusal = z.infer<typeof authRefusalSchema>;

/** POST /api/customers/events: billing's account events, each id applied once. */
export const accountEventsBodySchema = z.object({
  events: z.array(z.unknown()).min(1, 'send at least one event').max(5000, 'at most 5000 events per request'),
});
export const accountEventErrorSchema = z.object({
  /** The event's place in the batch, 1-based. */
  line: z.number().int().positive(),
  eventId: z.string().nullable(),
  field: z.string().nullable(),
  reason: z.string(),
});
export type AccountEventError = z.infer<typeof accountEventErrorSchema>;
export const accountEventsResponseSchema = z.object({
  applied: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  changedCustomers: z.array(z.string()),
  errors: z.array(accountEventErrorSchema),
});
export type AccountEventsResponse = z.infer<typeof accountEventsResponseSchema>;
