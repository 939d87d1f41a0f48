import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  HierarchicalStayModel,
  NO_OFFER,
  type OfferArm,
  ThompsonOfferPolicy,
  DEFAULT_THOMPSON,
  offPolicyEstimate,
  offerEligibility,
} from '@shared/offers';
import { createRandom } from '@shared/util/random';

const rules = { maxCostShare: 0.3, declineCooldownDays: 30 };

describe('offer eligibility', () => {
  it('reports why each offer is excluded', () => {
    const offers: OfferArm[] = [
      { id: 'ok', cost: 10 },
      { id: 'paused', cost: 10, status: 'paused' },
      { id: 'retired', cost: 10, status: 'retired' },
      { id: 'high-only', cost: 10, tiers: ['high'] },
      { id: 'plus-only', cost: 10, plans: ['plus'] },
      { id: 'dear', cost: 400 },
      { id: 'declined', cost: 10 },
      { id: 'declined-long-ago', cost: 10 },
    ];
    const result = offerEligibility(
      offers,
      { tier: 'mid', plan: 'basic', clv: 1000, declined: [{ offerId: 'declined', daysAgo: 5 }, { offerId: 'declined-long-ago', daysAgo: 60 }] },
      rules,
    );
    expect(result.eligible.map((o) => o.id)).toEqual(['ok', 'declined-long-ago']);
    expect(Object.fromEntries(result.excluded.map((e) => [e.offerId, e.reason]))).toEqual({
      paused: 'paused',
      retired: 'retired',
      'high-only': 'tier',
      'plus-only': 'plan',
      dear: 'budget',
      declined: 'declined-recently',
    });
  });
});

describe('hierarchical stay model', () => {
  it('shrinks a small segment toward its offer pool', () => {
    const model = new HierarchicalStayModel();
    for (const segment of ['a', 'b', 'c', 'd']) for (let i = 0; i < 200; i++) model.observe('x', segment, { kind: 'verified', stayed: i % 10 < 6 });
    model.observe('x', 'small', { kind: 'verified', stayed: false });
    model.observe('x', 'small', { kind: 'verified', stayed: false });
    const pool = model.pool('x');
    expect(pool.mean).toBeGreaterThan(0.55);
    const small = model.posteriorMean('x', 'small');
    expect(small).toBeGreaterThan(0.4); // its own rate is 0; the pool pulls it up
    expect(Math.abs(small - pool.mean)).toBeLessThan(0.2);
    expect(model.posteriorMean('x', 'a')).toBeCloseTo(0.6, 1);
  });

  it('counts a claimed stay as the segment share of verified claims', () => {
    const model = new HierarchicalStayModel();
    model.observe('x', 's', { kind: 'claimed', stayed: true, verifiedShare: 0.7 });
    expect(model.counts('x', 's')).toEqual({ stays: 0.7, trials: 1 });
  });
});

