import type { CustomerProfile, FieldLineage, SourceSystem } from '@shared/domain/customer';
import type { SourceRecord } from '@shared/demo-data/generate';
import { deriveSignals } from '@shared/scoring/signals';
import type { Interaction, Transaction } from '@shared/domain/interaction';
import { displayName, isoDate, normaliseEmail, toE164 } from './standardise';

/**
 * First-cut identity: records sharing an account id are one customer, and a
 * support record without one joins the customer whose phone or email it
 * carries. Survivorship: CRM for names and preferences, the most recent
 * record for the address, billing for the plan.
 */

const TRUST: Record<SourceSystem, number> = { crm: 4, billing: 3, support: 2, usage: 1 };

export function customerIdForAccount(accountId: string): string {
  return `C${accountId.replace(/\D/g, '')}`;
}

interface Pick<T> {
  value: T;
  lineage: FieldLineage;
}

function pick<T>(records: readonly SourceRecord[], read: (r: SourceRecord) => T | null, order: 'trust' | 'recent'): Pick<T> | null {
  const sorted = [...records].sort((a, b) => (order === 'trust' ? TRUST[b.source] - TRUST[a.source] : b.updatedAt.localeCompare(a.updatedAt)));
  for (const record of sorted) {
    const value = read(record);
    if (value !== null && value !== '') return { value, lineage: { source: record.source, recordId: record.recordId, at: record.updatedAt } };
  }
  return null;
}

export function unifyAccount(
  records: readonly SourceRecord[],
  interactions: readonly Interaction[],
  transactions: readonly Transaction[],
  timezone: string,
  asOfIso: string,
): CustomerProfile {
  const anchor = records.find((r) => r.accountId);
  if (!anchor?.accountId) throw new Error('unifyAccount needs at least one record with an account id');
  const lineage: Record<string, FieldLineage> = {};
  const keep = <T>(field: string, chosen: Pick<T> | null, fallback: T): T => {
    if (!chosen) return fallback;
    lineage[field] = chosen.lineage;
    return chosen.value;
  };
  const country = anchor.country;
  const givenName = keep('givenName', pick(records, (r) => (r.givenName ? displayName(r.givenName) : null), 'trust'), '');
  const familyName = keep('familyName', pick(records, (r) => (r.familyName ? displayName(r.familyName) : null), 'trust'), '');
  const email = keep('email', pick(records, (r) => normaliseEmail(r.email), 'trust'), null);
  const dateOfBirth = keep('dateOfBirth', pick(records, (r) => isoDate(r.dateOfBirth), 'trust'), null);
  const addressRecord = pick(records, (r) => (r.addressLine1 ? r : null), 'recent');
  const billing = records.find((r) => r.plan);
  const usage = records.find((r) => r.usageByMonth);
  const crm = records.find((r) => r.source === 'crm');
  if (addressRecord) lineage.address = addressRecord.lineage;
  if (billing) lineage.plan = { source: billing.source, recordId: billing.recordId, at: billing.updatedAt };
  const phones = [...new Set(records.map((r) => toE164(r.phone, r.country)).filter((p): p is string => p !== null))];
  const customerId = customerIdForAccount(anchor.accountId);

  return {
    id: customerId,
    accountId: anchor.accountId,
    givenName,
    familyName,
    phones,
    email,
    dateOfBirth,
    language: crm?.language ?? 'en',
    timezone,
    address: {
      line1: addressRecord?.value.addressLine1 ?? null,
      city: addressRecord?.value.city ?? null,
      postcode: addressRecord?.value.postcode ?? null,
      region: addressRecord?.value.region ?? null,
      country,
    },
    plan: billing?.plan ?? { name: 'Unknown', monthlyCharge: 0, contractType: 'month-to-month', contractEnd: null, tenureMonths: 0, services: [] },
    signals: deriveSignals(interactions, transactions, usage?.usageByMonth ?? null, asOfIso),
    doNotCall: crm?.doNotCall ?? false,
    sourceRecordIds: records.map((r) => r.recordId),
    lineage,
    updatedAt: records.reduce((max, r) => (r.updatedAt > max ? r.updatedAt : max), ''),
  };
}
