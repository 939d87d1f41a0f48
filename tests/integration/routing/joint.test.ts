import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src-server/routing-server';
import { segmentOf } from '../../../src-server/routing/call-attributes';
import { startServer } from '../../support/stack';
import { postCall, readyDesk, scoredCustomers, sleep, type Desk } from './helpers';

/**
 * Calls that arrive together are assigned jointly, not greedily one by one.
 *
 * Grace is a little better than average with segment X and far better with
 * segment Y; Ava is average with both. Greedy routing gives the first call
 * (X) to Grace, its best agent, and Y to Ava. Assigned together, X goes to Ava
 * and Y to Grace, which is worth more saves in total.
 */
describe('joint assignment in the server', () => {
  let server: RunningServer;
  let remove: () => void;
  const desks: Desk[] = [];

  beforeAll(async () => {
    ({ server, remove } = await startServer({
      demoCustomers: 300,
      outreach: { blended: false },
      // No holdout arm (it would route by longest idle), and a window wide enough for two HTTP requests in
      // turn even when other test files hold both cores (at 300 ms, CI once saw them arrive apart).
      routing: { baselineShare: 0, coalesceMs: 1000 },
    }));
  });
  afterAll(async () => {
    for (const desk of desks) desk.close();
    await server.close();
    remove();
  });

  it('assigns calls that arrive within the coalescing window together, maximising total expected saves', async () => {
    const customers = (await scoredCustomers(server, 300)).filter((c) => c.scores.valueAtRisk > 0);
    const y = customers.reduce((best, c) => (c.scores.valueAtRisk > best.scores.valueAtRisk ? c : best));
    const segY = segmentOf(y.scores);
    const x = customers.filter((c) => segmentOf(c.scores) !== segY).sort((a, b) => b.scores.valueAtRisk - a.scores.valueAtRisk)[0]!;
    const segX = segmentOf(x.scores);

    const grace = await readyDesk(server, 'grace'); // en, retention
    const ava = await readyDesk(server, 'ava'); // en, es, retention, billing
    desks.push(grace, ava);
    const engine = server.routing.router.engine;
    const teach = (agentId: string, segment: string, saves: number, calls: number): void => {
      for (let i = 0; i < calls; i++) engine.recordOutcome({ agentId, segment, saved: i < saves });
    };
    // Three other agents give each segment a fitted prior near 40%.
    for (const other of ['Z1', 'Z2', 'Z3']) for (const segment of [segX, segY]) teach(other, segment, 8, 20);
    teach(grace.agentId, segX, 15, 30);
    teach(grace.agentId, segY, 27, 30);
    expect(engine.estimate(grace.agentId, segX).mean).toBeGreaterThan(engine.estimate(ava.agentId, segX).mean);

    const callX = await postCall(server, { callerNumber: x.customer.phones[0], language: 'en', intent: 'general' });
    const callY = await postCall(server, { callerNumber: y.customer.phones[0], language: 'en', intent: 'general' });
    const offerY = await grace.offerOf(callY);
    const offerX = await ava.offerOf(callX);
    expect(offerY.call.id).toBe(callY);
    expect(offerX.call.id).toBe(callX);
    await sleep(50);
    expect(grace.offers.map((o) => o.call.id)).toEqual([callY]);
    expect(ava.offers.map((o) => o.call.id)).toEqual([callX]);
    const metrics = (await server.routing.metrics.exposition()).body;
    expect(metrics).toMatch(/holdfast_routing_steps_total\{assigned="joint"\} 1/);
  });
});
