import type { Random } from '@shared/util/random';

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxRetryAfterMs: number;
}

/** Rate limits, server errors and dropped connections are worth another try; the rest are not. */
export function isRetryableStatus(status: number | undefined): boolean {
  if (status === undefined) return true;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Retry-After in seconds or as an HTTP date, or the non-standard retry-after-ms; null when absent or unreadable. */
export function retryAfterMs(headers: Headers | undefined, nowMs: number): number | null {
  if (!headers) return null;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  const value = headers.get('retry-after');
  if (value === null) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1): the server's
 * Retry-After when it gave one, else exponential backoff with "equal jitter"
 * (half fixed, half random) so clients that failed together do not retry together.
 * Returns null when the server asks for a longer wait than we accept.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, retryAfter: number | null, random: Random): number | null {
  if (retryAfter !== null) return retryAfter > policy.maxRetryAfterMs ? null : retryAfter;
  const exponential = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + random.next() * (exponential / 2));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason ?? new Error('aborted'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
