import { describe, expect, it } from 'vitest';
import { createRandom } from '@shared/util/random';
import { fitBetaBinomialPrior, OutcomeStats, routerConfigSchema } from '@shared/routing';
import { SEGMENT_LEADERS } from '@shared/routing/learning';

const learning = routerConfigSchema.parse({}).learning;

/** A segment where 40 agents' true save rates come from Beta(12, 28): mean 0.3, strength 40. */
function population(seed: number): OutcomeStats {
  const random = createRandom(seed);
  const stats = new OutcomeStats(learning);
  for (let a = 0; a < 40; a++) {
    const rate = betaDraw(random, 12, 28);
    for (let i = 0; i < 60; i++) stats.record(`agent-${a}`, 'seg', random.chance(rate));
  }
  return stats;
}

function betaDraw(random: ReturnType<typeof createRandom>, alpha: number, beta: number): number {
  // Sum of exponentials works for integer shapes.
  let x = 0;
  let y = 0;
  for (let i = 0; i < alpha; i++) x += random.exponential(1);
  for (let i = 0; i < beta; i++) y += random.exponential(1);
  return x / (x + y);
}

describe('empirical-Bayes Beta-Binomial shrinkage', () => {
  it('fits the segment prior from the agents by the method of moments', () => {
    const strengths: number[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      const prior = population(seed).prior('seg');
      expect(prior.method).toBe('moments');
      expect(prior.alpha / (prior.alpha + prior.beta)).toBeGreaterThan(0.25);
      expect(prior.alpha / (prior.alpha + prior.beta)).toBeLessThan(0.35);
      strengths.push(prior.alpha + prior.beta);
    }
    const median = [...strengths].sort((a, b) => a - b)[3] as number;
    // True strength 40; moments are noisy with 40 agents, but not off by an order of magnitude.
    expect(median).toBeGreaterThan(15);
    expect(median).toBeLessThan(120);
  });

  it('pulls an agent with 3 calls to the prior and leaves one with 300 near their own rate', () => {
    const stats = population(3);
    for (let i = 0; i < 3; i++) stats.record('newcomer', 'seg', true);
    for (let i = 0; i < 300; i++) stats.record('veteran', 'seg', i % 10 < 6);
    const prior = stats.prior('seg');
    const priorMean = prior.alpha / (prior.alpha + prior.beta);
    const newcomer = stats.estimate('newcomer', 'seg');
    const veteran = stats.estimate('veteran', 'seg');
    // 3 of 3 saved is a raw rate of 100%; shrunk, it stays close to the segment's ~30%.
    expect(newcomer.mean - priorMean).toBeLessThan(0.15);
    expect(newcomer.mean).toBeGreaterThan(priorMean);
    expect(Math.abs(veteran.mean - 0.6)).toBeLessThan(0.06);
    expect(veteran.sd).toBeLessThan(newcomer.sd);
    expect(stats.estimate('stranger', 'seg').mean).toBeCloseTo(priorMean, 10);
  });

  it('makes the prior as strong as allowed when agents do not differ beyond chance', () => {
    const cells = Array.from({ length: 30 }, () => ({ n: 100, s: 30 }));
    const prior = fitBetaBinomialPrior(cells, learning);
    expect(prior.alpha + prior.beta).toBe(learning.maxPriorStrength);
  });

  it('falls back to a weak prior when too few agents have history', () => {
    const prior = fitBetaBinomialPrior([{ n: 10, s: 9 }], learning);
    expect(prior.method).toBe('fallback');
    expect(prior.alpha + prior.beta).toBe(learning.defaultPriorStrength);
  });

  it('survives a snapshot round trip', () => {
    const stats = population(5);
    const copy = OutcomeStats.restore(JSON.parse(JSON.stringify(stats.snapshot())), learning);
    expect(copy.estimate('agent-7', 'seg')).toEqual(stats.estimate('agent-7', 'seg'));
  });
});

describe('segment leaders', () => {
  // 40 agents fit the list's reserve whole. 400 do not: agents fall out of it. There the prior is weak
  // (estimates swing with each outcome, so agents often fall out) and held still (no refit rebuilds
  // the list), so the list must stay exact through those falls alone.
  it.each([
    [40, 3000, {}],
    [400, 20000, { refitGrowth: 1e9, defaultPriorStrength: 0.5 }],
  ])('are always exactly the best-estimated agents of the segment, however the outcomes came (%i agents)', (agentCount, steps, overrides) => {
    const random = createRandom(9);
    const stats = new OutcomeStats({ ...learning, ...overrides });
    const agents = Array.from({ length: agentCount }, (_, i) => `a${i}`);
    for (let step = 0; step < steps; step++) {
      const agentId = agents[random.int(0, agents.length - 1)] as string;
      stats.record(agentId, 'gold', random.chance(0.2 + (Number(agentId.slice(1)) % 7) / 10));
      if (step % 5 === 0) {
        const exact = agents
          .filter((id) => stats.counts(id, 'gold').n > 0)
          .map((id) => ({ agentId: id, mean: stats.estimate(id, 'gold').mean }))
          .sort((a, b) => b.mean - a.mean || (a.agentId < b.agentId ? -1 : 1))
          .slice(0, SEGMENT_LEADERS);
        expect(stats.leaders('gold')).toEqual(exact);
      }
    }
    expect(stats.leaders('nobody-here')).toEqual([]);
  });
});
