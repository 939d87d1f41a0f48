import type { ContractType, SourceSystem } from '../domain/customer';
import type { Channel, Interaction, Topic, Transaction } from '../domain/interaction';
import type { Language } from '../domain/language';
import { createRandom, type Random } from '../util/random';
import { CITIES, FAMILY_NAMES, GIVEN_NAMES, NICKNAMES, STREETS } from './names';

/**
 * A seeded, deterministic telecom ("Meridian Mobile") with the mess real
 * systems have: each customer appears in CRM, billing, support and usage,
 * with different phone formats, typos, nicknames, stale addresses and gaps.
 * Customer i depends only on (seed, i, asOf), so any slice of a
 * million-customer book can be generated on its own, streaming.
 */

export interface DemoOptions {
  seed: number;
  customers: number;
  /** The date the data is "as of" (YYYY-MM-DD); history runs up to it. */
  asOf: string;
}

/** A record as a source system holds it: raw strings, not yet standardised. */
export interface SourceRecord {
  source: SourceSystem;
  recordId: string;
  accountId: string | null;
  givenName: string;
  familyName: string;
  phone: string | null;
  email: string | null;
  dateOfBirth: string | null;
  addressLine1: string | null;
  city: string | null;
  postcode: string | null;
  region: string | null;
  country: string;
  updatedAt: string;
  /** Billing only. */
  plan?: { name: string; monthlyCharge: number; contractType: ContractType; contractEnd: string | null; tenureMonths: number; services: string[] };
  /** Usage only: monthly usage index for the last six months, oldest first. */
  usageByMonth?: number[];
  language?: Language;
  doNotCall?: boolean;
}

export interface GeneratedCustomer {
  /** The true customer id; the server never reads it (identity is resolved from records). */
  truthId: string;
  accountId: string;
  language: Language;
  timezone: string;
  records: SourceRecord[];
  interactions: Interaction[];
  transactions: Transaction[];
  /** Did the customer leave within 90 days after asOf? The label for training. */
  churnedNext90d: boolean;
}

const LANGUAGE_MIX: readonly Language[] = ['en', 'he', 'ru', 'zh', 'ar', 'es'];
const LANGUAGE_WEIGHTS = [0.42, 0.24, 0.16, 0.08, 0.05, 0.05];
const COUNTRY_BY_LANGUAGE: Record<Language, { countries: string[]; weights: number[] }> = {
  en: { countries: ['US', 'GB', 'IL'], weights: [0.6, 0.3, 0.1] },
  he: { countries: ['IL'], weights: [1] },
  ru: { countries: ['IL', 'US'], weights: [0.8, 0.2] },
  zh: { countries: ['US', 'GB'], weights: [0.8, 0.2] },
  ar: { countries: ['IL'], weights: [1] },
  es: { countries: ['ES', 'US'], weights: [0.7, 0.3] },
};
const PLANS = [
  { name: 'Basic 5GB', charge: 25, services: ['mobile'] },
  { name: 'Standard 20GB', charge: 45, services: ['mobile'] },
  { name: 'Unlimited', charge: 70, services: ['mobile', 'roaming'] },
  { name: 'Home Fiber 500', charge: 60, services: ['fiber'] },
  { name: 'Family Bundle', charge: 110, services: ['mobile', 'fiber', 'tv'] },
  { name: 'Premium Bundle', charge: 140, services: ['mobile', 'fiber', 'tv', 'streaming'] },
];
const DAY_MS = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function digits(random: Random, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String(random.int(0, 9));
  return out;
}

