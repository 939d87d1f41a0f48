import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CustomerProfile } from '@shared/domain/customer';
import { HybridLogicalClock } from '@shared/sync/hlc';
import { applyProfileEdit, mergeIncomingProfile, profileEditSchema } from '@shared/sync/profile-edits';

const profile = {
  id: 'C1', accountId: 'A', givenName: 'G', familyName: 'F', phones: [], email: 'old@example.com', dateOfBirth: null, language: 'en', timezone: 'UTC',
  address: { line1: null, city: null, postcode: null, region: null, country: 'US' },
  plan: { name: 'p', monthlyCharge: 1, contractType: 'one-year', contractEnd: null, tenureMonths: 1, services: [] },
  signals: { usageChange90d: 0, paymentFailures90d: 0, complaints90d: 0, negativeContacts90d: 0, daysSinceLastContact: null, avgResolutionHours: null },
  doNotCall: false, sourceRecordIds: [], lineage: {}, updatedAt: '',
} satisfies CustomerProfile;

describe('profile edits: last writer wins per field', () => {
  it('applies a newer edit, ignores an older or repeated one', () => {
    const clock = new HybridLogicalClock('d1', () => 100);
    const first = clock.tick();
    const second = clock.tick();
    const a = applyProfileEdit(profile, { field: 'email', value: 'new@example.com', hlc: second });
    expect(a.applied).toBe(true);
    expect(a.profile.email).toBe('new@example.com');
    expect(applyProfileEdit(a.profile, { field: 'email', value: 'stale@example.com', hlc: first }).applied).toBe(false);
    expect(applyProfileEdit(a.profile, { field: 'email', value: 'new@example.com', hlc: second }).applied).toBe(false);
  });

  it('keeps concurrent edits to different fields', () => {
    const desk = new HybridLogicalClock('desk', () => 100);
    const server = new HybridLogicalClock('server', () => 100);
    const byDesk = applyProfileEdit(profile, { field: 'language', value: 'he', hlc: desk.tick() }).profile;
    const both = applyProfileEdit(byDesk, { field: 'email', value: 'crm@example.com', hlc: server.tick() }).profile;
    expect(both.language).toBe('he');
    expect(both.email).toBe('crm@example.com');
  });

  it('does not let an older server copy undo a local edit still in the outbox', () => {
    const local = applyProfileEdit(profile, { field: 'doNotCall', value: true, hlc: new HybridLogicalClock('desk', () => 500).tick() }).profile;
    const olderServerCopy = { ...profile, familyName: 'Renamed', fieldClocks: { doNotCall: new HybridLogicalClock('server', () => 100).tick() } };
    const merged = mergeIncomingProfile(local, olderServerCopy);
    expect(merged.doNotCall).toBe(true);
    expect(merged.familyName).toBe('Renamed');
    const newerServerCopy = { ...profile, doNotCall: false, fieldClocks: { doNotCall: new HybridLogicalClock('server', () => 900).tick() } };
    expect(mergeIncomingProfile(local, newerServerCopy).doNotCall).toBe(false);
  });

  it('validates the value for the field it names', () => {
    const base = { id: randomUUID(), customerId: 'C1', hlc: new HybridLogicalClock('d', () => 1).tick(), author: 'A001' };
    expect(profileEditSchema.safeParse({ ...base, field: 'email', value: 'not-an-email' }).success).toBe(false);
    expect(profileEditSchema.safeParse({ ...base, field: 'language', value: 'xx' }).success).toBe(false);
    expect(profileEditSchema.safeParse({ ...base, field: 'password', value: 'x' }).success).toBe(false);
    expect(profileEditSchema.safeParse({ ...base, field: 'doNotCall', value: true }).success).toBe(true);
    expect(profileEditSchema.safeParse({ ...base, hlc: 'yesterday', field: 'doNotCall', value: true }).success).toBe(false);
  });
});
