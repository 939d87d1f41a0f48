import { APIError, type OpenAI } from 'openai';
import { z } from 'zod';
import type { Random } from '@shared/util/random';
import { type RetryPolicy, backoffDelayMs, isRetryableStatus, retryAfterMs, sleep } from './retry';
import { readSse } from './sse';

/** Why a call produced nothing usable; safe to log and to show (no server text). */
export type CallFailure =
  | 'first-token-timeout'
  | 'request-timeout'
  | 'rate-limited'
  | 'server-error'
  | 'network-error'
  | 'auth-error'
  | 'bad-request'
  | 'retry-after-too-long'
  | 'stream-broken'
  | 'bad-response'
  | 'aborted';

export interface RawUsage {
  readonly prompt: number;
  readonly completion: number;
  readonly total: number;
}

export interface CallStats {
  readonly attempts: number;
  readonly startedAt: number;
  readonly firstTokenMs: number | null;
  readonly latencyMs: number;
  readonly usage: RawUsage | null;
  /** Stream chunks that were not valid JSON chunks and were skipped. */
  readonly malformedChunks: number;
  readonly status: number | null;
}

export type StreamOutcome =
  | { readonly ok: true; readonly stats: CallStats }
  /** `afterFirstToken`: some content had already arrived when it failed. */
  | { readonly ok: false; readonly failure: CallFailure; readonly afterFirstToken: boolean; readonly stats: CallStats };

export interface CallEnvironment {
  readonly client: OpenAI;
  readonly policy: RetryPolicy;
  readonly random: Random;
  readonly now: () => number;
  /** Cancels the call from outside (the agent closed the customer). */
  readonly signal?: AbortSignal;
}

const usageSchema = z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number().optional() });
const chunkSchema = z.object({
  choices: z
    .array(z.object({ delta: z.object({ content: z.string().nullish() }).partial().nullish() }).partial())
    .nullish(),
  usage: usageSchema.nullish(),
});

function failureForStatus(status: number | undefined): CallFailure {
  if (status === undefined) return 'network-error';
  if (status === 401 || status === 403) return 'auth-error';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server-error';
  return 'bad-request';
}

function toUsage(u: z.infer<typeof usageSchema>): RawUsage {
  return { prompt: u.prompt_tokens, completion: u.completion_tokens, total: u.total_tokens ?? u.prompt_tokens + u.completion_tokens };
}

/** Aborts when either signal aborts. */
function linkedController(outer: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  if (outer) {
    if (outer.aborted) controller.abort(outer.reason);
    else outer.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
  }
  return controller;
}

const FIRST_TOKEN = 'first-token-timeout';
const REQUEST_TIMEOUT = 'request-timeout';

/**
 * One streamed chat completion with retries. Content deltas go to `onContent`
 * as they arrive. Retries (429, 5xx, dropped connections; backoff with
 * jitter; Retry-After honoured) happen only before the first token, and only
 * within the first-token budget: past it the caller falls back on-device.
 */
