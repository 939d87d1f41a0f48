import { describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '@shared/identity/canonical';
import { standardiseRecord } from '@shared/identity/standardise';
import { buildGoldenRecord, DEFAULT_SURVIVORSHIP } from '@shared/identity/survivorship';

const std = (record: Partial<CanonicalRecord> & { source: string; record_id: string }) => standardiseRecord(record, { defaultRegion: 'US' });

const crm = std({
  source: 'crm', record_id: 'C1', given_name: 'Robert', family_name: 'Smith', date_of_birth: '1980-03-12', phone: '(212) 736-5000',
  email: 'bob@old.example', address_line1: 'Oak Street', street_number: '12', city: 'Boston', postcode: '02101', region: 'MA',
  national_id: '123-45-6789', updated_at: '2020-01-01T00:00:00Z',
});
const billing = std({
  source: 'billing', record_id: 'B1', given_name: 'Robert', family_name: 'Smith', phone: '617-555-0199', email: 'bob@new.example',
  address_line1: 'Pine Road', street_number: '7', city: 'Austin', postcode: '78701', region: 'TX', account_id: 'A-1', updated_at: '2024-06-01T00:00:00Z',
});
const support = std({
  source: 'support', record_id: 'S1', given_name: 'Bob', family_name: 'Smiht', phone: 'not a phone', email: 'bob@support.example',
  updated_at: '2023-01-01T00:00:00Z',
});

describe('buildGoldenRecord', () => {
  const golden = buildGoldenRecord('cust_1', [support, billing, crm], 0.9);

  it('takes identity facts by agreement and trust, contact facts by recency', () => {
    expect(golden.fields.given_name).toBe('Robert');
    expect(golden.fields.family_name).toBe('Smith');
    expect(golden.fields.email).toBe('bob@new.example');
    expect(golden.fields.phone).toBe('+16175550199');
  });

  it('fills missing values from whichever source has them, with lineage', () => {
    expect(golden.fields.date_of_birth).toBe('1980-03-12');
    expect(golden.lineage.date_of_birth).toEqual({ source: 'crm', recordId: 'C1', at: '2020-01-01T00:00:00.000Z' });
    expect(golden.fields.account_id).toBe('A1');
    expect(golden.lineage.account_id).toMatchObject({ source: 'billing', recordId: 'B1' });
    expect(golden.fields.national_id).toBe('123456789');
  });

  it('keeps the address as one unit from the most recent record', () => {
    expect([golden.fields.street_number, golden.fields.address_line1, golden.fields.city, golden.fields.postcode]).toEqual(['7', 'Pine Road', 'Austin', '78701']);
    expect(golden.lineage.city).toMatchObject({ recordId: 'B1' });
  });

  it('lists every usable phone and keeps flagged values visible', () => {
    expect(golden.phones).toEqual(['+16175550199', '+12127365000']);
    expect(golden.issues).toEqual([expect.objectContaining({ field: 'phone', value: 'not a phone', recordKey: 'support:S1' })]);
    expect(golden.memberKeys.sort()).toEqual(['billing:B1', 'crm:C1', 'support:S1']);
    expect(golden.updatedAt).toBe('2024-06-01T00:00:00.000Z');
  });

  it('follows a different trust order when told', () => {
    const rules = { ...DEFAULT_SURVIVORSHIP, trustOrder: ['support', 'billing', 'crm'], criteria: { default: ['trust' as const] } };
    const trusted = buildGoldenRecord('cust_1', [crm, billing, support], 0.9, rules);
    expect(trusted.fields.given_name).toBe('Bob');
    expect(trusted.lineage.given_name).toMatchObject({ source: 'support' });
  });

  it('uses a flagged value only when no valid one exists', () => {
    const onlyBad = buildGoldenRecord('cust_2', [support], 1);
    expect(onlyBad.fields.phone).toBe('not a phone');
    expect(onlyBad.phones).toEqual([]);
  });
});
