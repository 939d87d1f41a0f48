import type { FastifyReply } from 'fastify';
import type { Principal } from '../auth/tokens';
import type { HttpMethod } from './route-table';

export interface WriteRateLimitOptions {
  /** The window the counts are kept over. */
  windowMs: number;
  /** Writes per window for a person's token (agent, supervisor). */
  writes: number;
  /** Writes per window for the telephony key (calls in, imports): much higher. */
  telephonyWrites: number;
}

export const WRITE_METHODS: ReadonlySet<HttpMethod> = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * Limits HTTP writes per caller: per signed-in subject (its token), or per
 * client address when there is no principal. A fixed window per key; a caller
 * over its limit gets 429 with Retry-After (seconds) and the write is not run.
 * Sign-in has limits of its own (auth), so public routes are not counted here.
 */
export class WriteRateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private lastSweep = 0;

  constructor(
    private readonly options: WriteRateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one write; false (and the 429 sent) when the caller is over its limit. */
  admit(principal: Principal | null, address: string, reply: FastifyReply): boolean {
    const now = this.now();
    this.sweep(now);
    const key = principal ? `${principal.role}:${principal.subject}` : `ip:${address}`;
    const limit = principal?.role === 'telephony' ? this.options.telephonyWrites : this.options.writes;
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + this.options.windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= limit) return true;
    const retryAfter = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
    void reply
      .code(429)
      .header('retry-after', String(retryAfter))
      .send({ error: 'rate_limited', message: `Too many writes: at most ${limit} per ${Math.round(this.options.windowMs / 1000)} s; try again in ${retryAfter} s` });
    return false;
  }

  /** Forgets windows that have ended, at most once a window. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.options.windowMs) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
