import { describe, expect, it } from 'vitest';
import { newcombeInterval, upliftReport, wilsonInterval } from '@shared/routing';

describe('uplift report', () => {
  it('reproduces the Wilson interval from Newcombe (1998a): 81/263', () => {
    const [low, high] = wilsonInterval(81, 263);
    expect(low).toBeCloseTo(0.2553, 3);
    expect(high).toBeCloseTo(0.3662, 3);
  });

  it("reproduces Newcombe's (1998b) method-10 interval for 56/70 - 48/80", () => {
    const [low, high] = newcombeInterval(56, 70, 48, 80);
    expect(low).toBeCloseTo(0.0524, 3);
    expect(high).toBeCloseTo(0.3339, 3);
  });

  it('reports rates per arm and calls a clear difference, and no difference when there is none', () => {
    const outcomes = [
      ...Array.from({ length: 1000 }, (_, i) => ({ arm: 'policy' as const, saved: i % 100 < 40 })),
      ...Array.from({ length: 1000 }, (_, i) => ({ arm: 'baseline' as const, saved: i % 100 < 30 })),
    ];
    const report = upliftReport(outcomes);
    expect(report.policy).toMatchObject({ calls: 1000, saves: 400, rate: 0.4 });
    expect(report.baseline.rate).toBe(0.3);
    expect(report.difference).toBeCloseTo(0.1, 10);
    expect(report.differenceCi95[0]).toBeGreaterThan(0);
    expect(report.differenceCi95[0]).toBeLessThan(0.1);
    expect(report.differenceCi95[1]).toBeGreaterThan(0.1);
    expect(report.policyBetter).toBe(true);

    const flat = upliftReport(outcomes.map((o, i) => ({ arm: o.arm, saved: i % 10 < 3 })));
    expect(flat.policyBetter).toBe(false);
    expect(flat.baselineBetter).toBe(false);
    expect(flat.differenceCi95[0]).toBeLessThan(0);
    expect(flat.differenceCi95[1]).toBeGreaterThan(0);
  });

  it('rejects malformed outcomes', () => {
    expect(() => upliftReport([{ arm: 'treatment', saved: true } as never])).toThrow(/arm/);
  });
});
