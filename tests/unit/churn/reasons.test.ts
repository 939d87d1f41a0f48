import { describe, expect, it } from 'vitest';
import { driverForColumn, reasonPhraser } from '@shared/churn/reasons';
import type { CategoricalFeature, NumericFeature } from '@shared/churn/schema';

function numeric(name: string, quantiles: [number, number, number], extra: Partial<NumericFeature> = {}): NumericFeature {
  return { name, kind: 'numeric', cuts: [1, 2, 3], mean: quantiles[1], sd: 1, quantiles, missingRate: 0, integer: false, ...extra };
}

function categorical(name: string, levels: string[]): CategoricalFeature {
  return { name, kind: 'categorical', levels, frequencies: [...levels.map(() => 1 / (levels.length + 1)), 1 / (levels.length + 1)], missingRate: 0 };
}

describe('reason phrases', () => {
  it('speaks plainly about the product features', () => {
    expect(reasonPhraser(numeric('usage_change_90d', [-0.3, 0, 0.2]))(-0.4, -0.4)).toEqual({ code: 'usage_down', driver: 'usage', phrase: 'Usage down 40% in 90 days', template: { key: 'usage_down', args: { pct: 40 } } });
    expect(reasonPhraser(numeric('complaints_90d', [0, 0, 2]))(3, 3)).toMatchObject({ code: 'complaints', driver: 'service', phrase: '3 complaints in 90 days' });
    expect(reasonPhraser(numeric('complaints_90d', [0, 0, 2]))(1, 1).phrase).toBe('1 complaint in 90 days');
    expect(reasonPhraser(numeric('payment_failures_90d', [0, 0, 1]))(2, 2)).toMatchObject({ code: 'payment_failures', driver: 'payment', phrase: '2 failed payments in 90 days' });
    expect(reasonPhraser(numeric('monthly_charge', [30, 60, 100]))(95, 95)).toMatchObject({ code: 'high_price', driver: 'price', phrase: 'High monthly charge ($95)' });
    expect(reasonPhraser(numeric('tenure_months', [2, 20, 60]))(3, 3)).toMatchObject({ code: 'new_customer', driver: 'tenure', phrase: 'Customer for only 3 months' });
    expect(reasonPhraser(numeric('days_to_contract_end', [0, 100, 300]))(20, 20).phrase).toBe('Contract ends in 20 days');
    expect(reasonPhraser(numeric('avg_resolution_hours', [2, 10, 50]))(Number.NaN, null).code).toBe('no_support_history');
    const contract = reasonPhraser(categorical('contract_type', ['month-to-month', 'one-year', 'two-year']));
    expect(contract(0, 'month-to-month')).toMatchObject({ code: 'contract_m2m', driver: 'contract', phrase: 'Month-to-month contract' });
  });

  it('falls back to generic phrases for unknown columns', () => {
    expect(reasonPhraser(numeric('tenure', [1, 29, 69]))(2, '2')).toEqual({ code: 'tenure_low', driver: 'tenure', phrase: 'tenure is low (2)', template: { key: 'column_low', args: { column: 'tenure', value: '2' } } });
    expect(reasonPhraser(numeric('tenure', [1, 29, 69]))(Number.NaN, ' ').phrase).toBe('tenure is missing');
    expect(reasonPhraser(numeric('SeniorCitizen', [0, 0, 1], { cuts: [0.5], integer: true }))(1, '1').phrase).toBe('SeniorCitizen = 1');
    expect(reasonPhraser(categorical('Contract', ['Month-to-month', 'One year']))(1, 'One year').phrase).toBe('Contract = One year');
    expect(reasonPhraser(categorical('Contract', ['Month-to-month', 'One year']))(0, 'Month-to-month').phrase).toBe('Month-to-month contract');
    expect(reasonPhraser(categorical('PaymentMethod', ['Electronic check']))(0, 'Electronic check')).toMatchObject({ code: 'PaymentMethod=Electronic check', driver: 'payment', phrase: 'Pays by electronic check' });
    // A rare or unseen level keeps its own label in the phrase.
    expect(reasonPhraser(categorical('Plan', ['basic']))(1, 'legacy gold').phrase).toBe('Plan = legacy gold');
    expect(reasonPhraser(numeric('MonthlyCharges', [20, 70, 100]))(95, '95').phrase).toBe('High monthly charge ($95)');
  });

  it('guesses the churn driver from a column name', () => {
    expect(driverForColumn('MonthlyCharges')).toBe('price');
    expect(driverForColumn('PaymentMethod')).toBe('payment');
    expect(driverForColumn('Contract')).toBe('contract');
    expect(driverForColumn('tenure')).toBe('tenure');
    expect(driverForColumn('CustServ Calls')).toBe('service');
    expect(driverForColumn('Day Mins')).toBe('usage');
    expect(driverForColumn('gender')).toBe('other');
  });
});
