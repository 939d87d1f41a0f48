import { describe, expect, it } from 'vitest';
import type { CustomerProfile } from '@shared/domain/customer';
import { heuristicChurn } from '@shared/scoring/heuristic-churn';
import { tierCutoffs, tierFor } from '@shared/scoring/heuristic-value';

const base: CustomerProfile = {
  id: 'C1', accountId: 'ACC-1', givenName: 'A', familyName: 'B', phones: [], email: null, dateOfBirth: null, language: 'en', timezone: 'UTC',
  address: { line1: null, city: null, postcode: null, region: null, country: 'US' },
  plan: { name: 'p', monthlyCharge: 40, contractType: 'two-year', contractEnd: '2028-01-01', tenureMonths: 40, services: [] },
  signals: { usageChange90d: 0, paymentFailures90d: 0, complaints90d: 0, negativeContacts90d: 0, daysSinceLastContact: 30, avgResolutionHours: null },
  doNotCall: false, sourceRecordIds: [], lineage: {}, updatedAt: '2026-01-01',
};

describe('heuristic churn', () => {
  it('is low for a settled customer and gives no reasons', () => {
    const estimate = heuristicChurn(base, '2026-11-20T00:00:00Z');
    expect(estimate.band).toBe('low');
    expect(estimate.reasons).toEqual([]);
    expect(estimate.modelVersion).toMatch(/^heuristic/);
  });

  it('rises with each risk signal and explains it in plain words, strongest first', () => {
    const risky: CustomerProfile = {
      ...base,
      plan: { ...base.plan, contractType: 'month-to-month', contractEnd: null, tenureMonths: 3, monthlyCharge: 120 },
      signals: { ...base.signals, usageChange90d: -0.4, complaints90d: 2, paymentFailures90d: 1 },
    };
    const estimate = heuristicChurn(risky, '2026-11-20T00:00:00Z');
    expect(estimate.probability).toBeGreaterThan(heuristicChurn(base, '2026-11-20T00:00:00Z').probability);
    expect(estimate.band).toBe('high');
    const phrases = estimate.reasons.map((r) => r.phrase);
    expect(phrases).toContain('Month-to-month contract');
    expect(phrases).toContain('Usage down 40% in 90 days');
    expect(phrases).toContain('2 complaints in 90 days');
    const weights = estimate.reasons.map((r) => r.weight);
    expect([...weights].sort((a, b) => b - a)).toEqual(weights);
  });

  it('flags a contract ending soon', () => {
    const ending = { ...base, plan: { ...base.plan, contractEnd: '2026-12-10' } };
    expect(heuristicChurn(ending, '2026-11-20T00:00:00Z').reasons[0]?.code).toBe('contract_ending');
  });
});

describe('value tiers', () => {
  it('puts the top 20% high and the next 30% mid', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const cutoffs = tierCutoffs(values);
    const tiers = values.map((v) => tierFor(v, cutoffs));
    expect(tiers.filter((t) => t === 'high')).toHaveLength(20);
    expect(tiers.filter((t) => t === 'mid')).toHaveLength(30);
    expect(tiers.filter((t) => t === 'low')).toHaveLength(50);
  });
});