/** One national-format subscriber number and the ways different systems write it. */
function phoneFormats(random: Random, country: string): { e164: string; variants: string[] } {
  switch (country) {
    case 'IL': {
      const sub = `5${random.int(0, 8)}${digits(random, 7)}`;
      const local = `0${sub}`;
      return { e164: `+972${sub}`, variants: [`+972 ${sub.slice(0, 2)}-${sub.slice(2, 5)}-${sub.slice(5)}`, `${local.slice(0, 3)}-${local.slice(3)}`, local, `972${sub}`] };
    }
    case 'GB': {
      const sub = `7${random.int(400, 999)}${digits(random, 6)}`;
      return { e164: `+44${sub}`, variants: [`+44 ${sub.slice(0, 4)} ${sub.slice(4)}`, `0${sub}`, `0${sub.slice(0, 4)} ${sub.slice(4)}`] };
    }
    case 'ES': {
      const sub = `6${digits(random, 8)}`;
      return { e164: `+34${sub}`, variants: [`+34 ${sub.slice(0, 3)} ${sub.slice(3, 6)} ${sub.slice(6)}`, sub, `0034${sub}`] };
    }
    default: {
      const area = String(random.pick([212, 415, 312, 305, 646, 718]));
      const sub = `${random.int(200, 999)}${digits(random, 4)}`;
      return { e164: `+1${area}${sub}`, variants: [`(${area}) ${sub.slice(0, 3)}-${sub.slice(3)}`, `${area}-${sub.slice(0, 3)}-${sub.slice(3)}`, `+1 ${area} ${sub.slice(0, 3)} ${sub.slice(3)}`, `${area}${sub}`] };
    }
  }
}

/** A typing slip: swap, drop or double one letter. */
function typo(random: Random, word: string): string {
  if (word.length < 4) return word;
  const i = random.int(1, word.length - 2);
  const kind = random.int(0, 2);
  if (kind === 0) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  if (kind === 1) return word.slice(0, i) + word.slice(i + 1);
  return word.slice(0, i) + word[i] + word.slice(i);
}

function emailFor(random: Random, given: string, family: string): string {
  const domain = random.pick(['gmail.com', 'outlook.com', 'yahoo.com', 'mail.ru', 'walla.co.il', 'qq.com', 'icloud.com']);
  const local = random.pick([`${given}.${family}`, `${given}${family}${random.int(1, 99)}`, `${given[0]}${family}`]);
  return `${local.toLowerCase().replace(/[^a-z0-9.]/g, '')}@${domain}`;
}

const TOPIC_SUMMARIES: Record<Topic, string[]> = {
  billing: ['Asked about an unexpected charge on the bill', 'Queried roaming fees', 'Wanted the bill explained', 'Disputed a late fee'],
  technical: ['Reported dropped calls at home', 'Slow fiber speeds in the evening', 'No signal after a software update', 'Router keeps restarting'],
  cancellation: ['Asked how to cancel and port the number', 'Said a competitor offered a cheaper plan', 'Considering leaving when the contract ends'],
  plan_change: ['Asked to move to a smaller plan', 'Wanted more data', 'Asked about adding a family line'],
  complaint: ['Complained about repeated outages', 'Complained that a promised callback never came', 'Unhappy with the technician visit'],
  general: ['Updated contact details', 'Asked about store opening hours', 'Asked about the loyalty program'],
};
const PROMISES = ['Credit of $20 on next bill', 'Technician visit on Thursday', 'Callback within 48 hours', 'Waive the late fee', 'Escalate the outage to the network team'];
const OFFER_IDS = ['loyalty-discount-15', 'service-credit-20', 'right-size-plan', 'data-boost', 'renewal-bonus', 'payment-plan'];

