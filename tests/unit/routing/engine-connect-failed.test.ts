import { describe, expect, it } from 'vitest';
import { createRouter, RoutingError } from '@shared/routing';
import { accept, arrive, connect, login } from './helpers';

describe('routing engine: the agent accepted but their phone never answered', () => {
  it('puts the call back in the queue for the next agent, never the same one, and sets that agent away', () => {
    const router = createRouter({ onReject: 'away' });
    router.apply(login('a1'), 0);
    router.apply(login('a2'), 1);
    expect(router.apply(arrive('c1'), 2).decisions.map((d) => d.agentId)).toEqual(['a1']);
    router.apply(accept('c1', 'a1'), 3);
    expect(router.call('c1')?.phase).toBe('accepted');
    const { decisions } = router.apply({ type: 'connectFailed', callId: 'c1', agentId: 'a1' }, 4);
    expect(decisions.map((d) => [d.callId, d.agentId])).toEqual([['c1', 'a2']]);
    expect(router.agent('a1')).toMatchObject({ presence: 'away', availability: 'away' });
    expect(router.agent('a1')?.calls).toEqual([]);
    expect(router.checkInvariants()).toEqual([]);
  });

  it('is refused for a call that is connected (the phone did answer)', () => {
    const router = createRouter();
    router.apply(login('a1'), 0);
    router.apply(arrive('c1'), 1);
    router.apply(accept('c1', 'a1'), 2);
    router.apply(connect('c1', 'a1'), 3);
    expect(() => router.apply({ type: 'connectFailed', callId: 'c1', agentId: 'a1' }, 4)).toThrow(RoutingError);
    expect(router.call('c1')?.phase).toBe('connected');
  });
});
