import { describe, expect, it } from 'vitest';
import { createRandom } from '@shared/util/random';
import { generateSyntheticHistory } from '@shared/summary/index';
import { ExpiringLru } from '../../../src-main/services/ai/brief-cache';
import { estimateTokens, parseAiClientConfig, sha256Hex } from '../../../src-main/services/ai/index';
import { briefCacheKey } from '../../../src-main/services/ai/history-key';
import { backoffDelayMs, isRetryableStatus, retryAfterMs } from '../../../src-main/services/ai/retry';
import { readSse } from '../../../src-main/services/ai/sse';

const policy = { maxAttempts: 4, baseBackoffMs: 100, maxBackoffMs: 1_000, maxRetryAfterMs: 5_000 };

describe('retry rules', () => {
  it('retries rate limits, server errors and lost connections only', () => {
    expect([408, 409, 429, 500, 502, 503, undefined].map(isRetryableStatus).every(Boolean)).toBe(true);
    expect([400, 401, 403, 404, 422].map(isRetryableStatus).some(Boolean)).toBe(false);
  });

  it('reads Retry-After in seconds, as a date, and retry-after-ms', () => {
    const now = Date.parse('2024-05-08T10:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }), now)).toBe(2_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 08 May 2024 10:00:03 GMT' }), now)).toBe(3_000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '150', 'retry-after': '9' }), now)).toBe(150);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(retryAfterMs(undefined, now)).toBeNull();
  });

  it('backs off exponentially with equal jitter, capped, and honours Retry-After', () => {
    const random = createRandom('backoff');
    for (let attempt = 1; attempt <= 6; attempt++) {
      const cap = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** (attempt - 1));
      for (let k = 0; k < 50; k++) {
        const d = backoffDelayMs(attempt, policy, null, random) as number;
        expect(d).toBeGreaterThanOrEqual(cap / 2);
        expect(d).toBeLessThanOrEqual(cap);
      }
    }
    expect(backoffDelayMs(1, policy, 1_200, random)).toBe(1_200);
    expect(backoffDelayMs(1, policy, 60_000, random)).toBeNull();
  });
});

function streamOf(...parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const p of parts) controller.enqueue(encoder.encode(p));
      controller.close();
    },
  });
}

describe('SSE reader', () => {
  it('joins split lines, ignores comments, handles CRLF and a last event without a blank line', async () => {
    const out: string[] = [];
    for await (const m of readSse(streamOf(': keep-alive\n\nda', 'ta: {"a":1}\r\n\r\ndata: line1\ndata: line2\n\n', 'event: x\ndata: [DONE]'))) out.push(m.data);
    expect(out).toEqual(['{"a":1}', 'line1\nline2', '[DONE]']);
  });

  it('decodes multi-byte characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: שלום 你好\n\n');
    const out: string[] = [];
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const b of bytes) c.enqueue(new Uint8Array([b]));
        c.close();
      },
    });
    for await (const m of readSse(stream)) out.push(m.data);
    expect(out).toEqual(['שלום 你好']);
  });
});

describe('brief cache', () => {
  it('expires entries and evicts the least recently used', () => {
    let now = 0;
    const lru = new ExpiringLru<number>(2, 100, () => now);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    now = 150;
    expect(lru.get('a')).toBeUndefined();
  });

  it('keys on customer, history content, language and model, not on order', () => {
    const { interactions } = generateSyntheticHistory('key', { count: 20 });
    const customer = {
      id: 'c1', givenName: 'A', familyName: 'B', accountId: 'X1', phones: [], email: null,
      address: { line1: null, city: null, postcode: null, region: null, country: 'IL' },
      plan: { name: 'P', monthlyCharge: 1, contractType: 'one-year' as const, contractEnd: null, tenureMonths: 1, services: [] },
      signals: { usageChange90d: 0, paymentFailures90d: 0, complaints90d: 0, negativeContacts90d: 0, daysSinceLastContact: null, avgResolutionHours: null },
    };
    const base = briefCacheKey(customer, interactions, 'en', 'm').key;
    expect(briefCacheKey(customer, [...interactions].reverse(), 'en', 'm').key).toBe(base);
    expect(briefCacheKey(customer, interactions, 'he', 'm').key).not.toBe(base);
    expect(briefCacheKey(customer, interactions, 'en', 'other').key).not.toBe(base);
    expect(briefCacheKey(customer, interactions.slice(1), 'en', 'm').key).not.toBe(base);
    expect(briefCacheKey({ ...customer, familyName: 'C' }, interactions, 'en', 'm').key).not.toBe(base);
  });
});

describe('configuration and accounting', () => {
  it('fills defaults and rejects bad settings without echoing them', () => {
    const config = parseAiClientConfig({ baseURL: 'http://127.0.0.1:1/v1', model: 'm' });
    expect(config).toMatchObject({ firstTokenTimeoutMs: 4_000, maxAttempts: 3 });
    expect(() => parseAiClientConfig({ baseURL: 'not a url', model: 'm', apiKey: 'sk-very-secret' })).toThrow(/baseURL/);
    try {
      parseAiClientConfig({ baseURL: 'nope', model: '', apiKey: 'sk-very-secret' });
    } catch (e) {
      expect(String(e)).not.toContain('sk-very-secret');
    }
  });

  it('hashes with SHA-256 and estimates tokens for alphabetic and CJK text', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(estimateTokens('abcdefgh')).toBe(2);
    expect(estimateTokens('你好世界')).toBe(4);
  });
});
