import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { agentSchema } from '../domain/agent';
import { dispositionSchema, offerOutcomeSchema, wrapUpSchema } from '../domain/wrapup';
import { languageSchema } from '../domain/language';
import { agentRoutingViewSchema, agentsResponseSchema, demoUserSchema, outreachResponseSchema } from './server-http';
import { outreachRevokedSchema, outreachTaskSchema, supervisorStateSchema } from './server-socket';
import { popViewSchema } from './pop';
import { editableFieldSchema } from '../domain/profile-edit';
import { knownNationalIdCountries } from '../domain/national-id-countries';
import { identityActionResultSchema, identityCandidateSchema, identitySourceRecordSchema } from '../domain/identity-candidate';

/**
 * The one contract between the UI and the desktop backend. Electron's preload
 * and the browser-mode web host both expose exactly these methods and events,
 * and both validate inputs with these schemas before calling the services.
 */

export const sessionStateSchema = z.object({
  serverUrl: z.string(),
  user: agentSchema.nullable(),
  demoUsers: z.array(demoUserSchema),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

export const connectionStatusSchema = z.object({
  connection: z.enum(['online', 'connecting', 'offline']),
  outboxPending: z.number().int().nonnegative(),
  sync: z.object({
    phase: z.enum(['idle', 'snapshot', 'changes', 'ready', 'error']),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    message: z.string().nullable(),
  }),
  presence: z.string(),
});
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;

export const saveWrapUpInputSchema = z.object({
  callId: z.string().min(1),
  customerId: z.string().min(1),
  disposition: dispositionSchema,
  offerId: z.string().nullable(),
  offerOutcome: offerOutcomeSchema,
  notes: z.string().max(10_000),
  summary: z.string().max(4_000),
  /**
   * Who wrote the summary. Omitted: the backend decides from the draft it made
   * for this call ('agent' when there was none); see summary-author.ts for the rule.
   */
  summaryAuthor: wrapUpSchema.shape.summaryAuthor.optional(),
});
export type SaveWrapUpInput = z.infer<typeof saveWrapUpInputSchema>;

const none = z.object({}).strict();

const NATIONAL_ID_COUNTRIES: readonly string[] = knownNationalIdCountries();

/** An http(s) URL, or '' for "no model: on-device only". */
const ENDPOINT_URL_MESSAGE = 'must be an http(s) URL such as https://api.openai.com/v1';
const endpointUrlSchema = z
  .string()
  .trim()
  .max(2_000)
  .pipe(z.union([z.literal(''), z.url({ protocol: /^https?$/, message: ENDPOINT_URL_MESSAGE })], { message: ENDPOINT_URL_MESSAGE }))
  // A key in the URL would be shown back on the settings screen and written to the cache.
  .refine((value) => !/^https?:\/\/[^/?#]*@/i.test(value), 'must not hold a user name or password; put the key in the API key field');

/** What the settings screen sends. The key is write-only: it is never sent back. */
export const aiSettingsInputSchema = z
  .object({
    baseUrl: endpointUrlSchema,
    model: z.string().trim().max(200),
    /** A new key to store; absent keeps the stored one. */
    apiKey: z.string().trim().min(1, 'the API key is empty').max(4_000).regex(/^[\x21-\x7e]+$/, 'the API key may hold only printable characters without spaces').optional(),
    /** Removes the stored key. */
    clearKey: z.boolean().optional(),
    /** No first token by then: the on-device brief stays. */
    firstTokenTimeoutMs: z.number().int().min(500, 'at least 0.5 s').max(60_000, 'at most 60 s').default(4_000),
    /** Region for phone numbers written without a country code, in redaction and in checking the model's answer; absent keeps the saved one. */
    redactionRegion: z
      .string()
      .trim()
      .transform((s) => s.toUpperCase())
      .refine((s) => /^[A-Z]{2}$/.test(s) && isSupportedCountry(s), 'must be a two-letter phone region such as US, GB or IL')
      .optional(),
    /** Countries whose national id formats are redacted; absent keeps the saved ones. */
    nationalIdCountries: z
      .array(z.string().transform((s) => s.toUpperCase()).refine((s) => NATIONAL_ID_COUNTRIES.includes(s), `each must be one of ${NATIONAL_ID_COUNTRIES.join(', ')}`))
      .transform((list) => [...new Set(list)])
      .optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.baseUrl !== '' && value.model === '') ctx.addIssue({ code: 'custom', path: ['model'], message: 'a model name is required with an endpoint' });
    if (value.apiKey !== undefined && value.clearKey) ctx.addIssue({ code: 'custom', path: ['clearKey'], message: 'either a new key or clearing it, not both' });
  });
export type AiSettingsInput = z.input<typeof aiSettingsInputSchema>;

export const aiSettingsViewSchema = z.object({
  baseUrl: z.string(),
  model: z.string(),
  firstTokenTimeoutMs: z.number().int(),
  redactionRegion: z.string(),
  nationalIdCountries: z.array(z.string()),
  /** Every country the redactor has national id patterns for, to choose from. */
  nationalIdCountriesAvailable: z.array(z.string()),
  /** Whether a key is stored; the key itself never leaves the backend. */
  hasKey: z.boolean(),
  /** True when briefs and drafts go to the model. */
  configured: z.boolean(),
});
export type AiSettingsView = z.infer<typeof aiSettingsViewSchema>;

export const connectionTestSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number(),
  models: z.array(z.string()),
  modelAvailable: z.boolean().nullable(),
  /** A fixed code (auth-error, network-error, …), never the server's text. */
  failure: z.string().nullable(),
});
export type ConnectionTest = z.infer<typeof connectionTestSchema>;

export const aiAuditRowSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  agentId: z.string(),
  agentName: z.string().nullable(),
  callId: z.string().nullable(),
  customerId: z.string().nullable(),
  /** Looked up in the local cache when listed; never stored with the row. */
  customerName: z.string().nullable(),
  purpose: z.enum(['brief', 'wrapup']),
  model: z.string(),
  endpointHost: z.string(),
  payloadSha256: z.string(),
  payloadBytes: z.number().int(),
  tokens: z.object({ prompt: z.number(), completion: z.number(), total: z.number(), estimated: z.boolean() }),
  outcome: z.enum(['ok', 'fallback']),
  fallbackReason: z.string().nullable(),
  attempts: z.number().int(),
  latencyMs: z.number(),
  firstTokenMs: z.number().nullable(),
});
export type AiAuditRow = z.infer<typeof aiAuditRowSchema>;

