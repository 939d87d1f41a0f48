import type { OfferNamer } from '@shared/summary/index';
import type { CustomerProfile } from '@shared/domain/customer';
import type { Interaction } from '@shared/domain/interaction';
import type { Language } from '@shared/domain/language';
import type { BriefFacts, TranscriptTurn, WrapUpDraft } from '@shared/summary/index';
import type { Random } from '@shared/util/random';
import type { AuditSink } from './audit';
import type { AiClientConfigInput } from './config';
import type { CallFailure } from './model-call';

/** The AI client's public shapes: what it is given, what it streams, and what it answers. */

export type FallbackReason = CallFailure | 'not-configured' | 'empty-output' | 'malformed-stream';

export interface BriefResult {
  readonly source: 'model' | 'on-device';
  /** The model that wrote it; null on-device. */
  readonly model: string | null;
  readonly language: Language;
  /** Restored and checked lines, at most five. */
  readonly bullets: readonly string[];
  /** The on-device facts, always computed (the UI can show numbers from them). */
  readonly facts: BriefFacts;
  /** Why the on-device brief was used, or why a model brief is incomplete. */
  readonly fallbackReason: FallbackReason | null;
  readonly cached: boolean;
  /** The model stream broke after some bullets had arrived; those are kept. */
  readonly truncated: boolean;
  /** Model lines rejected by the output checks. */
  readonly droppedLines: number;
  /** Stream chunks that were not valid JSON and were skipped. */
  readonly skippedChunks: number;
}

export type BriefEvent =
  | { readonly type: 'bullet'; readonly index: number; readonly text: string; readonly source: 'model' | 'on-device' }
  | { readonly type: 'done'; readonly result: BriefResult };

export interface AiCallContext {
  readonly agentId: string;
  /** The agent's UI language: the brief is written in it. */
  readonly language: Language;
  /** Names offers in that language for the on-device brief (the playbook's words); without it, offer ids. */
  readonly offerName?: OfferNamer;
}

export interface WrapUpRequest {
  readonly customer: CustomerProfile;
  readonly notes: string;
  readonly transcript?: readonly TranscriptTurn[];
  /** ISO; relative dates in the notes count from it. */
  readonly now: string;
}

export type WrapUpResult = WrapUpDraft & { readonly model: string | null; readonly fallbackReason: FallbackReason | null };

export type ConnectionTestResult =
  | { readonly ok: true; readonly latencyMs: number; readonly models: readonly string[]; readonly modelAvailable: boolean | null }
  | { readonly ok: false; readonly latencyMs: number; readonly failure: CallFailure | 'not-configured' };

/** Only fixed event names and non-identifying numbers and codes are passed; never text, keys or payloads. */
export interface AiLogger {
  info(event: string, fields: Readonly<Record<string, string | number | boolean | null>>): void;
  warn(event: string, fields: Readonly<Record<string, string | number | boolean | null>>): void;
}

export interface AiClientDependencies {
  /** Null when no endpoint is configured: everything is on-device. */
  readonly config: AiClientConfigInput | null;
  readonly audit: AuditSink;
  readonly logger?: AiLogger;
  readonly now?: () => number;
  /** Backoff jitter; defaults to a stream seeded from the clock, since decorrelating clients is its purpose. */
  readonly random?: Random;
  /** For tests and proxies. */
  readonly fetch?: typeof fetch;
}

export interface AiClient {
  /** Bullets as they pass the checks, then `done`. Attaches to a prefetch for the same history. */
  streamBrief(customer: CustomerProfile, history: readonly Interaction[], context: AiCallContext): AsyncIterable<BriefEvent>;
  getBrief(customer: CustomerProfile, history: readonly Interaction[], context: AiCallContext, onBullet?: (text: string) => void): Promise<BriefResult>;
  /** Starts the brief when a call is offered, so it is ready (or under way) when the agent answers. */
  prefetchBrief(customer: CustomerProfile, history: readonly Interaction[], context: AiCallContext): void;
  draftWrapUp(request: WrapUpRequest, context: AiCallContext): Promise<WrapUpResult>;
  /** For the settings screen: lists models at the endpoint. */
  testConnection(): Promise<ConnectionTestResult>;
  clearCache(): void;
  /** Stops calls in flight (app shutdown). */
  dispose(): void;
}
