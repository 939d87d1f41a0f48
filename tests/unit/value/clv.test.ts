import { describe, expect, it } from 'vitest';
import {
  conditionalExpectedSpend,
  conditionalExpectedTransactions,
  customerClv,
  valueAtRisk,
  type ValueModelParams,
} from '@shared/value/index';

const MODEL: ValueModelParams = {
  bgnbd: { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 },
  gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 },
};
const CUSTOMER = { x: 4, tx: 30, T: 38, meanRepeatValue: 40 };

describe('customerClv', () => {
  it('without discounting equals expected purchases x expected spend x margin', () => {
    const result = customerClv(CUSTOMER, MODEL, { margin: 0.3, annualDiscountRate: 0, horizonWeeks: 52 });
    const transactions = conditionalExpectedTransactions(MODEL.bgnbd, CUSTOMER, 52);
    const spend = conditionalExpectedSpend(MODEL.gammaGamma, CUSTOMER.x, CUSTOMER.meanRepeatValue);
    expect(result.clv).toBeCloseTo(transactions * spend * 0.3, 9);
    expect(result.expectedTransactions).toBeCloseTo(transactions, 12);
    expect(result.expectedSpend).toBeCloseTo(spend, 12);
  });

  it('is proportional to the margin', () => {
    const low = customerClv(CUSTOMER, MODEL, { margin: 0.1 }).clv;
    const high = customerClv(CUSTOMER, MODEL, { margin: 0.4 }).clv;
    expect(high).toBeCloseTo(4 * low, 9);
    expect(customerClv(CUSTOMER, MODEL, { margin: 0 }).clv).toBe(0);
  });

  it('falls as the discount rate rises and grows with the horizon', () => {
    const rates = [0, 0.05, 0.1, 0.3, 1];
    const values = rates.map((annualDiscountRate) => customerClv(CUSTOMER, MODEL, { annualDiscountRate }).clv);
    for (let i = 1; i < values.length; i++) expect(values[i] as number).toBeLessThan(values[i - 1] as number);
    const horizons = [4, 13, 26, 52, 104];
    const byHorizon = horizons.map((horizonWeeks) => customerClv(CUSTOMER, MODEL, { horizonWeeks }).clv);
    for (let i = 1; i < byHorizon.length; i++) expect(byHorizon[i] as number).toBeGreaterThan(byHorizon[i - 1] as number);
  });

  it('discounts roughly by half a year at a 10 % annual rate over one year', () => {
    const undiscounted = customerClv(CUSTOMER, MODEL, { annualDiscountRate: 0 }).clv;
    const discounted = customerClv(CUSTOMER, MODEL, { annualDiscountRate: 0.1 }).clv;
    const ratio = discounted / undiscounted;
    expect(ratio).toBeGreaterThan(1 / 1.1);
    expect(ratio).toBeLessThan(1);
  });

  it('discounts each week at its end, with 365.25/7 weeks a year', () => {
    const spend = conditionalExpectedSpend(MODEL.gammaGamma, CUSTOMER.x, CUSTOMER.meanRepeatValue);
    let expected = 0;
    for (let week = 1; week <= 26; week++) {
      const increment =
        conditionalExpectedTransactions(MODEL.bgnbd, CUSTOMER, week) - conditionalExpectedTransactions(MODEL.bgnbd, CUSTOMER, week - 1);
      expected += (increment * spend * 0.25) / 1.2 ** (week / (365.25 / 7));
    }
    const result = customerClv(CUSTOMER, MODEL, { margin: 0.25, annualDiscountRate: 0.2, horizonWeeks: 26 });
    expect(result.clv).toBeCloseTo(expected, 10);
  });

  it('values an active frequent buyer above a lapsed one', () => {
    const active = customerClv({ x: 8, tx: 37, T: 38, meanRepeatValue: 30 }, MODEL).clv;
    const lapsed = customerClv({ x: 8, tx: 5, T: 38, meanRepeatValue: 30 }, MODEL).clv;
    expect(active).toBeGreaterThan(lapsed);
  });

  it('uses the population mean spend for one-time buyers', () => {
    const result = customerClv({ x: 0, tx: 0, T: 20 }, MODEL);
    expect(result.expectedSpend).toBeCloseTo((6.25 * 15.44) / 2.74, 9);
    expect(result.pAlive).toBe(1);
  });

  it('rejects a margin outside [0, 1]', () => {
    expect(() => customerClv(CUSTOMER, MODEL, { margin: 1.5 })).toThrow();
  });
});

describe('valueAtRisk', () => {
  it('is P(churn) x CLV and validates its inputs', () => {
    expect(valueAtRisk(0.25, 400)).toBe(100);
    expect(valueAtRisk(0, 400)).toBe(0);
    expect(() => valueAtRisk(1.2, 400)).toThrow(/churn probability/);
    expect(() => valueAtRisk(0.5, Number.NaN)).toThrow(/CLV/);
  });
});
