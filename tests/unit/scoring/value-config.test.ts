import { describe, expect, it } from 'vitest';
import { serverConfigFromEnv, serverConfigSchema } from '../../../src-server/config';
import { tierSharesSchema, valueConfigSchema, valueOptions } from '../../../src-server/scoring/value-config';

describe('value settings: CLV horizon, margin, discount rate and tier shares', () => {
  it('defaults to 12 months (52 weekly steps), 30% margin, 10% a year and 20/30/50', () => {
    const config = serverConfigSchema.parse({}).value;
    expect(config).toEqual({ horizonMonths: 12, margin: 0.3, discountRate: 0.1, tiers: { high: 20, mid: 30 } });
    expect(valueOptions(config)).toEqual({ clv: { horizonWeeks: 52, margin: 0.3, annualDiscountRate: 0.1 }, tiers: { highShare: 0.2, midShare: 0.3 } });
  });

  it('reads HOLDFAST_CLV_* and HOLDFAST_VALUE_TIERS', () => {
    const input = serverConfigFromEnv({ HOLDFAST_CLV_HORIZON_MONTHS: '24', HOLDFAST_CLV_MARGIN: '0.25', HOLDFAST_CLV_DISCOUNT_RATE: '0.08', HOLDFAST_VALUE_TIERS: '10/40/50' });
    const config = serverConfigSchema.parse(input).value;
    expect(config).toEqual({ horizonMonths: 24, margin: 0.25, discountRate: 0.08, tiers: { high: 10, mid: 40 } });
    expect(valueOptions(config).clv.horizonWeeks).toBe(104);
  });

  it('refuses settings that make no sense, naming them', () => {
    expect(() => serverConfigFromEnv({ HOLDFAST_VALUE_TIERS: '50/60/0' })).toThrow(/HOLDFAST_VALUE_TIERS: .*more than 100%/);
    expect(() => serverConfigFromEnv({ HOLDFAST_VALUE_TIERS: 'top fifth' })).toThrow(/percentages high\/mid\/low/);
    expect(tierSharesSchema.safeParse('20/30/40').success).toBe(false);
    expect(tierSharesSchema.parse('20/30')).toEqual({ high: 20, mid: 30 });
    expect(valueConfigSchema.safeParse({ margin: '1.5' }).error?.issues[0]?.message).toMatch(/margin must be between 0 and 1/);
    expect(valueConfigSchema.safeParse({ horizonMonths: '0' }).error?.issues[0]?.message).toMatch(/horizon must be positive/);
  });
});
