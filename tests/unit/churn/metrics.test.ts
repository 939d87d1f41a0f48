import { describe, expect, it } from 'vitest';
import { brierScore, logLoss, logLossFromMargins, mean, rocAuc, sigmoid, standardDeviation } from '@shared/churn/metrics';

describe('rocAuc', () => {
  it('matches a hand count of correctly ordered pairs', () => {
    // Pairs (pos, neg): (0.35 vs 0.1) ok, (0.35 vs 0.4) wrong, (0.8 vs 0.1) ok, (0.8 vs 0.4) ok -> 3/4.
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
  });

  it('counts a tie between a positive and a negative as one half', () => {
    // Pairs: (0.5 vs 0.5) tie = 0.5, (0.5 vs 0.2) ok = 1, (0.9 vs 0.5) ok, (0.9 vs 0.2) ok -> 3.5/4.
    expect(rocAuc([1, 0, 0, 1], [0.5, 0.5, 0.2, 0.9])).toBeCloseTo(0.875, 12);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, NaN for one class', () => {
    expect(rocAuc([0, 0, 1], [1, 2, 3])).toBe(1);
    expect(rocAuc([0, 0, 1], [3, 2, 1])).toBe(0);
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
  });
});

describe('brierScore and logLoss', () => {
  it('match hand-computed values', () => {
    expect(brierScore([1, 0], [0.8, 0.3])).toBeCloseTo((0.04 + 0.09) / 2, 12);
    expect(logLoss([1, 0], [0.8, 0.3])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7)) / 2, 12);
  });

  it('log-loss from margins equals log-loss of their probabilities', () => {
    const margins = [-3, -0.2, 0, 1.5, 40];
    const labels = [0, 1, 0, 1, 1];
    expect(logLossFromMargins(labels, margins)).toBeCloseTo(logLoss(labels, margins.map(sigmoid)), 10);
  });

  it('summarises folds with mean and sample standard deviation', () => {
    expect(mean([1, 2, 3])).toBe(2);
    expect(standardDeviation([1, 2, 3])).toBeCloseTo(1, 12);
  });
});
