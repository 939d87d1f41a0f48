import { describe, expect, it } from 'vitest';
import { LIFECYCLE_STAGES, RFM_SEGMENTS } from '@shared/value';
import { loadValueModelFile } from '../../../src-server/scoring/value-model-file';
import { customerValues, fitValueModelFile, MIN_REPEAT_BUYERS, MIN_VALUE_CUSTOMERS, ValueFitError, type ValueInput } from '../../../src-server/scoring/value-scoring';
import { simulatedValueInputs } from './value-fixtures';

const OPTIONS = { asOf: '2025-06-30', createdAt: '2025-07-01T00:00:00.000Z' };

describe('fitValueModelFile', () => {
  const inputs: ValueInput[] = [...simulatedValueInputs(2000, 'value-book'), { history: null, tenureMonths: 40 }, { history: null, tenureMonths: 1 }];
  const { file, values } = fitValueModelFile(inputs, OPTIONS);

  it('recovers the BG/NBD and Gamma-Gamma parameters it was simulated from, roughly', () => {
    expect(file.fit.bgnbd.r).toBeGreaterThan(0.15);
    expect(file.fit.bgnbd.r).toBeLessThan(0.4);
    expect(file.fit.gammaGamma.p).toBeGreaterThan(3);
    expect(file.cohort).toEqual({ customers: 2002, repeatBuyers: inputs.filter((i) => (i.history?.x ?? 0) > 0).length, withoutPurchases: 2 });
    expect(file.repeatPurchaseKinds).toEqual(['payment', 'purchase']);
    expect(file.clv).toEqual({ margin: 0.3, annualDiscountRate: 0.1, horizonWeeks: 52 });
  });

  it('writes a file its own loader accepts, with the tier cut-offs', () => {
    expect(loadValueModelFile(JSON.stringify(file))).toMatchObject({ ok: true });
    expect(file.tiers.highMin).toBeGreaterThan(file.tiers.midMin ?? Infinity);
  });

  it('puts the top 20% in high and the next 30% in mid', () => {
    const share = (tier: string): number => values.filter((v) => v.valueTier === tier).length / values.length;
    expect(share('high')).toBeCloseTo(0.2, 2);
    expect(share('mid')).toBeCloseTo(0.3, 2);
    const lowestHigh = Math.min(...values.filter((v) => v.valueTier === 'high').map((v) => v.clv));
    const highestMid = Math.max(...values.filter((v) => v.valueTier === 'mid').map((v) => v.clv));
    expect(lowestHigh).toBeGreaterThanOrEqual(highestMid);
  });

  it('gives every customer a finite CLV, an RFM segment and a lifecycle stage; never-paid customers rank last on recency', () => {
    for (const v of values) {
      expect(Number.isFinite(v.clv) && v.clv >= 0).toBe(true);
      expect(RFM_SEGMENTS).toContain(v.rfmSegment);
      expect(LIFECYCLE_STAGES).toContain(v.lifecycleStage);
    }
    const [longNoPay, justJoined] = values.slice(-2);
    expect(longNoPay?.rfm.r).toBe(1);
    expect(longNoPay?.lifecycleStage).toBe('lapsed');
    expect(justJoined?.lifecycleStage).toBe('new');
  });

  it('values a customer who buys more often, more recently and for more money higher', () => {
    const base = inputs[0]!.history!;
    const rescore = (changes: Partial<typeof base>): number =>
      customerValues([{ history: { ...base, x: 6, tx: 30, T: 40, meanRepeatValue: 40, ...changes }, tenureMonths: 10 }], structuredClone(file))[0]!.clv;
    expect(rescore({ meanRepeatValue: 80 })).toBeGreaterThan(rescore({}));
    expect(rescore({ x: 12 })).toBeGreaterThan(rescore({}));
    expect(rescore({ tx: 39 })).toBeGreaterThan(rescore({ tx: 10 }));
  });

  it('refuses to fit on too few paying customers or too few repeat buyers', () => {
    const pool = simulatedValueInputs(3000, 'few');
    const repeaters = pool.filter((i) => (i.history?.x ?? 0) > 0);
    const oneTimers = pool.filter((i) => i.history?.x === 0);
    expect(() => fitValueModelFile(repeaters.slice(0, MIN_VALUE_CUSTOMERS - 1), OPTIONS)).toThrow(ValueFitError);
    const fewRepeaters = [...repeaters.slice(0, MIN_REPEAT_BUYERS - 1), ...oneTimers.slice(0, MIN_VALUE_CUSTOMERS)];
    expect(() => fitValueModelFile(fewRepeaters, OPTIONS)).toThrow(new RegExp(`${MIN_REPEAT_BUYERS - 1} repeat buyers \\(need ${MIN_REPEAT_BUYERS}\\)`));
  });
});
