import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { knownNationalIdCountries } from '../../domain/national-id-countries';
import { isLoopbackHostname } from '../../util/loopback';
import { none } from './shared';

const NATIONAL_ID_COUNTRIES: readonly string[] = knownNationalIdCountries();

/** The host of a plain http URL as written (no user info: refused below), without its port; '' when there is none. */
function plainHttpHost(value: string): string | null {
  const authority = /^http:\/\/([^/?#]*)/i.exec(value)?.[1];
  if (authority === undefined) return null;
  return authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.replace(/:\d*$/, '');
}

/**
 * An https URL, an http URL to this machine only (localhost, 127.0.0.0/8,
 * ::1: a model served locally), or '' for "no model: on-device only". The
 * API key and the redacted call data go to this URL.
 */
const ENDPOINT_URL_MESSAGE = 'must be an http(s) URL such as https://api.openai.com/v1';
const PLAIN_HTTP_MESSAGE = 'http:// is not encrypted, so it is allowed only to this machine (localhost, 127.0.0.1, ::1); use https://';
const endpointUrlSchema = z
  .string()
  .trim()
  .max(2_000)
  .pipe(z.union([z.literal(''), z.url({ protocol: /^https?$/, message: ENDPOINT_URL_MESSAGE })], { message: ENDPOINT_URL_MESSAGE }))
  // A key in the URL would be shown back on the settings screen and written to the cache.
  .refine((value) => !/^https?:\/\/[^/?#]*@/i.test(value), 'must not hold a user name or password; put the key in the API key field')
  .refine((value) => {
    const host = plainHttpHost(value);
    return host === null || isLoopbackHostname(host);
  }, PLAIN_HTTP_MESSAGE);

/** What the settings screen sends. The key is write-only: it is never sent back. */
export const aiSettingsInputSchema = z
  .object({
    baseUrl: endpointUrlSchema,
    model: z.string().trim().max(200),
    /** A new key to store; absent keeps the stored one if the URL is unchanged, and removes it if the URL changed. */
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

export const aiMethods = {
  'ai.settings.get': { input: none, output: aiSettingsViewSchema },
  'ai.settings.save': { input: aiSettingsInputSchema, output: aiSettingsViewSchema },
  /** Tries the given (unsaved) settings; without a new key, the stored one is used only if the URL is the saved one. */
  'ai.testConnection': { input: aiSettingsInputSchema, output: connectionTestSchema },
  'ai.audit.list': { input: z.object({ limit: z.number().int().min(1).max(500).default(100), callId: z.string().min(1).max(200).optional() }).strict(), output: z.array(aiAuditRowSchema) },
  /** The exact redacted request body sent, and whether it still matches its stored hash. */
  'ai.audit.payload': { input: z.object({ id: z.number().int().positive() }).strict(), output: z.object({ id: z.number().int(), payload: z.string(), payloadSha256: z.string(), verified: z.boolean() }) },
} as const;
