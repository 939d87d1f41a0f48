import { describe, expect, it } from 'vitest';
import { serverConfigFromEnv, serverConfigSchema } from '../../../src-server/config';

describe('routing settings from the environment', () => {
  it('reads the policy, baseline share, coalescing window and per-queue overrides', () => {
    const input = serverConfigFromEnv({
      HOLDFAST_ROUTING_POLICY: 'longestIdle', HOLDFAST_BASELINE_SHARE: '0.3', HOLDFAST_ROUTING_COALESCE_MS: '25',
      HOLDFAST_ROUTING_QUEUES: '{"cancellation":{"baselineShare":0.5}}',
    });
    const routing = serverConfigSchema.parse({ ...input, dataDir: '/tmp/unused' }).routing;
    expect(routing.policy).toBe('longestIdle');
    expect(routing.baselineShare).toBe(0.3);
    expect(routing.coalesceMs).toBe(25);
    expect(routing.queues.cancellation?.baselineShare).toBe(0.5);
  });

  it('leaves routing at its defaults when nothing is set, and names a bad value', () => {
    expect(serverConfigFromEnv({}).routing).toBeUndefined();
    const bad = serverConfigSchema.safeParse({ ...serverConfigFromEnv({ HOLDFAST_ROUTING_COALESCE_MS: '5000' }), dataDir: '/tmp/unused' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path.join('.')).toBe('routing.coalesceMs');
    expect(() => serverConfigFromEnv({ HOLDFAST_ROUTING_QUEUES: '{oops' })).toThrow(/HOLDFAST_ROUTING_QUEUES must be JSON/);
  });
});