export async function streamChatCompletion(
  env: CallEnvironment,
  body: Record<string, unknown>,
  timeouts: { firstTokenMs: number; requestMs: number },
  onContent: (text: string) => void,
): Promise<StreamOutcome> {
  const startedAt = env.now();
  const deadline = startedAt + timeouts.firstTokenMs;
  let attempts = 0;
  let firstTokenAt: number | null = null;
  let usage: RawUsage | null = null;
  let malformedChunks = 0;
  let status: number | null = null;
  const stats = (): CallStats => ({
    attempts,
    startedAt,
    firstTokenMs: firstTokenAt === null ? null : firstTokenAt - startedAt,
    latencyMs: env.now() - startedAt,
    usage,
    malformedChunks,
    status,
  });
  const fail = (failure: CallFailure): StreamOutcome => ({ ok: false, failure, afterFirstToken: firstTokenAt !== null, stats: stats() });

  for (;;) {
    attempts++;
    const remaining = deadline - env.now();
    if (remaining <= 0) return fail('first-token-timeout');
    const controller = linkedController(env.signal);
    let timer: ReturnType<typeof setTimeout> = setTimeout(() => controller.abort(FIRST_TOKEN), remaining);
    try {
      const response = await env.client.chat.completions
        .create(body as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming, { signal: controller.signal, maxRetries: 0 })
        .asResponse();
      status = response.status;
      if (!response.body) return fail('bad-response');
      for await (const message of readSse(response.body)) {
        if (message.data.trim() === '[DONE]') break;
        let json: unknown;
        try {
          json = JSON.parse(message.data);
        } catch {
          malformedChunks++;
          continue;
        }
        const chunk = chunkSchema.safeParse(json);
        if (!chunk.success) {
          malformedChunks++;
          continue;
        }
        if (chunk.data.usage) usage = toUsage(chunk.data.usage);
        const text = chunk.data.choices?.[0]?.delta?.content ?? '';
        if (text.length === 0) continue;
        if (firstTokenAt === null) {
          firstTokenAt = env.now();
          clearTimeout(timer);
          timer = setTimeout(() => controller.abort(REQUEST_TIMEOUT), Math.max(1, startedAt + timeouts.requestMs - firstTokenAt));
        }
        onContent(text);
      }
      clearTimeout(timer);
      return { ok: true, stats: stats() };
    } catch (error) {
      clearTimeout(timer);
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : null;
      if (reason === FIRST_TOKEN) return fail('first-token-timeout');
      if (reason === REQUEST_TIMEOUT) return fail('request-timeout');
      if (env.signal?.aborted) return fail('aborted');
      if (firstTokenAt !== null) return fail('stream-broken');
      const apiStatus = error instanceof APIError ? error.status : undefined;
      if (apiStatus !== undefined) status = apiStatus;
      const failure = failureForStatus(apiStatus);
      if (!isRetryableStatus(apiStatus) || attempts >= env.policy.maxAttempts) return fail(failure);
      const delay = backoffDelayMs(attempts, env.policy, retryAfterMs(error instanceof APIError ? error.headers : undefined, env.now()), env.random);
      if (delay === null) return fail('retry-after-too-long');
      if (env.now() + delay >= deadline) return fail(failure === 'network-error' ? 'network-error' : 'first-token-timeout');
      try {
        await sleep(delay, env.signal);
      } catch {
        return fail('aborted');
      }
    }
  }
}

export type JsonOutcome =
  | { readonly ok: true; readonly content: string; readonly stats: CallStats }
  | { readonly ok: false; readonly failure: CallFailure; readonly stats: CallStats };

/** One non-streamed chat completion with the same retry rules, within `timeoutMs` overall. */
export async function jsonChatCompletion(env: CallEnvironment, body: Record<string, unknown>, timeoutMs: number): Promise<JsonOutcome> {
  const startedAt = env.now();
  const deadline = startedAt + timeoutMs;
  let attempts = 0;
  let status: number | null = null;
  let usage: RawUsage | null = null;
  const stats = (): CallStats => ({ attempts, startedAt, firstTokenMs: null, latencyMs: env.now() - startedAt, usage, malformedChunks: 0, status });
  for (;;) {
    attempts++;
    const remaining = deadline - env.now();
    if (remaining <= 0) return { ok: false, failure: 'request-timeout', stats: stats() };
    const controller = linkedController(env.signal);
    const timer = setTimeout(() => controller.abort(REQUEST_TIMEOUT), remaining);
    try {
      const completion = await env.client.chat.completions.create(body as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, {
        signal: controller.signal,
        maxRetries: 0,
      });
      clearTimeout(timer);
      status = 200;
      const parsed = z
        .object({ choices: z.array(z.object({ message: z.object({ content: z.string().nullish() }) })).min(1), usage: usageSchema.nullish() })
        .safeParse(completion);
      if (!parsed.success) return { ok: false, failure: 'bad-response', stats: stats() };
      if (parsed.data.usage) usage = toUsage(parsed.data.usage);
      return { ok: true, content: parsed.data.choices[0]?.message.content ?? '', stats: stats() };
    } catch (error) {
      clearTimeout(timer);
      if (controller.signal.aborted && controller.signal.reason === REQUEST_TIMEOUT) return { ok: false, failure: 'request-timeout', stats: stats() };
      if (env.signal?.aborted) return { ok: false, failure: 'aborted', stats: stats() };
      const apiStatus = error instanceof APIError ? error.status : undefined;
      if (apiStatus !== undefined) status = apiStatus;
      // A body that is not JSON surfaces as a plain error from the SDK.
      const failure = error instanceof APIError ? failureForStatus(apiStatus) : 'bad-response';
      if (!(error instanceof APIError) || !isRetryableStatus(apiStatus) || attempts >= env.policy.maxAttempts) return { ok: false, failure, stats: stats() };
      const delay = backoffDelayMs(attempts, env.policy, retryAfterMs(error.headers, env.now()), env.random);
      if (delay === null) return { ok: false, failure: 'retry-after-too-long', stats: stats() };
      if (env.now() + delay >= deadline) return { ok: false, failure, stats: stats() };
      try {
        await sleep(delay, env.signal);
      } catch {
        return { ok: false, failure: 'aborted', stats: stats() };
      }
    }
  }
}
