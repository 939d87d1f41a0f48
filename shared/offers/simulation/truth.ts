import type { ValueTier } from '../../domain/customer';
import type { RetentionOffer } from '../../domain/offer';
import { createRandom } from '../../util/random';
import { NO_OFFER, type OfferArm } from '../eligibility';

/**
 * The ground truth of the offers simulator, which no policy but the oracle
 * (and the best-fixed baseline, chosen with hindsight) may read.
 *
 * Customers fall into 18 segments: value tier × churn driver (price, service,
 * contract) × tenure (new, established). Each has a CLV (log-normal around its
 * tier's median) and a true chance to stay for every arm: the segment's base
 * rate with no offer plus the offer's lift in that segment, moved by a
 * per-customer shift on the logit scale (the same for every arm). A discount
 * works on price-driven customers, a service fix on service-driven ones, a
 * contract credit on contract-driven ones; the deep discount and the premium
 * bundle are costly. Customers also accept offers and leave anyway
 * (`acceptButLeave`), more so for generous ones: what today's acceptance
 * ranking learns from.
 */
export type Driver = 'price' | 'service' | 'contract';
export type Tenure = 'new' | 'established';
export const TIERS: readonly ValueTier[] = ['low', 'mid', 'high'];
export const DRIVERS: readonly Driver[] = ['price', 'service', 'contract'];
export const TENURES: readonly Tenure[] = ['new', 'established'];

export interface SimOffer extends OfferArm {
  name: string;
  /** Lift in the chance to stay by driver. */
  lift: Record<Driver, number>;
  /** Extra lift for new customers (a multiplier on lift). */
  newCustomerFactor: number;
  /** Chance a customer who leaves had accepted the offer first. */
  acceptButLeave: number;
  minTier: ValueTier;
}

export const SIM_OFFERS: readonly SimOffer[] = [
  { id: 'discount-10', name: '10% off for 6 months', cost: 45, lift: { price: 0.16, service: 0.03, contract: 0.05 }, newCustomerFactor: 1.3, acceptButLeave: 0.35, minTier: 'low' },
  { id: 'discount-30', name: '30% off for 6 months', cost: 160, lift: { price: 0.27, service: 0.06, contract: 0.08 }, newCustomerFactor: 1.2, acceptButLeave: 0.55, minTier: 'low' },
  { id: 'service-fix', name: 'Priority technician visit', cost: 35, lift: { price: 0.01, service: 0.22, contract: 0.02 }, newCustomerFactor: 0.8, acceptButLeave: 0.15, minTier: 'low' },
  { id: 'contract-credit', name: 'Credit for a 12-month contract', cost: 80, lift: { price: 0.07, service: 0.02, contract: 0.24 }, newCustomerFactor: 1, acceptButLeave: 0.25, minTier: 'low' },
  { id: 'premium-bundle', name: 'Free premium bundle for a year', cost: 320, lift: { price: 0.35, service: 0.34, contract: 0.35 }, newCustomerFactor: 1, acceptButLeave: 0.6, minTier: 'mid' },
];

const TIER_RANK: Record<ValueTier, number> = { low: 0, mid: 1, high: 2 };
const CLV_MEDIAN: Record<ValueTier, number> = { low: 250, mid: 800, high: 2600 };
const BASE_STAY: Record<Tenure, number> = { new: 0.22, established: 0.4 };
const TIER_BASE_SHIFT: Record<ValueTier, number> = { low: -0.04, mid: 0, high: 0.05 };

export interface SimCustomer {
  id: number;
  tier: ValueTier;
  driver: Driver;
  tenure: Tenure;
  plan: string;
  segment: string;
  clv: number;
  /** True chance to stay per arm id (NO_OFFER included). */
  stay: Record<string, number>;
}

export function segmentOf(tier: ValueTier, driver: Driver, tenure: Tenure): string {
  return `${tier}:${driver}:${tenure}`;
}

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The true chance to stay in a segment for an arm, before the customer's own shift. */
export function segmentStay(arm: string, tier: ValueTier, driver: Driver, tenure: Tenure): number {
  const base = BASE_STAY[tenure] + TIER_BASE_SHIFT[tier];
  if (arm === NO_OFFER) return base;
  const offer = SIM_OFFERS.find((o) => o.id === arm);
  if (!offer) throw new Error(`Unknown offer ${arm}`);
  const factor = tenure === 'new' ? offer.newCustomerFactor : 1;
  return Math.min(0.97, base + offer.lift[driver] * factor);
}

export function generateCustomers(count: number, seed: number): SimCustomer[] {
  const random = createRandom(seed).fork('offers-customers');
  const customers: SimCustomer[] = [];
  for (let id = 0; id < count; id++) {
    const tier = random.weighted(TIERS, [0.5, 0.3, 0.2]);
    const driver = random.weighted(DRIVERS, [0.45, 0.35, 0.2]);
    const tenure = random.weighted(TENURES, [0.4, 0.6]);
    const clv = Math.round(CLV_MEDIAN[tier] * Math.exp(random.normal(0, 0.45)));
    const shift = random.normal(0, 0.25);
    const stay: Record<string, number> = {};
    for (const arm of [NO_OFFER, ...SIM_OFFERS.map((o) => o.id)]) stay[arm] = sigmoid(logit(segmentStay(arm, tier, driver, tenure)) + shift);
    customers.push({ id, tier, driver, tenure, plan: random.weighted(['basic', 'plus'], [0.6, 0.4]), segment: segmentOf(tier, driver, tenure), clv, stay });
  }
  return customers;
}

/** The sim's offers as arms (what policies may know: id, cost, tiers). */
export function simArms(): OfferArm[] {
  return SIM_OFFERS.map((o) => ({ id: o.id, cost: o.cost, tiers: TIERS.filter((t) => TIER_RANK[t] >= TIER_RANK[o.minTier]) }));
}

/** The sim's offers as today's playbook offers, for the acceptance ranking. */
export function simRetentionOffers(): RetentionOffer[] {
  return SIM_OFFERS.map((o) => ({
    id: o.id,
    name: o.name,
    description: o.name,
    monthlyCost: o.cost / 6,
    durationMonths: 6,
    drivers: (Object.keys(o.lift) as Driver[]).filter((d) => o.lift[d] >= 0.15),
    minTier: o.minTier,
  }));
}