describe('Thompson offer policy', () => {
  const arms: OfferArm[] = [
    { id: 'cheap', cost: 10 },
    { id: 'dear', cost: 100 },
  ];

  it('prefers the cheaper of two offers with equal stay rates, and a costly one only when CLV pays for it', () => {
    const policy = new ThompsonOfferPolicy(1, { ...DEFAULT_THOMPSON, minExploration: 0 });
    const teach = (arm: string, rate: number): void => {
      for (let i = 0; i < 2000; i++) policy.observe(arm, 's', { kind: 'verified', stayed: i % 100 < rate * 100 });
    };
    teach(NO_OFFER, 0.3);
    teach('cheap', 0.5);
    teach('dear', 0.5);
    expect(policy.choose({ segment: 's', clv: 1000 }, arms).arm).toBe('cheap');
    const p2 = new ThompsonOfferPolicy(2, { ...DEFAULT_THOMPSON, minExploration: 0 });
    for (let i = 0; i < 2000; i++) {
      p2.observe(NO_OFFER, 's', { kind: 'verified', stayed: i % 100 < 30 });
      p2.observe('cheap', 's', { kind: 'verified', stayed: i % 100 < 40 });
      p2.observe('dear', 's', { kind: 'verified', stayed: i % 100 < 70 });
    }
    // 0.3·CLV more stays for 90 more cost: worth it at CLV 5000, not at 200.
    expect(p2.choose({ segment: 's', clv: 5000 }, arms).arm).toBe('dear');
    expect(p2.choose({ segment: 's', clv: 200 }, arms).arm).not.toBe('dear');
  });

  it('returns propensities that sum to one and include the chosen arm', () => {
    const policy = new ThompsonOfferPolicy(3);
    for (let i = 0; i < 20; i++) policy.observe('cheap', 's', { kind: 'verified', stayed: i % 2 === 0 });
    const choice = policy.choose({ segment: 's', clv: 300 }, arms);
    const total = Object.values(choice.propensities).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 9);
    expect(choice.propensity).toBe(choice.propensities[choice.arm]);
    expect(choice.propensity).toBeGreaterThan(0);
  });

  it('explores an offer unlucky early and its regret per round falls', () => {
    const truth: Record<string, number> = { [NO_OFFER]: 0.3, cheap: 0.6, dear: 0.65 };
    const value = (arm: string): number => (truth[arm] as number) * 1000 - (arm === 'cheap' ? 10 : arm === 'dear' ? 100 : 0);
    const best = Math.max(...Object.keys(truth).map(value));
    const policy = new ThompsonOfferPolicy(4, { ...DEFAULT_THOMPSON, propensityDraws: 10 });
    // 'cheap' (the best arm) starts unlucky: 5 leaves in a row.
    for (let i = 0; i < 5; i++) policy.observe('cheap', 's', { kind: 'verified', stayed: false });
    const random = createRandom(5);
    const regret: number[] = [];
    let cheapChosen = 0;
    for (let round = 0; round < 3000; round++) {
      const { arm } = policy.choose({ segment: 's', clv: 1000 }, arms);
      if (arm === 'cheap') cheapChosen += 1;
      regret.push(best - value(arm));
      policy.observe(arm, 's', { kind: 'verified', stayed: random.next() < (truth[arm] as number) });
    }
    expect(cheapChosen).toBeGreaterThan(100);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(regret.slice(2000))).toBeLessThan(mean(regret.slice(0, 300)));
  });
});

describe('off-policy evaluation', () => {
  it('recovers the true mean when the target policy is the logging policy', () => {
    const random = createRandom(6);
    const rows = Array.from({ length: 4000 }, () => {
      const arm = random.next() < 0.3 ? 'a' : 'b';
      const reward = arm === 'a' ? (random.next() < 0.6 ? 100 : 0) : random.next() < 0.4 ? 100 : 0;
      return { weight: 1, reward, propensity: arm === 'a' ? 0.3 : 0.7 };
    });
    const trueMean = 0.3 * 60 + 0.7 * 40;
    const e = offPolicyEstimate(rows, { bootstrap: 200, seed: 1 });
    expect(e.ips_ci95[0]).toBeLessThanOrEqual(trueMean);
    expect(e.ips_ci95[1]).toBeGreaterThanOrEqual(trueMean);
    expect(e.snips_ci95[0]).toBeLessThanOrEqual(trueMean);
    expect(e.snips_ci95[1]).toBeGreaterThanOrEqual(trueMean);
    // A target that always picks 'a': weight 1/0.3 on 'a' rows, 0 elsewhere; true mean 60.
    const onlyA = rows.map((r) => ({ weight: r.propensity === 0.3 ? 1 / 0.3 : 0, reward: r.reward }));
    const ea = offPolicyEstimate(onlyA, { bootstrap: 200, seed: 1 });
    expect(ea.snips_ci95[0]).toBeLessThanOrEqual(60);
    expect(ea.snips_ci95[1]).toBeGreaterThanOrEqual(60);
  });
});

describe('sim-offers tool', () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src-server/tools/sim-offers.ts', ...args], { cwd: process.cwd(), encoding: 'utf8', timeout: 60_000 });

  it('rejects bad flags with a clear message', () => {
    const bad = run(['--rounds', 'many']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/sim-offers: --rounds/);
    const negative = run(['--delay=-3']);
    expect(negative.status).toBe(2);
    expect(negative.stderr).toMatch(/--delay must not be negative/);
    const unknown = run(['--bogus', '1']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/sim-offers: .*bogus/);
  });

  it('prints the comparison as one JSON line', () => {
    const ok = run(['--customers', '50', '--rounds', '200', '--seed', '3']);
    expect(ok.status).toBe(0);
    const last = JSON.parse(ok.stdout.trim().split('\n').at(-1) as string) as Record<string, number>;
    expect(last.rounds).toBe(200);
    for (const key of ['net_value', 'oracle_net_value', 'random_net_value', 'best_fixed_net_value', 'greedy_net_value', 'ratio_to_oracle', 'saves', 'oracle_saves']) {
      expect(typeof last[key]).toBe('number');
    }
  });
});