export const summaryAuthorSchema = wrapUpSchema.shape.summaryAuthor;

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
  callId: z.string().min(1).max(200),
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

export const briefUpdateSchema = z.object({
  callId: z.string(),
  source: z.enum(['on-device', 'model']),
  model: z.string().nullable(),
  bullets: z.array(z.string()),
  /** False while the model is still writing. */
  done: z.boolean(),
  /** Why the on-device brief is shown (first-token-timeout, server-error, not-configured…), or why a model brief is incomplete. */
  fallbackReason: z.string().nullable(),
  language: languageSchema,
});
export type BriefUpdate = z.infer<typeof briefUpdateSchema>;
export const callPhaseSchema = z.enum(['offered', 'connected', 'wrap_up']);

/** The preview task on offer, and the outbound call opened by accepting one (with the task's why and why now). */
export const outreachStateSchema = z.object({
  open: outreachTaskSchema.nullable(),
  onCall: z.object({ callId: z.string(), task: outreachTaskSchema }).nullable(),
});
export type OutreachState = z.infer<typeof outreachStateSchema>;

/**
 * A supervisor's change to an agent. Only the shape is checked here; the
 * routing server owns the rules (proficiency 1-5, capacity 1-20, each
 * language once, at least one field) and its refusal comes back with the
 * field it names, so the editor can show it there.
 */
export const agentChangesInputSchema = z
  .object({
    languages: z.array(z.object({ code: languageSchema, proficiency: z.number().int() }).strict()).max(50).optional(),
    skills: z.array(z.string().max(200)).max(100).optional(),
    capacity: z.number().int().optional(),
  })
  .strict();
export type AgentChangesInput = z.infer<typeof agentChangesInputSchema>;

/** Save rate of one group of retention outcomes (an agent, an offer or a customer segment). */
export const outcomeGroupSchema = z.object({
  key: z.string(),
  /** A display name where the backend knows one (agent or offer name); segments are named by the UI. */
  label: z.string(),
  calls: z.number().int().nonnegative(),
  saves: z.number().int().nonnegative(),
  /** saves / calls; null without calls. */
  rate: z.number().min(0).max(1).nullable(),
  /** Lifetime value of the customers kept. */
  valueSaved: z.number(),
});
export type OutcomeGroup = z.infer<typeof outcomeGroupSchema>;

