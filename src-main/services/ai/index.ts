/**
 * The desktop backend's client for an OpenAI-compatible endpoint.
 *
 *   const ai = createAiClient({ config: { baseURL, model, apiKey }, audit: sink });
 *   ai.prefetchBrief(customer, history, { agentId, language });        // when the call is offered
 *   for await (const e of ai.streamBrief(customer, history, ctx)) ...  // bullets, then done
 *   await ai.draftWrapUp({ customer, notes, now }, ctx);
 *   await ai.testConnection();                                           // settings screen
 *
 * Falls back to the on-device brief and drafter (source: 'on-device') when the endpoint is
 * slow, failing or not configured. Every call is written to the AuditSink with the exact
 * redacted payload and its SHA-256.
 */
export {
  createAiClient,
  type AiClient,
  type AiClientDependencies,
  type AiCallContext,
  type AiLogger,
  type BriefEvent,
  type BriefResult,
  type ConnectionTestResult,
  type FallbackReason,
  type WrapUpRequest,
  type WrapUpResult,
} from './ai-client';
export { aiClientConfigSchema, parseAiClientConfig, type AiClientConfig, type AiClientConfigInput } from './config';
export { type AuditSink, type AiAuditRecord, type AiPurpose, type TokenUsage, sha256Hex, estimateTokens } from './audit';
export { type CallFailure } from './model-call';
export { briefCacheKey } from './history-key';
