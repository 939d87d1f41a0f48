import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryFlowStore, RedisFlowStore, type OidcFlowStore } from '../../../src-server/auth/oidc-flow-store';

const REDIS_URL = process.env.HOLDFAST_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What single sign-on asks of where it keeps a flow, the same of the node's memory and of the cluster's Redis. */
function behavesAsAFlowStore(name: string, open: () => OidcFlowStore): void {
  describe(name, () => {
    it('gives an entry back once', async () => {
      const flows = open();
      await flows.put('state:a', '{"x":1}', 60_000);
      expect(await flows.take('state:a')).toBe('{"x":1}');
      expect(await flows.take('state:a')).toBeNull();
      expect(await flows.take('state:never')).toBeNull();
    });

    it('forgets an entry once its time is up', async () => {
      const flows = open();
      await flows.put('code:short', 'v', 50);
      await sleep(150);
      expect(await flows.take('code:short')).toBeNull();
    });
  });
}

describe('single sign-on flow stores', () => {
  let redis: ReturnType<typeof createClient>;
  const prefix = `hf-test-flows-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    redis = createClient({ url: REDIS_URL });
    await redis.connect();
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(keys);
    await redis.quit();
  });

  behavesAsAFlowStore('in memory', () => new MemoryFlowStore());
  behavesAsAFlowStore('in Redis', () => new RedisFlowStore(redis, prefix));

  it('in Redis, one node takes what another put, under its cluster prefix only', async () => {
    const other = redis.duplicate();
    await other.connect();
    try {
      await new RedisFlowStore(redis, prefix).put('state:shared', 'flow', 60_000);
      expect(await new RedisFlowStore(other, `${prefix}-another-cluster`).take('state:shared')).toBeNull();
      // Keyed by a hash: the state itself is nowhere in Redis.
      expect((await redis.keys(`${prefix}:*`)).some((key) => key.includes('shared'))).toBe(false);
      expect(await new RedisFlowStore(other, prefix).take('state:shared')).toBe('flow');
    } finally {
      await other.quit();
    }
  });

  it('in memory, past its bound the oldest flow is forgotten', async () => {
    const flows = new MemoryFlowStore(2);
    await flows.put('a', '1', 60_000);
    await flows.put('b', '2', 60_000);
    await flows.put('c', '3', 60_000);
    expect(await flows.take('a')).toBeNull();
    expect([await flows.take('b'), await flows.take('c')]).toEqual(['2', '3']);
  });
});
