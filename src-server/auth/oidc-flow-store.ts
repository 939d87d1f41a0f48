import { createHash } from 'node:crypto';
import type { createClient } from 'redis';

/**
 * Where single sign-on keeps a flow between its steps: the PKCE verifier and
 * nonce from `start` to the provider's callback, then the one-time code until
 * the desktop exchanges it. Each entry is taken once. Behind a load balancer
 * the steps may reach different nodes, so a cluster keeps them in Redis.
 */
export interface OidcFlowStore {
  put(key: string, value: string, ttlMs: number): Promise<void>;
  /** The value, removed in the same step: a second take (a replayed state or code) finds nothing. */
  take(key: string): Promise<string | null>;
}

/** One node's flows, in its memory: bounded, so callers cannot pin memory by starting flows. */
export class MemoryFlowStore implements OidcFlowStore {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(
    private readonly limit = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    const now = this.now();
    for (const [k, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(k);
    // Past the bound, the oldest flow under way is forgotten.
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAt: now + ttlMs });
  }

  async take(key: string): Promise<string | null> {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return entry !== undefined && entry.expiresAt > this.now() ? entry.value : null;
  }
}

type RedisClient = ReturnType<typeof createClient>;

/** The cluster's flows, in Redis: any node finishes a flow another started. Redis expires them. */
export class RedisFlowStore implements OidcFlowStore {
  constructor(
    private readonly redis: Pick<RedisClient, 'set' | 'getDel'>,
    private readonly prefix: string,
  ) {}

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.redisKey(key), value, { PX: ttlMs });
  }

  async take(key: string): Promise<string | null> {
    return this.redis.getDel(this.redisKey(key));
  }

  /** Hashed: a state or a one-time code is a bearer secret, and whoever can list Redis's keys must not read them there. */
  private redisKey(key: string): string {
    return `${this.prefix}:oidc:${createHash('sha256').update(key).digest('base64url')}`;
  }
}
