import { createHash } from 'node:crypto';

export type AiPurpose = 'brief' | 'wrapup';

export interface TokenUsage {
  readonly prompt: number;
  readonly completion: number;
  readonly total: number;
  /** True when the endpoint reported no usage and these are estimates. */
  readonly estimated: boolean;
}

/** One model call, as the compliance view ("What the AI saw") shows it. */
export interface AiAuditRecord {
  /** When the call started (ISO). */
  readonly at: string;
  readonly agentId: string;
  readonly customerId: string | null;
  readonly purpose: AiPurpose;
  readonly model: string;
  /** Host of the endpoint only (no path, no query, no key). */
  readonly endpointHost: string;
  /** SHA-256 (hex) of `payload`. */
  readonly payloadSha256: string;
  /** The exact, redacted request body sent to the endpoint. */
  readonly payload: string;
  readonly tokens: TokenUsage;
  readonly outcome: 'ok' | 'fallback';
  readonly fallbackReason: string | null;
  readonly attempts: number;
  readonly latencyMs: number;
  readonly firstTokenMs: number | null;
}

/** Implemented by the host (the encrypted local store in the desktop app). */
export interface AuditSink {
  record(entry: AiAuditRecord): void | Promise<void>;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * Rough token count for endpoints that report no usage: about four characters
 * per token for alphabetic scripts, one per CJK character.
 */
export function estimateTokens(text: string): number {
  let wide = 0;
  let other = 0;
  for (const ch of text) {
    if (WIDE.test(ch)) wide++;
    else other++;
  }
  return wide + Math.ceil(other / 4);
}

export function endpointHost(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return 'invalid-url';
  }
}
