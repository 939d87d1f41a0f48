import { describe, expect, it } from 'vitest';
import { createRandom } from '@shared/util/random';
import {
  conditionalExpectedSpend,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  populationMeanSpend,
  simulateMeanSpend,
  type GammaGammaParams,
} from '@shared/value/index';

const PUBLISHED: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };

describe('Gamma-Gamma closed forms against published values', () => {
  it('conditional expected average profit matches the Hardie spreadsheet for the first CDNOW customers', () => {
    // (x, mean repeat value) of the first ten CDNOW sample customers: the
    // inputs of the lifetimes reference test, not the data set itself.
    const inputs: [number, number][] = [
      [2, 22.35], [1, 11.77], [0, 0], [0, 0], [0, 0], [7, 73.74], [1, 11.77], [0, 0], [2, 25.55], [0, 0],
    ];
    const published = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    inputs.forEach(([x, zbar], i) => {
      expect(Math.abs(conditionalExpectedSpend(PUBLISHED, x, x > 0 ? zbar : null) - (published[i] as number))).toBeLessThan(0.1);
    });
  });

  it('shrinks toward the population mean, less so with more purchases', () => {
    const mean = populationMeanSpend(PUBLISHED);
    const one = conditionalExpectedSpend(PUBLISHED, 1, 100);
    const ten = conditionalExpectedSpend(PUBLISHED, 10, 100);
    expect(one).toBeGreaterThan(mean);
    expect(one).toBeLessThan(ten);
    expect(ten).toBeLessThan(100);
  });

  it('has no population mean when q <= 1', () => {
    expect(populationMeanSpend({ p: 2, q: 0.9, gamma: 10 })).toBeNaN();
  });
});

describe('fitGammaGamma', () => {
  it('recovers the parameters of simulated spend', () => {
    const truth: GammaGammaParams = { p: 6, q: 4, gamma: 15 };
    const random = createRandom(777);
    const customers = Array.from({ length: 3000 }, () => {
      const x = random.int(1, 8);
      return { x, meanValue: simulateMeanSpend(random, truth, x) };
    });
    const fit = fitGammaGamma(customers);
    expect(fit.converged).toBe(true);
    // p and gamma trade off against each other; their combination, the mean
    // spend, is pinned down much better than either.
    for (const key of ['p', 'q', 'gamma'] as const) expect(Math.abs(fit[key] / truth[key] - 1)).toBeLessThan(0.35);
    expect(Math.abs(populationMeanSpend(fit) / populationMeanSpend(truth) - 1)).toBeLessThan(0.05);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(truth, customers));
    expect(fit.logLikelihood).toBeCloseTo(gammaGammaLogLikelihood(fit, customers), 6);
  });

  it('rejects non-positive spend and empty input', () => {
    expect(() => fitGammaGamma([{ x: 1, meanValue: 0 }])).toThrow();
    expect(() => fitGammaGamma([])).toThrow(/at least one customer/);
  });
});
