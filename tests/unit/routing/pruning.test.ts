import { describe, expect, it } from 'vitest';
import type { Language } from '@shared/domain/language';
import { createRouter, predictivePolicy, type MatchPolicy, type Router } from '@shared/routing';
import { createRandom } from '@shared/util/random';

/** The predictive policy without its upper bound: every bucket is scored. */
const exhaustive: MatchPolicy = { name: 'exhaustive', score: predictivePolicy.score };

function drive(policy: string, seed: number): unknown[] {
  const random = createRandom(seed);
  const router: Router = createRouter({
    policies: { exhaustive },
    defaultQueue: { policy, baselineShare: 0.2, match: { matchWeight: 10 } },
    candidatesPerBucket: 32,
  });
  const languages: Language[] = ['en', 'he', 'ru'];
  const segments = ['a', 'b', 'c', 'd'];
  for (let i = 0; i < 3000; i++) router.recordOutcome({ agentId: `g${random.int(0, 11)}`, segment: random.pick(segments), saved: random.chance(0.4) });
  const log: unknown[] = [];
  let now = 1_000_000;
  for (let i = 0; i < 40; i++) {
    now += 1000;
    const valueAtRisk = random.int(0, 8000);
    log.push(
      router.apply(
        {
          type: 'callArrived',
          callId: `c${i}`,
          language: random.pick(languages),
          intent: 'x',
          requiredSkills: random.chance(0.3) ? ['tech'] : [],
          customerId: 'k',
          segment: random.pick(segments),
          churnRisk: random.next(),
          clv: valueAtRisk * 2,
          valueAtRisk,
          arrivedAt: now - random.int(0, 300_000),
        },
        now,
      ).decisions,
    );
  }
  for (let i = 0; i < 12; i++) {
    now += 1000;
    const decisions = router.apply(
      { type: 'agentLogin', agentId: `g${i}`, languages: { [random.pick(languages)]: 5, en: random.int(2, 5) }, skills: random.chance(0.5) ? ['tech'] : [] },
      now,
    ).decisions;
    log.push(decisions.map((d) => [d.callId, d.agentId]));
  }
  return log;
}

describe('bucket pruning by upper bounds', () => {
  it('picks exactly the calls an exhaustive scan picks', () => {
    for (const seed of [1, 2, 3, 4, 5]) expect(drive('predictive', seed)).toEqual(drive('exhaustive', seed));
  });

  it('the predictive bound is never below a score in its group', () => {
    const random = createRandom(9);
    const context = {
      now: 500_000,
      queue: createRouter().config.defaultQueue,
      estimate: () => ({ mean: random.next(), priorMean: 0.4, sd: 0.05, n: 10 }),
      occupancy: () => random.next(),
      priority: (call: { valueAtRisk: number; arrivedAt: number }) => Math.log1p(Math.min(call.valueAtRisk / 1000, 5)) + (500_000 - call.arrivedAt) / 60_000,
    };
    const agent = { id: 'a', languages: { en: 5 }, skills: new Set<string>(), capacity: 1, readySince: 0, consecutiveHighRisk: 5 };
    for (let i = 0; i < 500; i++) {
      const head = call(random.int(0, 9000), random.int(0, 400_000), random.next());
      const member = call(random.int(0, head.valueAtRisk), head.arrivedAt + random.int(0, 100_000), random.next());
      const estimate = { mean: random.next(), priorMean: 0.4, sd: 0.05, n: 10 };
      const occupancy = random.next();
      const ctx = { ...context, estimate: () => estimate, occupancy: () => occupancy };
      const bound = predictivePolicy.upperBound?.(head, agent, ctx, { maxValueAtRisk: head.valueAtRisk }) ?? Number.NaN;
      expect(predictivePolicy.score(member, agent, ctx)).toBeLessThanOrEqual(bound + 1e-9);
      expect(predictivePolicy.score(head, agent, ctx)).toBeLessThanOrEqual(bound + 1e-9);
    }
  });
});

function call(valueAtRisk: number, arrivedAt: number, churnRisk: number) {
  return { id: 'x', language: 'en' as const, intent: 'x', requiredSkills: [], customerId: 'k', segment: 's', churnRisk, clv: 0, valueAtRisk, arrivedAt, queue: 'default', arm: 'policy' as const };
}