export const outcomeBreakdownSchema = z.object({
  /** Retention outcomes counted (wrap-ups marked "not a retention call" are left out). */
  outcomes: z.number().int().nonnegative(),
  /** receivedAt of the oldest outcome counted, or null without any. */
  since: z.string().nullable(),
  valueSaved: z.number(),
  byAgent: z.array(outcomeGroupSchema),
  /** One row per offer made (accepted or declined), plus 'none' for calls without an offer. */
  byOffer: z.array(outcomeGroupSchema.extend({ accepted: z.number().int().nonnegative() })),
  /** Routing's customer segments: value tier x churn band, e.g. "high-medium"; 'unscored' without scores. */
  bySegment: z.array(outcomeGroupSchema),
});
export type OutcomeBreakdown = z.infer<typeof outcomeBreakdownSchema>;
export type CallPhase = z.infer<typeof callPhaseSchema>;
const ok = z.object({ ok: z.literal(true) });
const idSchema = z.string().min(1).max(64);

export const desktopApi = {
  'session.get': { input: none, output: sessionStateSchema },
  'session.login': { input: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }), output: sessionStateSchema },
  'session.logout': { input: none, output: sessionStateSchema },
  'status.get': { input: none, output: connectionStatusSchema },
  'presence.set': { input: z.object({ presence: z.enum(['available', 'away']) }), output: ok },
  'call.accept': { input: z.object({ callId: z.string().min(1) }), output: ok },
  'call.reject': { input: z.object({ callId: z.string().min(1) }), output: ok },
  'call.hangUp': { input: z.object({ callId: z.string().min(1) }), output: ok },
  'call.current': { input: none, output: z.object({ pop: popViewSchema, phase: callPhaseSchema }).nullable() },
  'call.popPainted': { input: z.object({ callId: z.string().min(1) }), output: ok },
  'wrapup.save': { input: saveWrapUpInputSchema, output: z.object({ id: z.string() }) },
  'supervisor.state': { input: none, output: supervisorStateSchema.nullable() },
  'customer.edit': { input: z.object({ customerId: z.string().min(1).max(64), field: editableFieldSchema, value: z.unknown() }), output: ok },
  /** The renderer's i18n language: briefs and drafts are written in it. */
  'ui.setLanguage': { input: z.object({ language: languageSchema }), output: ok },
  'ai.settings.get': { input: none, output: aiSettingsViewSchema },
  'ai.settings.save': { input: aiSettingsInputSchema, output: aiSettingsViewSchema },
  /** Tries the given (unsaved) settings; without a new key, the stored one is used. */
  'ai.testConnection': { input: aiSettingsInputSchema, output: connectionTestSchema },
  'ai.audit.list': { input: z.object({ limit: z.number().int().min(1).max(500).default(100), callId: z.string().min(1).max(200).optional() }).strict(), output: z.array(aiAuditRowSchema) },
  /** The exact redacted request body sent, and whether it still matches its stored hash. */
  'ai.audit.payload': { input: z.object({ id: z.number().int().positive() }).strict(), output: z.object({ id: z.number().int(), payload: z.string(), payloadSha256: z.string(), verified: z.boolean() }) },
  'wrapup.draft': { input: z.object({ callId: z.string().min(1).max(200), notes: z.string().max(10_000), transcript: z.string().max(50_000).optional() }).strict(), output: wrapUpDraftSchema },
  'wrapup.autosave': { input: wrapUpFormSchema, output: ok },
  'wrapup.restore': { input: z.object({ callId: z.string().min(1).max(200) }).strict(), output: savedDraftSchema.nullable() },
  /** Outreach (agents): the preview task on offer and the outbound call in progress. */
  'outreach.current': { input: none, output: outreachStateSchema },
  /** Takes the preview task: the server opens an outbound call and the pop shows that customer, already connected. */
  'outreach.accept': { input: z.object({ taskId: z.string().min(1).max(64) }).strict(), output: z.object({ callId: z.string(), customerId: z.string() }) },
  'outreach.skip': { input: z.object({ taskId: z.string().min(1).max(64), reason: z.string().max(200).optional() }).strict(), output: ok },
  /** The ranked list of customers to call, with what the server left out (counted by rule). */
  'outreach.list': { input: z.object({ limit: z.number().int().min(1).max(500).default(20) }).strict(), output: outreachResponseSchema },
  /** Supervisors: agents with routing attributes, live presence, occupancy and learnt save rates. */
  'agents.list': { input: none, output: agentsResponseSchema },
  'agents.update': { input: z.object({ agentId: z.string().min(1).max(64), changes: agentChangesInputSchema }).strict(), output: agentRoutingViewSchema },
  /** Supervisors: save rate and value saved by agent, offer and segment, from the outcomes this desk has seen. */
  'supervisor.breakdown': { input: none, output: outcomeBreakdownSchema },
  /** Identity: the candidates of the call on screen, named, with how sure and how each matched. */
  'identity.candidates': { input: z.object({ callId: z.string().min(1).max(200) }).strict(), output: z.object({ candidates: z.array(identityCandidateSchema) }) },
  /** The agent says who the caller is: the call binds to that candidate (a confirm decision on the server) and the pop shows them. */
  'identity.pick': { input: z.object({ callId: z.string().min(1).max(200), customerId: idSchema }).strict(), output: z.object({ confirmed: z.boolean() }) },
  'identity.confirm': { input: z.object({ customerId: idSchema }).strict(), output: identityActionResultSchema },
  /** "Merge with…": the first customer keeps its id; the others are absorbed into it. */
  'identity.merge': { input: z.object({ customerIds: z.array(idSchema).min(2).max(20).refine((ids) => new Set(ids).size === ids.length, 'customer ids must differ') }).strict(), output: identityActionResultSchema },
  /** "Not the same person": the named source records leave the profile, for good. */
  'identity.split': { input: z.object({ customerId: idSchema, recordIds: z.array(z.string().min(1).max(200)).min(1).max(200) }).strict(), output: identityActionResultSchema },
  /** Profiles a customer id, phone or account id points at (to merge with). */
  'identity.find': { input: z.object({ query: z.string().trim().min(2).max(100) }).strict(), output: z.object({ candidates: z.array(identityCandidateSchema) }) },
  /** A profile's source records as their systems sent them (to choose which to split off). */
  'identity.records': { input: z.object({ customerId: idSchema }).strict(), output: z.object({ customerId: z.string(), records: z.array(identitySourceRecordSchema) }) },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type DesktopApi = typeof desktopApi;
