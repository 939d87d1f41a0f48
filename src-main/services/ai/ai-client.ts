import OpenAI from 'openai';
import type { CustomerProfile } from '@shared/domain/customer';
import type { Interaction } from '@shared/domain/interaction';
import { BriefLineValidator, buildBriefPrompt, buildWrapUpPrompt, createOutputGuard, parseWrapUpOutput, type ChatMessage } from '@shared/ai/index';
import { createRedactor, redactionProfileFromCustomer, restoreForDisplay } from '@shared/redaction/index';
import {
  type FollowUp,
  type WrapUpDraft,
  classifyFollowUp,
  draftWrapUp as draftOnDevice,
  summarizeHistory,
} from '@shared/summary/index';
import { createRandom } from '@shared/util/random';
import { type AiAuditRecord, type AiPurpose, type TokenUsage, endpointHost, estimateTokens, sha256Hex } from './audit';
import { ExpiringLru } from './brief-cache';
import { type AiClientConfig, parseAiClientConfig } from './config';
import { briefCacheKey } from './history-key';
import { type CallEnvironment, type CallFailure, type CallStats, jsonChatCompletion, streamChatCompletion } from './model-call';
import type { AiCallContext, AiClient, AiClientDependencies, AiLogger, BriefEvent, BriefResult, ConnectionTestResult, FallbackReason, WrapUpRequest, WrapUpResult } from './ai-types';
import { BriefRun } from './brief-run';

export type * from './ai-types';


const NO_LOG: AiLogger = { info: () => undefined, warn: () => undefined };


function messagesText(messages: readonly ChatMessage[]): string {
  return messages.map((m) => m.content).join('\n');
}

function tokensOf(stats: CallStats | null, messages: readonly ChatMessage[], completionText: string): TokenUsage {
  if (stats?.usage) return { ...stats.usage, estimated: false };
  const prompt = estimateTokens(messagesText(messages));
  const completion = estimateTokens(completionText);
  return { prompt, completion, total: prompt + completion, estimated: true };
}

