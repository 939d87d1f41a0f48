import { describe, expect, it } from 'vitest';
import {
  activityTrend,
  assignValueTiers,
  lifecycleStage,
  quintileScores,
  RFM_SEGMENTS,
  rfmScores,
  rfmSegment,
  tierForClv,
  type Score,
} from '@shared/value/index';

describe('value tiers', () => {
  it('puts the top 20 % in high, the next 30 % in mid, the rest in low', () => {
    const clvs = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    const { tiers, thresholds } = assignValueTiers(clvs);
    expect(tiers.filter((t) => t === 'high')).toHaveLength(20);
    expect(tiers.filter((t) => t === 'mid')).toHaveLength(30);
    expect(tiers.filter((t) => t === 'low')).toHaveLength(50);
    expect(tiers[99]).toBe('high');
    expect(tiers[0]).toBe('low');
    expect(thresholds).toEqual({ highMin: 81, midMin: 51 });
    expect(tierForClv(1000, thresholds)).toBe('high');
    expect(tierForClv(60, thresholds)).toBe('mid');
  });

  it('follows a custom configuration', () => {
    const clvs = Array.from({ length: 10 }, (_, i) => i);
    const { tiers } = assignValueTiers(clvs, { highShare: 0.1, midShare: 0.1 });
    expect(tiers.filter((t) => t === 'high')).toHaveLength(1);
    expect(tiers.filter((t) => t === 'mid')).toHaveLength(1);
    expect(() => assignValueTiers(clvs, { highShare: 0.7, midShare: 0.5 })).toThrow(/exceed 1/);
  });

  it('keeps customers with equal CLV in the same tier', () => {
    const clvs = [10, 10, 10, 10, 1, 1, 1, 1, 1, 1];
    const { tiers } = assignValueTiers(clvs);
    expect(new Set(tiers.slice(0, 4)).size).toBe(1);
    expect(new Set(tiers.slice(4)).size).toBe(1);
    expect(tiers[0]).toBe('high');
  });
});

describe('RFM', () => {
  it('scores quintiles 1..5 with equal values sharing a score', () => {
    expect(quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    const tied = quintileScores([0, 0, 0, 0, 0, 0, 5, 6, 7, 8]);
    expect(new Set(tied.slice(0, 6)).size).toBe(1);
    expect(tied[9]).toBe(5);
  });

  it('gives the most recent, most frequent, highest spender 5-5-5 (Champions) and the opposite 1-1-1 (Lost)', () => {
    const customers = Array.from({ length: 50 }, (_, i) => ({ recency: 200 - i * 4, frequency: i + 1, monetary: 10 + i }));
    const scores = rfmScores(customers);
    expect(scores[49]).toMatchObject({ recency: 5, frequency: 5, monetary: 5, code: '555', segment: 'Champions' });
    expect(scores[0]).toMatchObject({ recency: 1, frequency: 1, monetary: 1, code: '111', segment: 'Lost' });
  });

  it('maps the score grid to the usual named segments', () => {
    const s = (r: number, f: number, m: number) => rfmSegment(r as Score, f as Score, m as Score);
    expect(s(5, 1, 1)).toBe('New');
    expect(s(4, 1, 1)).toBe('Promising');
    expect(s(5, 3, 2)).toBe('Potential loyalist');
    expect(s(3, 5, 4)).toBe('Loyal');
    expect(s(3, 3, 3)).toBe('Need attention');
    expect(s(3, 1, 2)).toBe('About to sleep');
    expect(s(2, 3, 4)).toBe('At risk');
    expect(s(1, 5, 5)).toBe("Can't lose them");
    expect(s(2, 1, 2)).toBe('Hibernating');
    expect(s(1, 2, 1)).toBe('Lost');
    // Every cell of the grid has a segment, and every segment is used.
    const used = new Set<string>();
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) used.add(s(r, f, m));
    expect([...used].sort()).toEqual([...RFM_SEGMENTS].sort());
  });

  it('rejects negative recency', () => {
    expect(() => rfmScores([{ recency: -1, frequency: 1, monetary: 1 }])).toThrow();
  });
});

describe('lifecycle stage', () => {
  it('follows the documented rules in order', () => {
    expect(lifecycleStage({ tenureWeeks: 40, pAlive: 0.1, trend: 1 })).toBe('lapsed');
    expect(lifecycleStage({ tenureWeeks: 40, pAlive: 1, weeksSinceLastPurchase: 30 })).toBe('lapsed');
    expect(lifecycleStage({ tenureWeeks: 4, pAlive: 0.9 })).toBe('new');
    expect(lifecycleStage({ tenureWeeks: 40, pAlive: 0.5, trend: 0.5 })).toBe('declining');
    expect(lifecycleStage({ tenureWeeks: 40, pAlive: 0.9, trend: -0.5 })).toBe('declining');
    expect(lifecycleStage({ tenureWeeks: 40, pAlive: 0.9, trend: 0.8 })).toBe('growing');
    expect(lifecycleStage({ tenureWeeks: 40, pAlive: 0.9, trend: 0.1 })).toBe('mature');
    expect(lifecycleStage({ tenureWeeks: 40, pAlive: 0.9, trend: null })).toBe('mature');
  });

  it('honours a custom configuration', () => {
    expect(lifecycleStage({ tenureWeeks: 20, pAlive: 0.9 }, { newTenureWeeks: 26 })).toBe('new');
    expect(lifecycleStage({ tenureWeeks: 40, pAlive: 0.5 }, { lapsedBelow: 0.6 })).toBe('lapsed');
  });

  it('reads the activity trend from purchase times', () => {
    const steady = Array.from({ length: 40 }, (_, i) => i); // weekly for 40 weeks
    expect(Math.abs(activityTrend(steady, 40) as number)).toBeLessThan(0.1);
    const accelerating = [0, 10, 20, 28, 30, 32, 34, 36, 38, 39];
    expect(activityTrend(accelerating, 40) as number).toBeGreaterThan(0.3);
    const fading = [0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 20];
    expect(activityTrend(fading, 40) as number).toBeLessThan(-0.3);
    expect(activityTrend([0], 0)).toBeNull();
  });
});
