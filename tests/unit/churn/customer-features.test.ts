import { describe, expect, it } from 'vitest';
import type { CustomerProfile } from '@shared/domain/customer';
import { CUSTOMER_FEATURES, customerFeatureRow } from '@shared/churn/customer-features';

function profile(plan: Partial<CustomerProfile['plan']>, signals: Partial<CustomerProfile['signals']> = {}): CustomerProfile {
  return {
    id: 'C1', accountId: 'A1', givenName: 'Ana', familyName: 'Silva', phones: [], email: null, dateOfBirth: null, language: 'en',
    timezone: 'UTC', address: { line1: null, city: null, postcode: null, region: null, country: 'GB' }, doNotCall: false,
    sourceRecordIds: [], lineage: {}, updatedAt: '2025-06-01T00:00:00Z',
    plan: { name: 'Plus', monthlyCharge: 64.5, contractType: 'one-year', contractEnd: '2025-07-20', tenureMonths: 14, services: ['mobile', 'tv'], ...plan },
    signals: { usageChange90d: -0.4, paymentFailures90d: 1, complaints90d: 3, negativeContacts90d: 2, daysSinceLastContact: 5, avgResolutionHours: 30, ...signals },
  };
}

describe('customerFeatureRow', () => {
  it('maps a profile to the product feature row', () => {
    expect(customerFeatureRow(profile({}), '2025-06-30')).toEqual({
      usage_change_90d: -0.4, complaints_90d: 3, negative_contacts_90d: 2, avg_resolution_hours: 30, days_since_last_contact: 5,
      payment_failures_90d: 1, tenure_months: 14, days_to_contract_end: 20, monthly_charge: 64.5, contract_type: 'one-year', service_count: 2,
    });
  });

  it('has exactly the published feature names', () => {
    expect(Object.keys(customerFeatureRow(profile({}), '2025-06-30')).sort()).toEqual(Object.values(CUSTOMER_FEATURES).sort());
  });

  it('counts days to a past contract end as negative and accepts a Date', () => {
    expect(customerFeatureRow(profile({ contractEnd: '2025-06-20' }), new Date('2025-06-30T00:00:00Z')).days_to_contract_end).toBe(-10);
  });

  it('leaves unknowns missing instead of guessing zero', () => {
    const row = customerFeatureRow(profile({ contractType: 'month-to-month', contractEnd: null }, { avgResolutionHours: null, daysSinceLastContact: null }), '2025-06-30');
    expect(row.days_to_contract_end).toBeNull();
    expect(row.avg_resolution_hours).toBeNull();
    expect(row.days_since_last_contact).toBeNull();
    expect(customerFeatureRow(profile({ contractEnd: 'someday' }), '2025-06-30').days_to_contract_end).toBeNull();
  });

  it('refuses an unreadable reference date', () => {
    expect(() => customerFeatureRow(profile({}), 'yesterday')).toThrow(/reference date/);
  });
});
