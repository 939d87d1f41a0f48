import type { AiAuditRecord, AuditSink } from '../ai/index';
import type { LocalCache } from '../cache/local-cache';

/**
 * The AI client's audit sink for the desktop: every model call goes into the
 * user's encrypted cache with the exact redacted payload it sent and that
 * payload's SHA-256. Fields are copied one by one so nothing else the record
 * might grow (a mapping, a key) is ever stored by accident.
 */
export function cacheAuditSink(cache: LocalCache, callIdFor: (record: AiAuditRecord) => string | null): AuditSink {
  return {
    record(entry) {
      if (!cache.isOpen) return;
      cache.aiAudit.insert({
        at: entry.at,
        agentId: entry.agentId,
        callId: callIdFor(entry),
        customerId: entry.customerId,
        purpose: entry.purpose,
        model: entry.model,
        endpointHost: entry.endpointHost,
        payloadSha256: entry.payloadSha256,
        payload: entry.payload,
        tokens: { prompt: entry.tokens.prompt, completion: entry.tokens.completion, total: entry.tokens.total, estimated: entry.tokens.estimated },
        outcome: entry.outcome,
        fallbackReason: entry.fallbackReason,
        attempts: entry.attempts,
        latencyMs: entry.latencyMs,
        firstTokenMs: entry.firstTokenMs,
      });
    },
  };
}
