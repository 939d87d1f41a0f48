import { describe, expect, it } from 'vitest';
import type { CustomerProfile, CustomerScores } from '@shared/domain/customer';
import type { Interaction, Transaction } from '@shared/domain/interaction';
import { lastContactAnchor, lastContactAt, profileBeforeContact } from '../../../src-server/scoring/last-contact';

const contact = (id: string, occurredAt: string, overrides: Partial<Interaction> = {}): Interaction => ({
  id, customerId: 'C1', channel: 'call', direction: 'inbound', occurredAt, agentId: null, topic: 'general', sentiment: 0.2,
  summary: '', ticketStatus: null, offer: null, promise: null, ...overrides,
});

const scores = (probability: number, scoredAt: string, extra: Partial<CustomerScores> = {}): CustomerScores => ({
  customerId: 'C1', churnProbability: probability, churnBand: 'medium', reasons: [], churnModel: 'churn-old', clv: 100, valueTier: 'mid',
  valueModel: 'v', valueAtRisk: probability * 100, scoredAt, ...extra,
});

const profile: CustomerProfile = {
  id: 'C1', accountId: 'A1', givenName: 'Ana', familyName: 'Silva', phones: [], email: null, dateOfBirth: null, language: 'en',
  timezone: 'UTC', address: { line1: null, city: null, postcode: null, region: null, country: 'GB' }, doNotCall: false,
  sourceRecordIds: [], lineage: {}, updatedAt: '2025-06-01T00:00:00Z',
  plan: { name: 'Plus', monthlyCharge: 64.5, contractType: 'one-year', contractEnd: '2025-09-01', tenureMonths: 14, services: ['mobile'] },
  signals: { usageChange90d: -0.4, paymentFailures90d: 2, complaints90d: 3, negativeContacts90d: 3, daysSinceLastContact: 1, avgResolutionHours: null },
};

describe('lastContactAt', () => {
  it('is the latest interaction at or before the scoring time', () => {
    const interactions = [contact('a', '2025-05-01T10:00:00Z'), contact('c', '2025-07-05T10:00:00Z'), contact('b', '2025-06-20T10:00:00Z')];
    expect(lastContactAt(interactions, Date.parse('2025-06-30T00:00:00Z'))).toBe('2025-06-20T10:00:00Z');
    expect(lastContactAt([], Date.parse('2025-06-30T00:00:00Z'))).toBeNull();
  });
});

describe('lastContactAnchor', () => {
  const contactAt = '2025-06-20T10:00:00.000Z';

  it('takes the stored score when it was made before the contact: the score the agent saw', () => {
    expect(lastContactAnchor(scores(0.31, '2025-06-19T02:00:00.000Z'), contactAt)).toEqual({
      kind: 'stored', snapshot: { probability: 0.31, at: contactAt, churnModel: 'churn-old', replayed: false },
    });
  });

  it('carries a stored snapshot forward while the last contact is the same one', () => {
    const carried = { probability: 0.31, at: contactAt, churnModel: 'churn-old', replayed: false };
    expect(lastContactAnchor(scores(0.5, '2025-06-25T02:00:00.000Z', { churnAtLastContact: carried }), contactAt)).toEqual({ kind: 'stored', snapshot: carried });
  });

  it('replays when no stored score covers the contact, or only a replayed one does', () => {
    expect(lastContactAnchor(null, contactAt)).toEqual({ kind: 'replay', contactAt });
    expect(lastContactAnchor(scores(0.5, '2025-06-25T02:00:00.000Z'), contactAt)).toEqual({ kind: 'replay', contactAt });
    const replayed = { probability: 0.2, at: contactAt, churnModel: 'churn-old', replayed: true };
    expect(lastContactAnchor(scores(0.5, '2025-06-25T02:00:00.000Z', { churnAtLastContact: replayed }), contactAt)).toEqual({ kind: 'replay', contactAt });
    const olderContact = { probability: 0.2, at: '2025-05-01T00:00:00.000Z', churnModel: 'churn-old', replayed: false };
    expect(lastContactAnchor(scores(0.5, '2025-06-25T02:00:00.000Z', { churnAtLastContact: olderContact }), contactAt)).toEqual({ kind: 'replay', contactAt });
  });

  it('has nothing to anchor to without a contact', () => {
    expect(lastContactAnchor(scores(0.5, '2025-06-25T02:00:00.000Z'), null)).toEqual({ kind: 'none' });
  });
});

describe('profileBeforeContact', () => {
  it('re-derives the signals from the history before the contact and shortens the tenure', () => {
    const interactions = [
      contact('old', '2025-03-01T10:00:00Z', { topic: 'complaint', sentiment: -0.8 }),
      contact('before', '2025-04-10T10:00:00Z', { topic: 'billing', sentiment: -0.5 }),
      contact('last', '2025-04-20T10:00:00Z', { topic: 'complaint', sentiment: -0.9 }),
    ];
    const transactions: Transaction[] = [
      { id: 'f1', customerId: 'C1', occurredAt: '2025-04-01T00:00:00Z', amount: 60, kind: 'payment_failed' },
      { id: 'f2', customerId: 'C1', occurredAt: '2025-05-01T00:00:00Z', amount: 60, kind: 'payment_failed' },
    ];
    const then = profileBeforeContact(profile, interactions, transactions, '2025-04-20T10:00:00Z', Date.parse('2025-06-30T00:00:00Z'));
    expect(then.signals).toEqual({
      usageChange90d: -0.4, // usage history is not stored: today's trend is kept
      paymentFailures90d: 1,
      complaints90d: 1,
      negativeContacts90d: 2,
      daysSinceLastContact: 10,
      avgResolutionHours: null,
    });
    expect(then.plan.tenureMonths).toBe(12);
    expect(then.plan.contractEnd).toBe(profile.plan.contractEnd);
    expect(profile.plan.tenureMonths).toBe(14);
  });
});
