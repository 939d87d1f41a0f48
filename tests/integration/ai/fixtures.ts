import type { CustomerProfile } from '@shared/domain/customer';
import type { Interaction } from '@shared/domain/interaction';
import { generateSyntheticHistory } from '@shared/summary/index';
import type { AiAuditRecord, AuditSink } from '../../../src-main/services/ai/index';

/** Personal data planted in the history: none of it may reach the endpoint. */
export const SECRETS = {
  card: '4111 1111 1111 1111',
  cardDigits: '4111111111111111',
  phone: '+972 52 123 4567',
  phoneDigits: '521234567',
  email: 'dana.cohen@example.co.il',
  iban: 'GB82 WEST 1234 5698 7654 32',
  ibanCompact: 'GB82WEST12345698765432',
  teudatZehut: '123456782',
  givenName: 'Dana',
  familyName: 'Cohen',
  accountId: 'ACC-00412345',
  street: 'Herzl',
};

export function customerFixture(overrides: Partial<CustomerProfile> = {}): CustomerProfile {
  return {
    id: 'cust-42',
    accountId: SECRETS.accountId,
    givenName: SECRETS.givenName,
    familyName: SECRETS.familyName,
    phones: ['+972521234567'],
    email: SECRETS.email,
    dateOfBirth: '1985-03-14',
    language: 'he',
    timezone: 'Asia/Jerusalem',
    address: { line1: '12 Herzl Street', city: 'Haifa', postcode: '3303012', region: null, country: 'IL' },
    plan: { name: 'Fibre 500', monthlyCharge: 49.9, contractType: 'month-to-month', contractEnd: null, tenureMonths: 38, services: ['internet', 'tv'] },
    signals: { usageChange90d: -0.2, paymentFailures90d: 1, complaints90d: 2, negativeContacts90d: 3, daysSinceLastContact: 4, avgResolutionHours: 30 },
    doNotCall: false,
    sourceRecordIds: ['crm-1'],
    lineage: {},
    updatedAt: '2024-05-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A generated history with personal data written into some summaries and promises. */
export function historyWithPii(seed = 3, count = 30): Interaction[] {
  const { interactions } = generateSyntheticHistory(seed, { count, customerId: 'cust-42', openTickets: 1, complaints: 1, offers: 1, promises: 1 });
  const out = [...interactions];
  const plant = [
    `Dana Cohen called from ${SECRETS.phone}, card ${SECRETS.card} was charged twice`,
    `Customer asked to send the invoice to ${SECRETS.email}; refund to IBAN ${SECRETS.iban}`,
    `ID ${SECRETS.teudatZehut} verified, lives at 12 Herzl St., account ${SECRETS.accountId}`,
  ];
  plant.forEach((summary, k) => {
    const i = out[k] as Interaction;
    out[k] = { ...i, summary };
  });
  return out;
}

/** Every planted value, in the forms it could leak in. */
export function leakedSecrets(text: string): string[] {
  const compact = text.replace(/[\s-]/g, '');
  const found: string[] = [];
  const checks: [string, boolean][] = [
    ['card', compact.includes(SECRETS.cardDigits)],
    ['phone', compact.includes(SECRETS.phoneDigits)],
    ['email', text.toLowerCase().includes(SECRETS.email)],
    ['iban', compact.toUpperCase().includes(SECRETS.ibanCompact)],
    ['teudat-zehut', compact.includes(SECRETS.teudatZehut)],
    ['given-name', /\bdana\b/i.test(text)],
    ['family-name', /\bcohen\b/i.test(text)],
    ['account', compact.toUpperCase().includes('ACC00412345')],
    ['street', /\bherzl\b/i.test(text)],
  ];
  for (const [name, leaked] of checks) if (leaked) found.push(name);
  return found;
}

export class MemoryAudit implements AuditSink {
  readonly records: AiAuditRecord[] = [];
  record(entry: AiAuditRecord): void {
    this.records.push(entry);
  }
}
