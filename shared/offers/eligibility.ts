import type { ValueTier } from '../domain/customer';

/** One arm the learner may choose: an offer from the catalogue, or NO_OFFER. */
export interface OfferArm {
  id: string;
  /** What the offer costs the business if made (whole term), in the account currency. */
  cost: number;
  /** Tiers the offer may be made to; absent means every tier. */
  tiers?: readonly ValueTier[];
  /** Plans the offer may be made on; absent means every plan. */
  plans?: readonly string[];
  status?: 'active' | 'paused' | 'retired';
}

/** The "make no offer" arm: always eligible, costs nothing, has its own stay rate. */
export const NO_OFFER = 'none';

export interface EligibilityCustomer {
  tier: ValueTier;
  plan: string;
  /** Customer lifetime value, in the same currency as offer costs. */
  clv: number;
  /** Offers this customer declined, with how many days ago. */
  declined: readonly { offerId: string; daysAgo: number }[];
}

export interface EligibilityRules {
  /** An offer may cost at most this share of the customer's CLV. */
  maxCostShare: number;
  /** An offer declined within this many days is not made again. */
  declineCooldownDays: number;
}

export const DEFAULT_ELIGIBILITY: EligibilityRules = { maxCostShare: 0.5, declineCooldownDays: 90 };

export type ExclusionReason = 'paused' | 'retired' | 'tier' | 'plan' | 'budget' | 'declined-recently';

export interface Exclusion {
  offerId: string;
  reason: ExclusionReason;
  detail: string;
}

export interface Eligibility {
  /** Eligible offers, in catalogue order; NO_OFFER is not among them (it is always eligible). */
  eligible: OfferArm[];
  excluded: Exclusion[];
}

/** Which offers may be made to this customer, and why each other one may not (first failing rule). */
export function offerEligibility(offers: readonly OfferArm[], customer: EligibilityCustomer, rules: EligibilityRules): Eligibility {
  const eligible: OfferArm[] = [];
  const excluded: Exclusion[] = [];
  const budget = rules.maxCostShare * Math.max(0, customer.clv);
  for (const offer of offers) {
    if (offer.id === NO_OFFER) continue;
    const reason = exclusionOf(offer, customer, rules, budget);
    if (reason) excluded.push({ offerId: offer.id, ...reason });
    else eligible.push(offer);
  }
  return { eligible, excluded };
}

function exclusionOf(
  offer: OfferArm,
  customer: EligibilityCustomer,
  rules: EligibilityRules,
  budget: number,
): { reason: ExclusionReason; detail: string } | undefined {
  if (offer.status === 'retired') return { reason: 'retired', detail: 'the offer is retired' };
  if (offer.status === 'paused') return { reason: 'paused', detail: 'the offer is paused' };
  if (offer.tiers && !offer.tiers.includes(customer.tier)) {
    return { reason: 'tier', detail: `for tiers ${offer.tiers.join(', ')}; the customer is ${customer.tier}` };
  }
  if (offer.plans && !offer.plans.includes(customer.plan)) {
    return { reason: 'plan', detail: `for plans ${offer.plans.join(', ')}; the customer is on ${customer.plan}` };
  }
  if (offer.cost > budget) {
    return { reason: 'budget', detail: `costs ${offer.cost.toFixed(2)}, over ${(rules.maxCostShare * 100).toFixed(0)}% of CLV (${budget.toFixed(2)})` };
  }
  const recent = customer.declined.find((d) => d.offerId === offer.id && d.daysAgo < rules.declineCooldownDays);
  if (recent) return { reason: 'declined-recently', detail: `declined ${recent.daysAgo} days ago (cool-down ${rules.declineCooldownDays} days)` };
  return undefined;
}