export type DesktopMethod = keyof DesktopApi;
export type MethodInput<M extends DesktopMethod> = z.input<DesktopApi[M]['input']>;
export type MethodOutput<M extends DesktopMethod> = z.output<DesktopApi[M]['output']>;
export const DESKTOP_METHODS = Object.keys(desktopApi) as DesktopMethod[];

export const desktopEvents = {
  'session.changed': sessionStateSchema,
  'status.changed': connectionStatusSchema,
  'call.offered': popViewSchema,
  'call.updated': z.object({ callId: z.string(), state: z.enum(['connected', 'wrap_up', 'revoked', 'saved']), reason: z.string().optional() }),
  'supervisor.changed': supervisorStateSchema,
  /** The brief on the pop changed: model bullets arriving, or the final (model or on-device) brief. */
  'brief.updated': briefUpdateSchema,
  /** A preview task for this (idle) agent. */
  'outreach.task': outreachTaskSchema,
  /** The task is gone: an inbound call came first, it lapsed, or the agent is no longer free. */
  'outreach.revoked': outreachRevokedSchema,
} as const satisfies Record<string, z.ZodType>;

export type DesktopEvents = typeof desktopEvents;
export type DesktopEventName = keyof DesktopEvents;
export type EventPayload<E extends DesktopEventName> = z.output<DesktopEvents[E]>;
export const DESKTOP_EVENTS = Object.keys(desktopEvents) as DesktopEventName[];

/** What a call across the boundary returns; errors travel as data, not exceptions. */
export type InvokeResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; field?: string } };

/** The object the renderer holds. Both transports implement exactly this. */
export interface HoldfastBridge {
  invoke<M extends DesktopMethod>(method: M, input: MethodInput<M>): Promise<InvokeResult<MethodOutput<M>>>;
  on<E extends DesktopEventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function isDesktopMethod(name: unknown): name is DesktopMethod {
  return typeof name === 'string' && Object.hasOwn(desktopApi, name);
}
export function isDesktopEvent(name: unknown): name is DesktopEventName {
  return typeof name === 'string' && Object.hasOwn(desktopEvents, name);
}
