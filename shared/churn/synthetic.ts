import type { ContractType, CustomerProfile } from '../domain/customer';
import { createRandom } from '@shared/util/random';

/**
 * Seeded synthetic data for tests, the evaluation tool and the benchmark.
 * Nothing here is fitted to a real data set.
 */

export const SYNTHETIC_TARGET = 'churned';

export type SyntheticKind = 'nonlinear' | 'mixed';

export interface SyntheticTable {
  rows: Record<string, unknown>[];
  /** The true log-odds of each row, for the best AUC any model could reach. */
  trueLogits: number[];
}

/**
 * A churn-like table with a known risk. 'nonlinear': the signal is an XOR of
 * two thresholds, a sine, a non-monotone band, a level-by-number interaction
 * and informative missingness, which a linear model on these columns cannot
 * represent; trees can. 'mixed': a weaker copy of that plus many small linear
 * effects, which trees approximate only step by step. Both add pure-noise
 * columns and an ID column.
 */
export function syntheticTable(n: number, seed: number | string, kind: SyntheticKind = 'nonlinear'): SyntheticTable {
  const random = createRandom(`${kind}:${seed}`);
  const levels = ['L0', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7'];
  const flipSide = new Set(['L1', 'L4', 'L6']);
  const linearWeights = [0.45, -0.4, 0.35, -0.3, 0.3, 0.25, -0.25, 0.2];
  const nonlinearScale = kind === 'mixed' ? 0.5 : 1;
  const rows: Record<string, unknown>[] = [];
  const trueLogits: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = random.next();
    const b = random.next();
    const c = random.normal();
    const cMissing = random.chance(0.1);
    const d = random.next() * 10;
    const e = random.pick(levels);
    const eMissing = random.chance(0.05);
    const f = random.normal();
    const noiseNumber = random.normal(50, 10);
    const noiseLevel = random.pick(['red', 'green', 'blue']);
    let nonlinear = ((a > 0.5) !== (b > 0.5) ? 1 : -1) * 1.6;
    nonlinear += cMissing ? 0.8 : 1.2 * Math.sin(2.5 * c);
    nonlinear += d > 3 && d < 6 ? 1.5 : 0;
    nonlinear += eMissing ? 0 : flipSide.has(e) ? 1.3 * f : -0.9 * f;
    let logit = -1 + nonlinearScale * nonlinear;
    const row: Record<string, unknown> = {
      id: `cust-${i.toString(36)}-${random.int(0, 1e6)}`,
      a: a.toFixed(4),
      b: b.toFixed(4),
      c: cMissing ? 'NA' : c.toFixed(4),
      d: d.toFixed(3),
      e: eMissing ? '' : e,
      f: f.toFixed(4),
      noise_number: noiseNumber.toFixed(2),
      noise_level: noiseLevel,
    };
    if (kind === 'mixed') {
      linearWeights.forEach((w, k) => {
        const x = random.normal();
        logit += w * x;
        row[`lin${k}`] = x.toFixed(4);
      });
    }
    row[SYNTHETIC_TARGET] = random.next() < 1 / (1 + Math.exp(-logit)) ? 'Yes' : 'No';
    rows.push(row);
    trueLogits.push(logit);
  }
  return { rows, trueLogits };
}

/** The rows of a non-linear synthetic table (see syntheticTable). */
export function syntheticNonlinearRows(n: number, seed: number | string): Record<string, unknown>[] {
  return syntheticTable(n, seed, 'nonlinear').rows;
}

export interface SyntheticCustomer {
  profile: CustomerProfile;
  churned: boolean;
}

const DAY_MS = 86_400_000;

/**
 * Customer profiles with a churn outcome drawn from a known risk: short
 * contracts, falling usage, complaints made worse by slow resolution, payment
 * failures, new customers, high prices and contracts about to end.
 */
export function syntheticCustomers(n: number, seed: number | string, asOf: string): SyntheticCustomer[] {
  const random = createRandom(`customers:${seed}`);
  const asOfMs = Date.parse(asOf);
  const out: SyntheticCustomer[] = [];
  for (let i = 0; i < n; i++) {
    const contractType: ContractType = random.weighted(['month-to-month', 'one-year', 'two-year'] as const, [0.55, 0.25, 0.2]);
    const tenureMonths = Math.min(72, Math.floor(random.exponential(contractType === 'month-to-month' ? 14 : 30)));
    const services = ['mobile', 'broadband', 'tv', 'landline', 'security'].filter(() => random.chance(0.45));
    const monthlyCharge = Math.round((20 + services.length * 18 + random.normal(0, 12)) * 100) / 100;
    const contractEnd = contractType === 'month-to-month' ? null : new Date(asOfMs + random.int(-60, contractType === 'one-year' ? 365 : 730) * DAY_MS).toISOString().slice(0, 10);
    const usageChange90d = Math.round(Math.max(-1, random.normal(-0.03, 0.25)) * 100) / 100;
    const complaints90d = random.chance(0.25) ? random.int(1, 4) : 0;
    const paymentFailures90d = random.chance(0.12) ? random.int(1, 3) : 0;
    const contacted = complaints90d > 0 || random.chance(0.6);
    const negativeContacts90d = contacted ? Math.min(complaints90d + random.int(0, 2), 6) : 0;
    const avgResolutionHours = contacted ? Math.round(random.exponential(complaints90d > 1 ? 50 : 20)) : null;
    const daysSinceLastContact = contacted ? random.int(0, 89) : random.chance(0.5) ? random.int(90, 400) : null;

    const daysToEnd = contractEnd === null ? null : Math.round((Date.parse(contractEnd) - asOfMs) / DAY_MS);
    let logit = -2.3;
    if (contractType === 'month-to-month') logit += 1.2;
    if (usageChange90d < -0.25) logit += 1.4;
    logit += Math.min(1.5, 0.45 * complaints90d);
    if (complaints90d > 0 && avgResolutionHours !== null && avgResolutionHours > 48) logit += 0.9;
    logit += 0.6 * paymentFailures90d;
    if (tenureMonths < 6) logit += 0.8;
    if (monthlyCharge > 90) logit += 0.5;
    if (daysToEnd !== null && daysToEnd >= 0 && daysToEnd <= 45) logit += 1.0;
    const churned = random.next() < 1 / (1 + Math.exp(-logit));

    out.push({
      churned,
      profile: {
        id: `C${String(i).padStart(6, '0')}`,
        accountId: `A${String(i).padStart(6, '0')}`,
        givenName: 'Sam',
        familyName: `Customer${i}`,
        phones: [],
        email: null,
        dateOfBirth: null,
        language: 'en',
        timezone: 'UTC',
        address: { line1: null, city: null, postcode: null, region: null, country: 'US' },
        plan: { name: `${contractType} plan`, monthlyCharge: Math.max(5, monthlyCharge), contractType, contractEnd, tenureMonths, services },
        signals: { usageChange90d, paymentFailures90d, complaints90d, negativeContacts90d, daysSinceLastContact, avgResolutionHours },
        doNotCall: false,
        sourceRecordIds: [],
        lineage: {},
        updatedAt: asOf,
      },
    });
  }
  return out;
}