export function generateCustomer(options: DemoOptions, index: number): GeneratedCustomer {
  const random = createRandom(`${options.seed}:customer:${index}`);
  const asOfMs = Date.parse(`${options.asOf}T12:00:00Z`);
  const truthId = `P${String(index + 1).padStart(7, '0')}`;
  const accountId = `ACC-${String(100000 + index * 7 + (options.seed % 7)).padStart(7, '0')}`;
  const language = random.weighted(LANGUAGE_MIX, LANGUAGE_WEIGHTS);
  const countryPick = COUNTRY_BY_LANGUAGE[language];
  const country = random.weighted(countryPick.countries, countryPick.weights);
  const place = random.pick(CITIES[country] ?? CITIES.US!);
  const female = random.chance(0.5);
  const given = random.pick(GIVEN_NAMES[language][female ? 'female' : 'male']);
  const family = random.pick(FAMILY_NAMES[language]);
  const birth = isoDate(asOfMs - random.int(19, 82) * 365.25 * DAY_MS - random.int(0, 364) * DAY_MS);
  const phone = phoneFormats(random, country);
  const email = random.chance(0.85) ? emailFor(random, given, family) : null;
  const street = `${random.int(1, 180)} ${random.pick(STREETS[country] ?? STREETS.US!)}`;
  const postcode = `${place.postcodePrefix}${digits(random, country === 'GB' ? 1 : 7 - place.postcodePrefix.length)}${country === 'GB' ? ` ${random.int(1, 9)}AB` : ''}`;

  // Latent propensity to leave drives every signal, so the data carries real structure to learn.
  const propensity = Math.min(0.97, Math.max(0.02, random.normal(0.25, 0.18)));
  const plan = random.weighted(PLANS, [0.15, 0.25, 0.2, 0.15, 0.15, 0.1]);
  const monthlyCharge = Math.round((plan.charge * (0.9 + random.next() * 0.25)) * 100) / 100;
  const contractType: ContractType = random.weighted(['month-to-month', 'one-year', 'two-year'] as const, [0.35 + propensity * 0.4, 0.3, 0.35 - propensity * 0.3]);
  const tenureMonths = Math.max(1, Math.round(random.exponential(30 * (1.2 - propensity))));
  const contractEnd = contractType === 'month-to-month' ? null : isoDate(asOfMs + random.int(-10, contractType === 'one-year' ? 365 : 730) * DAY_MS);
  const usageTrend = -propensity * random.next() * 0.9 + random.normal(0.02, 0.08);
  const usageByMonth = Array.from({ length: 6 }, (_, m) => Math.max(0, Math.round(100 * (1 + (usageTrend * m) / 5) * (0.92 + random.next() * 0.16))));
  const doNotCall = random.chance(0.06);

  const sinceMs = asOfMs - Math.min(tenureMonths, 24) * 30 * DAY_MS;
  const interactions: Interaction[] = [];
  const interactionCount = random.int(0, 4) + Math.round(propensity * random.int(4, 16));
  for (let k = 0; k < interactionCount; k++) {
    const at = sinceMs + Math.pow(random.next(), 0.6) * (asOfMs - sinceMs);
    const recent = asOfMs - at < 120 * DAY_MS;
    const topic: Topic = random.weighted(
      ['billing', 'technical', 'cancellation', 'plan_change', 'complaint', 'general'] as const,
      [0.25, 0.22, recent ? propensity * 0.4 : 0.04, 0.12, propensity * 0.35, 0.15],
    );
    const channel: Channel = random.weighted(['call', 'chat', 'email', 'ticket', 'sms'] as const, [0.45, 0.2, 0.12, 0.18, 0.05]);
    const negative = topic === 'complaint' || topic === 'cancellation';
    const sentiment = Math.max(-1, Math.min(1, random.normal(negative ? -0.55 : 0.15 - propensity * 0.4, 0.25)));
    const offered = (topic === 'cancellation' || (topic === 'complaint' && random.chance(0.4))) && random.chance(0.7);
    interactions.push({
      id: `I-${index + 1}-${k + 1}`,
      customerId: truthId,
      channel,
      direction: random.chance(0.9) ? 'inbound' : 'outbound',
      occurredAt: new Date(Math.round(at)).toISOString(),
      agentId: channel === 'call' || channel === 'chat' ? `A${String(random.int(1, 16)).padStart(3, '0')}` : null,
      topic,
      sentiment: Math.round(sentiment * 100) / 100,
      summary: random.pick(TOPIC_SUMMARIES[topic]),
      ticketStatus: channel === 'ticket' || topic === 'technical' ? (recent && random.chance(0.45) ? 'open' : 'closed') : null,
      offer: offered ? { offerId: random.pick(OFFER_IDS), result: random.weighted(['accepted', 'declined', 'pending'] as const, [0.45, 0.45, 0.1]) } : null,
      promise: (topic === 'complaint' || topic === 'technical') && random.chance(0.3) ? random.pick(PROMISES) : null,
    });
  }
  interactions.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));

  const transactions: Transaction[] = [];
  const months = Math.min(tenureMonths, 24);
  for (let m = months; m >= 1; m--) {
    const at = isoDate(asOfMs - m * 30 * DAY_MS);
    transactions.push({ id: `T-${index + 1}-${m}-i`, customerId: truthId, occurredAt: at, amount: monthlyCharge, kind: 'invoice' });
    const failed = random.chance(0.02 + (m <= 3 ? propensity * 0.25 : propensity * 0.05));
    transactions.push({ id: `T-${index + 1}-${m}-p`, customerId: truthId, occurredAt: at, amount: monthlyCharge, kind: failed ? 'payment_failed' : 'payment' });
    if (random.chance(0.08)) transactions.push({ id: `T-${index + 1}-${m}-x`, customerId: truthId, occurredAt: at, amount: Math.round(random.int(5, 120) * 100) / 100, kind: 'purchase' });
  }

  const updated = (daysAgo: number): string => new Date(asOfMs - daysAgo * DAY_MS).toISOString();
  const base = { accountId, givenName: given, familyName: family, dateOfBirth: birth, addressLine1: street, city: place.city, postcode, region: place.region, country };
  const records: SourceRecord[] = [
    { ...base, source: 'crm', recordId: `CRM-${index + 1}`, phone: phone.variants[0] ?? phone.e164, email, updatedAt: updated(random.int(30, 400)), language, doNotCall },
    {
      ...base, source: 'billing', recordId: `BIL-${index + 1}`,
      givenName: given.toUpperCase(), familyName: family.toUpperCase(),
      phone: random.pick(phone.variants), email: email && random.chance(0.7) ? email.toUpperCase() : null,
      // Billing is where a move shows first; the CRM may still have the old street.
      addressLine1: random.chance(0.1) ? `${random.int(1, 180)} ${random.pick(STREETS[country] ?? STREETS.US!)}` : street,
      dateOfBirth: random.chance(0.3) ? null : birth.split('-').reverse().join('/'),
      updatedAt: updated(random.int(1, 30)),
      plan: { name: plan.name, monthlyCharge, contractType, contractEnd, tenureMonths, services: plan.services },
    },
    { ...base, source: 'usage', recordId: `USG-${index + 1}`, givenName: '', familyName: '', phone: phone.e164, email: null, dateOfBirth: null, addressLine1: null, city: null, postcode: null, region: null, updatedAt: updated(random.int(0, 3)), usageByMonth },
  ];
  const supportRecords = interactions.some((i) => i.channel === 'ticket' || i.channel === 'email') ? random.int(1, 2) : random.chance(0.3) ? 1 : 0;
  for (let s = 0; s < supportRecords; s++) {
    const nickname = NICKNAMES[given];
    records.push({
      ...base,
      source: 'support',
      recordId: `SUP-${index + 1}-${s + 1}`,
      accountId: random.chance(0.6) ? accountId : null,
      givenName: s === 1 ? typo(random, given) : nickname && random.chance(0.5) ? nickname : given,
      familyName: s === 1 && random.chance(0.5) ? typo(random, family) : family,
      phone: random.chance(0.9) ? random.pick(phone.variants) : null,
      email: email && random.chance(0.8) ? ` ${email} ` : null,
      dateOfBirth: null,
      addressLine1: random.chance(0.5) ? street : null,
      updatedAt: updated(random.int(5, 200)),
    });
  }

  return {
    truthId, accountId, language, timezone: place.tz, records, interactions, transactions,
    churnedNext90d: random.chance(propensity * (contractType === 'month-to-month' ? 1.2 : 0.6)),
  };
}

export function* generateCustomers(options: DemoOptions): Generator<GeneratedCustomer> {
  for (let i = 0; i < options.customers; i++) yield generateCustomer(options, i);
}