export function createAiClient(deps: AiClientDependencies): AiClient {
  const config: AiClientConfig | null = deps.config === null ? null : parseAiClientConfig(deps.config);
  const now = deps.now ?? (() => Date.now());
  const logger = deps.logger ?? NO_LOG;
  const random = deps.random ?? createRandom(Date.now() >>> 0);
  const shutdown = new AbortController();
  const openai = config
    ? new OpenAI({
        baseURL: config.baseURL,
        // The SDK insists on a key; local servers ignore this one.
        apiKey: config.apiKey && config.apiKey.length > 0 ? config.apiKey : 'not-set',
        maxRetries: 0,
        timeout: Math.max(config.requestTimeoutMs, config.jsonTimeoutMs),
        logLevel: 'off',
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      })
    : null;
  const env: CallEnvironment | null =
    config && openai
      ? {
          client: openai,
          policy: { maxAttempts: config.maxAttempts, baseBackoffMs: config.baseBackoffMs, maxBackoffMs: config.maxBackoffMs, maxRetryAfterMs: config.maxRetryAfterMs },
          random,
          now,
          signal: shutdown.signal,
        }
      : null;
  const cache = new ExpiringLru<BriefResult>(config?.cacheMaxEntries ?? 1, config?.cacheTtlMs ?? 1, now);
  const inFlight = new Map<string, BriefRun>();
  const redactor = createRedactor({
    defaultRegion: config?.region ?? 'US',
    ...(config?.nationalIdCountries ? { nationalIdCountries: config.nationalIdCountries } : {}),
  });

  async function writeAudit(record: AiAuditRecord): Promise<void> {
    try {
      await deps.audit.record(record);
    } catch {
      logger.warn('ai.audit.failed', { purpose: record.purpose });
    }
  }

  function onDeviceResult(history: readonly Interaction[], { language, offerName }: AiCallContext, reason: FallbackReason, counts: { dropped: number; skipped: number }): BriefResult {
    const brief = summarizeHistory(history, language, offerName);
    return {
      source: 'on-device',
      model: null,
      language,
      bullets: brief.bullets.map((b) => b.text),
      facts: brief.facts,
      fallbackReason: reason,
      cached: false,
      truncated: false,
      droppedLines: counts.dropped,
      skippedChunks: counts.skipped,
    };
  }

  function emitOnDevice(run: BriefRun, result: BriefResult): void {
    result.bullets.forEach((text, index) => run.emit({ type: 'bullet', index, text, source: 'on-device' }));
    run.emit({ type: 'done', result });
  }

  async function runBrief(run: BriefRun, key: string, customer: CustomerProfile, history: readonly Interaction[], context: AiCallContext): Promise<void> {
    const language = context.language;
    if (!config || !env) {
      emitOnDevice(run, onDeviceResult(history, context, 'not-configured', { dropped: 0, skipped: 0 }));
      return;
    }
    const profile = redactionProfileFromCustomer(customer);
    const session = redactor.createSession(profile);
    const prompt = buildBriefPrompt({ customer, history, language, session, maxInteractions: config.maxInteractions });
    const body: Record<string, unknown> = {
      model: config.model,
      messages: prompt.messages,
      stream: true,
      temperature: config.temperature,
      max_tokens: config.maxTokens,
      ...(config.includeUsage ? { stream_options: { include_usage: true } } : {}),
    };
    const payload = JSON.stringify(body);
    const validator = new BriefLineValidator(createOutputGuard(prompt.mapping, { region: config.region, profile }));
    let completionText = '';
    let emitted = 0;
    const emitBullets = (bullets: string[]): void => {
      for (const text of bullets) run.emit({ type: 'bullet', index: emitted++, text, source: 'model' });
    };
    const outcome = await streamChatCompletion(env, body, { firstTokenMs: config.firstTokenTimeoutMs, requestMs: config.requestTimeoutMs }, (text) => {
      completionText += text;
      emitBullets(validator.push(text));
    });
    // A line cut off by a broken stream is incomplete: only a finished stream's last line counts.
    if (outcome.ok) emitBullets(validator.end());
    const counts = { dropped: validator.dropped.length, skipped: outcome.stats.malformedChunks };

    let result: BriefResult;
    if (validator.bullets.length > 0) {
      result = {
        source: 'model',
        model: config.model,
        language,
        bullets: [...validator.bullets],
        facts: summarizeHistory(history, language).facts,
        fallbackReason: outcome.ok ? null : outcome.failure,
        cached: false,
        truncated: !outcome.ok,
        droppedLines: counts.dropped,
        skippedChunks: counts.skipped,
      };
      run.emit({ type: 'done', result });
      if (outcome.ok) cache.set(key, { ...result, cached: true });
    } else {
      const reason: FallbackReason = !outcome.ok ? outcome.failure : counts.skipped > 0 ? 'malformed-stream' : 'empty-output';
      result = onDeviceResult(history, context, reason, counts);
      emitOnDevice(run, result);
      logger.warn('ai.brief.fallback', { reason, attempts: outcome.stats.attempts, status: outcome.stats.status, dropped: counts.dropped, skipped: counts.skipped });
    }
    await writeAudit(auditRecord('brief', context, customer.id, payload, outcome.stats, tokensOf(outcome.stats, prompt.messages, completionText), result.source === 'model' ? 'ok' : 'fallback', result.fallbackReason));
  }

  function auditRecord(
    purpose: AiPurpose,
    context: AiCallContext,
    customerId: string,
    payload: string,
    stats: CallStats,
    tokens: TokenUsage,
    outcome: 'ok' | 'fallback',
    fallbackReason: string | null,
  ): AiAuditRecord {
    return {
      at: new Date(stats.startedAt).toISOString(),
      agentId: context.agentId,
      customerId,
      purpose,
      model: config?.model ?? '',
      endpointHost: endpointHost(config?.baseURL ?? ''),
      payloadSha256: sha256Hex(payload),
      payload,
      tokens,
      outcome,
      fallbackReason,
      attempts: stats.attempts,
      latencyMs: stats.latencyMs,
      firstTokenMs: stats.firstTokenMs,
    };
  }

  function startOrJoin(customer: CustomerProfile, history: readonly Interaction[], context: AiCallContext): { run: BriefRun } | { cached: BriefResult } {
    const { key } = briefCacheKey(customer, history, context.language, config?.model ?? 'on-device');
    const cached = cache.get(key);
    if (cached) return { cached };
    const existing = inFlight.get(key);
    if (existing) return { run: existing };
    const run = new BriefRun();
    inFlight.set(key, run);
    runBrief(run, key, customer, history, context)
      .catch(() => {
        // A bug must not leave the agent without a brief.
        logger.warn('ai.brief.internal-error', {});
        emitOnDevice(run, onDeviceResult(history, context, 'bad-response', { dropped: 0, skipped: 0 }));
      })
      .finally(() => inFlight.delete(key));
    return { run };
  }

  async function* streamBrief(customer: CustomerProfile, history: readonly Interaction[], context: AiCallContext): AsyncGenerator<BriefEvent> {
    const started = startOrJoin(customer, history, context);
    if ('cached' in started) {
      for (const [index, text] of started.cached.bullets.entries()) yield { type: 'bullet', index, text, source: 'model' };
      yield { type: 'done', result: started.cached };
      return;
    }
    yield* started.run.subscribe();
  }

  /**
   * The on-device draft quotes the agent's notes, which can hold a card number
   * the customer read out. It is shown, and saved if accepted, under the same
   * display policy as a model's draft: names and contact details as written,
   * cards, IBANs, national ids and account numbers masked.
   */
  function displayedDraft(draft: WrapUpDraft, customer: CustomerProfile): WrapUpDraft {
    const session = redactor.createSession(redactionProfileFromCustomer(customer));
    const shown = (text: string): string => restoreForDisplay(session.redact(text), session.mapping);
    return { ...draft, summary: shown(draft.summary), cue: shown(draft.cue), followUps: draft.followUps.map((f) => ({ ...f, text: shown(f.text) })) };
  }

  async function draftWrapUp(request: WrapUpRequest, context: AiCallContext): Promise<WrapUpResult> {
    const local = displayedDraft(
      draftOnDevice({ notes: request.notes, transcript: request.transcript ? [...request.transcript] : undefined, language: context.language, now: request.now }),
      request.customer,
    );
    if (!config || !env) return { ...local, model: null, fallbackReason: 'not-configured' };
    const profile = redactionProfileFromCustomer(request.customer);
    const session = redactor.createSession(profile);
    const today = new Date(Date.parse(request.now)).toISOString().slice(0, 10);
    const prompt = buildWrapUpPrompt({ notes: request.notes, transcript: request.transcript, language: context.language, today, session });
    const body: Record<string, unknown> = { model: config.model, messages: prompt.messages, temperature: config.temperature, max_tokens: config.maxTokens };
    const payload = JSON.stringify(body);
    const outcome = await jsonChatCompletion(env, body, config.jsonTimeoutMs);
    const content = outcome.ok ? outcome.content : '';
    const parsed = outcome.ok ? parseWrapUpOutput(content, createOutputGuard(prompt.mapping, { region: config.region, profile })) : null;
    const fallbackReason: FallbackReason | null = outcome.ok ? (parsed ? null : 'bad-response') : outcome.failure;
    await writeAudit(auditRecord('wrapup', context, request.customer.id, payload, outcome.stats, tokensOf(outcome.stats, prompt.messages, content), parsed ? 'ok' : 'fallback', fallbackReason));
    if (!parsed) {
      logger.warn('ai.wrapUp.fallback', { reason: fallbackReason, attempts: outcome.stats.attempts, status: outcome.stats.status });
      return { ...local, model: null, fallbackReason };
    }
    const followUps: FollowUp[] = parsed.followUps.map((text) => ({ text, ...classifyFollowUp(text, request.now) }));
    return {
      source: 'model',
      summary: parsed.summary,
      disposition: parsed.disposition,
      confidence: parsed.disposition === local.disposition ? 'high' : 'medium',
      cue: '',
      followUps,
      model: config.model,
      fallbackReason: null,
    };
  }

  async function testConnection(): Promise<ConnectionTestResult> {
    if (!config || !openai) return { ok: false, latencyMs: 0, failure: 'not-configured' };
    const started = now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort('timeout'), config.jsonTimeoutMs);
    try {
      const page = await openai.models.list({ signal: controller.signal, maxRetries: 0 });
      const models = page.data.map((m) => m.id).slice(0, 50);
      return { ok: true, latencyMs: now() - started, models, modelAvailable: page.data.length === 0 ? null : page.data.some((m) => m.id === config.model) };
    } catch (error) {
      const status = error instanceof OpenAI.APIError ? error.status : undefined;
      const failure: CallFailure = controller.signal.aborted
        ? 'request-timeout'
        : status === undefined
          ? error instanceof OpenAI.APIError
            ? 'network-error'
            : 'bad-response'
          : status === 401 || status === 403
            ? 'auth-error'
            : status === 429
              ? 'rate-limited'
              : status >= 500
                ? 'server-error'
                : 'bad-request';
      logger.warn('ai.connection-test.failed', { failure, status: status ?? null });
      return { ok: false, latencyMs: now() - started, failure };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    streamBrief,
    async getBrief(customer, history, context, onBullet) {
      for await (const event of streamBrief(customer, history, context)) {
        if (event.type === 'bullet') onBullet?.(event.text);
        else return event.result;
      }
      throw new Error('brief stream ended without a result');
    },
    prefetchBrief(customer, history, context) {
      startOrJoin(customer, history, context);
    },
    draftWrapUp,
    testConnection,
    clearCache: () => cache.clear(),
    dispose: () => shutdown.abort('disposed'),
  };
}
