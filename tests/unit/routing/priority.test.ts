import { describe, expect, it } from 'vitest';
import { createRouter, overtakingBoundMs, priorityAt, routerConfigSchema } from '@shared/routing';
import { accept, arrive, connect, end, login, wrapDone } from './helpers';

const priority = routerConfigSchema.parse({}).defaultQueue.priority;

describe('priority with aging', () => {
  it('rises with value at risk (capped) and with waiting time', () => {
    const low = priorityAt({ valueAtRisk: 100, arrivedAt: 0 }, priority, 0);
    const high = priorityAt({ valueAtRisk: 4000, arrivedAt: 0 }, priority, 0);
    const whale = priorityAt({ valueAtRisk: 1e9, arrivedAt: 0 }, priority, 0);
    expect(high).toBeGreaterThan(low);
    expect(whale).toBeCloseTo(Math.log1p(priority.valueCapRatio), 10);
    expect(priorityAt({ valueAtRisk: 100, arrivedAt: 0 }, priority, 120_000) - low).toBeCloseTo(2, 10);
  });

  /**
   * One agent, a zero-value call at t=0, then a high-value call every 30 s
   * while each call takes 60 s: the queue only grows. Returns the order calls
   * were served in.
   */
  function serveOrder(agingMs: number | null): string[] {
    const router = createRouter({ defaultQueue: { policy: 'longestIdle', priority: { agingMs } } });
    router.apply(login('a1'), 0);
    router.apply(arrive('busy', { valueAtRisk: 5000, arrivedAt: 0 }), 0);
    router.apply(arrive('poor', { valueAtRisk: 0, arrivedAt: 1 }), 1);
    const served: string[] = [];
    let current = 'busy';
    let nextArrival = 30_000;
    let i = 0;
    for (let t = 0; t < 30 * 60_000; t += 60_000) {
      router.apply(accept(current, 'a1'), t);
      router.apply(connect(current, 'a1'), t);
      served.push(current);
      while (nextArrival < t + 60_000) {
        router.apply(arrive(`rich-${i++}`, { valueAtRisk: 5000, arrivedAt: nextArrival }), nextArrival);
        nextArrival += 30_000;
      }
      router.apply(end(current), t + 60_000);
      const next = router.apply(wrapDone('a1'), t + 60_000).decisions[0];
      if (next === undefined) break;
      current = next.callId;
    }
    return served;
  }

  it('serves a low-value call once newer high-value calls stop overtaking it (bounded wait)', () => {
    const order = serveOrder(60_000);
    const position = order.indexOf('poor');
    expect(position).toBeGreaterThan(0);
    // Only calls that arrived within the overtaking bound after "poor" may go before it.
    const bound = overtakingBoundMs(priority, 0);
    const overtakers = order.slice(1, position);
    for (const id of overtakers) expect(Number(id.split('-')[1]) * 30_000 + 30_000 - 1).toBeLessThan(bound);
  });

  it('without aging the same call starves', () => {
    expect(serveOrder(null)).not.toContain('poor');
  });
});
