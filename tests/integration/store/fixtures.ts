import type { AccountEvent } from '@shared/domain/account-event';
import type { Agent } from '@shared/domain/agent';
import type { Call, CallState } from '@shared/domain/call';
import type { CustomerProfile, CustomerScores } from '@shared/domain/customer';
import type { Interaction, Transaction } from '@shared/domain/interaction';
import type { Disposition, OutcomeRecord } from '@shared/domain/wrap-up';
import type { Playbook } from '@shared/playbook/playbook';
import type { CustomerBundle } from '../../../src-server/store/server-store';

/** Small, schema-valid records built from an index, so every test writes its own data. */

const pad = (n: number, width = 4): string => String(n).padStart(width, '0');
const isoAt = (minute: number): string => new Date(Date.UTC(2025, 0, 1, 9, 0, 0) + minute * 60_000).toISOString();

export const customerId = (n: number): string => `C-${pad(n)}`;

export function customer(n: number, overrides: Partial<CustomerProfile> = {}): CustomerProfile {
  return {
    id: customerId(n),
    accountId: `ACC-${pad(n)}`,
    givenName: `Given${n}`,
    familyName: `Family${n}`,
    phones: [`+1555${pad(n, 7)}`],
    email: `c${n}@example.test`,
    dateOfBirth: null,
    language: 'en',
    timezone: 'America/New_York',
    address: { line1: `${n} Main St`, city: 'Springfield', postcode: '12345', region: 'NY', country: 'US' },
    plan: { name: 'Fibre 500', monthlyCharge: 49.99 + n / 100, contractType: 'month-to-month', contractEnd: null, tenureMonths: n % 60, services: ['internet'] },
    signals: { usageChange90d: -0.125, paymentFailures90d: 0, complaints90d: n % 3, negativeContacts90d: 0, daysSinceLastContact: 12, avgResolutionHours: 3.5 },
    doNotCall: false,
    sourceRecordIds: [`crm:${n}`],
    lineage: { givenName: { source: 'crm', recordId: `crm:${n}`, at: isoAt(0) } },
    updatedAt: isoAt(n),
    ...overrides,
  };
}

export function scores(n: number, overrides: Partial<CustomerScores> = {}): CustomerScores {
  return {
    customerId: customerId(n),
    churnProbability: 0.42,
    churnBand: 'medium',
    reasons: [{ code: 'price_rise', driver: 'price', phrase: 'Bill went up', weight: 0.7 }],
    churnModel: 'heuristic-1',
    clv: 1234.5 + n,
    valueTier: 'mid',
    valueModel: 'heuristic-value-1',
    valueAtRisk: 518.49,
    scoredAt: isoAt(0),
    ...overrides,
  };
}

export function interaction(customerN: number, k: number, overrides: Partial<Interaction> = {}): Interaction {
  return {
    id: `I-${pad(customerN)}-${pad(k, 5)}`,
    customerId: customerId(customerN),
    channel: 'call',
    direction: 'inbound',
    occurredAt: isoAt(k),
    agentId: null,
    topic: 'billing',
    sentiment: -0.25,
    summary: `Contact ${k}`,
    ticketStatus: null,
    offer: null,
    promise: null,
    ...overrides,
  };
}

export function transaction(customerN: number, k: number): Transaction {
  return { id: `T-${pad(customerN)}-${k}`, customerId: customerId(customerN), occurredAt: isoAt(k), amount: 49.99, kind: 'invoice' };
}

/** A customer with scores and `interactionCount` interactions. */
export function bundle(n: number, interactionCount = 2): CustomerBundle {
  return {
    customer: customer(n),
    scores: scores(n),
    interactions: Array.from({ length: interactionCount }, (_, k) => interaction(n, k)),
  };
}

export function agent(n: number, overrides: Partial<Agent> = {}): Agent {
  return {
    id: `A-${pad(n)}`,
    username: `agent${n}`,
    displayName: `Agent ${n}`,
    role: 'agent',
    languages: [{ code: 'en', proficiency: 5 }],
    skills: ['billing'],
    ...overrides,
  };
}

export function call(n: number, state: CallState, minute = n): Call {
  return {
    id: `CALL-${pad(n)}`,
    callerNumber: `+1555${pad(n, 7)}`,
    accountId: null,
    language: 'en',
    intent: 'cancellation',
    customerId: customerId(n),
    state,
    agentId: state === 'queued' ? null : 'A-0001',
    createdAt: isoAt(minute),
    answeredAt: null,
    endedAt: null,
    priority: 100 + n,
  };
}

/** A valid RFC 9562 (version 4 layout) UUID made from a number. */
export const outcomeId = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export function outcome(n: number, overrides: Partial<OutcomeRecord> = {}): OutcomeRecord {
  return {
    id: outcomeId(n),
    callId: `CALL-${pad(n)}`,
    customerId: customerId(n),
    agentId: 'A-0001',
    disposition: 'retained' satisfies Disposition,
    offerId: null,
    offerOutcome: 'no_offer',
    notes: `Notes ${n}`,
    summary: `Summary ${n}`,
    summaryAuthor: 'agent',
    createdAt: isoAt(n),
    agentName: 'Agent 1',
    customerName: `Given${n} Family${n}`,
    valueTier: 'mid',
    clv: 1234.5,
    receivedAt: isoAt(n),
    ...overrides,
  };
}

export function playbook(version: number): Playbook {
  return {
    format: 2,
    version,
    offers: [{ id: 'OFF-1', name: 'Loyalty discount', description: '10% off for 12 months', monthlyCost: 5, durationMonths: 12, drivers: ['price'], minTier: 'mid' }],
    scripts: [{
      id: 'price', name: { en: 'Price' }, when: { drivers: ['price'] },
      steps: [{ id: 'acknowledge', title: { en: 'Acknowledge' }, say: { en: 'I hear you, {{customer.firstName}}.' }, answers: [] }],
    }],
  };
}

export function accountEvent(id: string, customerN: number, kind: AccountEvent['kind'], day: number): AccountEvent {
  return { id, customerId: customerId(customerN), kind, occurredAt: new Date(Date.UTC(2025, 0, day)).toISOString(), receivedAt: isoAt(0) };
}
