import { describe, expect, it } from 'vitest';
import { createRandom } from '@shared/util/random';
import {
  bgNbdCustomerLogLikelihood,
  bgNbdLogLikelihood,
  conditionalExpectedTransactions,
  expectedTransactions,
  fitBgNbd,
  probabilityAlive,
  simulateBgNbdCustomer,
  type BgNbdParams,
} from '@shared/value/index';

// Fader, Hardie & Lee (2005) estimates on the CDNOW sample, as given to more
// digits in CLVTools' correctness test (see REFERENCE_NUMBERS.md section 1).
const PUBLISHED: BgNbdParams = { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 };

describe('BG/NBD closed forms against published values', () => {
  it('conditional expected purchases for the Hardie spreadsheet customer is 1.226', () => {
    const value = conditionalExpectedTransactions(PUBLISHED, { x: 2, tx: 30.43, T: 38.86 }, 39);
    expect(Math.abs(value - 1.226)).toBeLessThan(0.001);
  });

  it('unconditional expected purchases match the lifetimes reference values', () => {
    const times = [0.1429, 1, 3, 31.8571, 32, 78];
    const published = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    times.forEach((t, i) => {
      expect(Math.abs(expectedTransactions(PUBLISHED, t) - (published[i] as number))).toBeLessThan(0.0015);
    });
  });

  it('a brand-new customer (x = 0, T = 0) expects what the unconditional formula says', () => {
    expect(conditionalExpectedTransactions(PUBLISHED, { x: 0, tx: 0, T: 0 }, 20)).toBeCloseTo(expectedTransactions(PUBLISHED, 20), 12);
  });
});

describe('BG/NBD behaviour', () => {
  it('P(alive) is 1 without repeat purchases, and falls as the last purchase ages', () => {
    expect(probabilityAlive(PUBLISHED, { x: 0, tx: 0, T: 30 })).toBe(1);
    const recent = probabilityAlive(PUBLISHED, { x: 4, tx: 29, T: 30 });
    const old = probabilityAlive(PUBLISHED, { x: 4, tx: 5, T: 30 });
    expect(recent).toBeGreaterThan(old);
    expect(old).toBeGreaterThan(0);
    expect(recent).toBeLessThanOrEqual(1);
  });

  it('expected purchases grow with the horizon and with past frequency', () => {
    const s = { x: 3, tx: 20, T: 30 };
    expect(conditionalExpectedTransactions(PUBLISHED, s, 0)).toBe(0);
    expect(conditionalExpectedTransactions(PUBLISHED, s, 10)).toBeLessThan(conditionalExpectedTransactions(PUBLISHED, s, 20));
    expect(conditionalExpectedTransactions(PUBLISHED, { x: 1, tx: 20, T: 30 }, 20)).toBeLessThan(
      conditionalExpectedTransactions(PUBLISHED, { x: 6, tx: 20, T: 30 }, 20),
    );
  });

  it('stays finite for very heavy buyers and long horizons', () => {
    // Twenty purchases a week, the last one today: still buying heavily.
    const heavy = conditionalExpectedTransactions(PUBLISHED, { x: 2000, tx: 100, T: 100 }, 520);
    expect(Number.isFinite(heavy)).toBe(true);
    expect(heavy).toBeGreaterThan(100);
    // The same buyer silent for a week is, at that rate, most likely gone.
    const silent = conditionalExpectedTransactions(PUBLISHED, { x: 2000, tx: 99, T: 100 }, 520);
    expect(silent).toBeLessThan(heavy / 100);
    expect(Number.isFinite(bgNbdCustomerLogLikelihood(PUBLISHED, { x: 2000, tx: 99, T: 100 }))).toBe(true);
  });

  it('is continuous across the removable singularity at a = 1', () => {
    const s = { x: 2, tx: 10, T: 20 };
    const at = (a: number): number => conditionalExpectedTransactions({ ...PUBLISHED, a }, s, 26);
    expect(at(1)).toBeCloseTo(at(1 + 1e-7), 6);
    expect(at(1)).toBeCloseTo(at(1 - 1e-7), 6);
  });

  it('agrees with a Monte Carlo average of the generative process', () => {
    const random = createRandom('bgnbd-mc');
    const params: BgNbdParams = { r: 0.8, alpha: 5, a: 0.9, b: 3 };
    const T = 30;
    const horizon = 26;
    // Condition on x = 0 in (0, T]: simple enough to rejection-sample.
    let total = 0;
    let kept = 0;
    while (kept < 20_000) {
      const c = simulateBgNbdCustomer(random, params, T, horizon);
      if (c.x !== 0) continue;
      total += c.holdout;
      kept++;
    }
    const predicted = conditionalExpectedTransactions(params, { x: 0, tx: 0, T }, horizon);
    expect(Math.abs(total / kept - predicted) / predicted).toBeLessThan(0.05);
  });
});

describe('fitBgNbd', () => {
  it('recovers the parameters of simulated customers', () => {
    const truth: BgNbdParams = { r: 0.5, alpha: 6, a: 0.7, b: 2.5 };
    const random = createRandom(20240501);
    const customers = Array.from({ length: 4000 }, () => simulateBgNbdCustomer(random, truth, 52 + 52 * random.next(), 39));
    const fit = fitBgNbd(customers);
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(4000);
    // Tolerances are about twice the spread of fits over seven seeds at this
    // size: r and alpha are tight, a and b of the dropout Beta much less so,
    // their mean dropout probability a / (a + b) in between.
    expect(Math.abs(fit.r / truth.r - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.alpha / truth.alpha - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.a / truth.a - 1)).toBeLessThan(0.35);
    expect(Math.abs(fit.b / truth.b - 1)).toBeLessThan(0.35);
    expect(Math.abs(fit.a / (fit.a + fit.b) / (truth.a / (truth.a + truth.b)) - 1)).toBeLessThan(0.15);
    // It is a maximum: no worse than the truth or small moves around the optimum.
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdLogLikelihood(truth, customers));
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      for (const factor of [0.99, 1.01]) {
        expect(bgNbdLogLikelihood({ ...fit, [key]: fit[key] * factor }, customers)).toBeLessThan(fit.logLikelihood);
      }
    }
    // And it predicts the holdout period of the same customers.
    const predicted = customers.reduce((s, c) => s + conditionalExpectedTransactions(fit, c, 39), 0);
    const actual = customers.reduce((s, c) => s + c.holdout, 0);
    expect(Math.abs(predicted / actual - 1)).toBeLessThan(0.1);
  });

  it('reports the log-likelihood of the parameters it returns', () => {
    const random = createRandom('ll-consistency');
    const customers = Array.from({ length: 500 }, () => simulateBgNbdCustomer(random, { r: 1, alpha: 4, a: 1.2, b: 4 }, 40));
    const fit = fitBgNbd(customers);
    expect(fit.logLikelihood).toBeCloseTo(bgNbdLogLikelihood(fit, customers), 6);
  });

  it('rejects impossible summaries with a clear message', () => {
    expect(() => fitBgNbd([{ x: 1, tx: 10, T: 5 }])).toThrow(/cannot exceed T/);
    expect(() => fitBgNbd([])).toThrow(/at least one customer/);
  });
});
