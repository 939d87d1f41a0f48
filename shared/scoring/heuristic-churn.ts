import type { ChurnBand, CustomerProfile, Reason } from '../domain/customer';

/**
 * A transparent first churn heuristic: additive points on the log-odds scale,
 * each one a plain reason an agent can read. It is labelled "heuristic" on
 * screen and is replaced by the trained model (shared/churn) where one exists.
 */
export const HEURISTIC_CHURN_VERSION = 'heuristic-churn-1';

const BASE_LOG_ODDS = -2.2;

export interface ChurnEstimate {
  probability: number;
  band: ChurnBand;
  reasons: Reason[];
  modelVersion: string;
}

export function churnBand(probability: number): ChurnBand {
  if (probability >= 0.6) return 'high';
  if (probability >= 0.3) return 'medium';
  return 'low';
}

function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 86_400_000);
}

export function heuristicChurn(profile: CustomerProfile, asOfIso: string): ChurnEstimate {
  const reasons: Reason[] = [];
  const add = (weight: number, reason: Omit<Reason, 'weight'>): void => {
    if (weight > 0) reasons.push({ ...reason, weight });
  };
  const { plan, signals } = profile;

  add(plan.contractType === 'month-to-month' ? 1.1 : 0, { code: 'contract_m2m', driver: 'contract', phrase: 'Month-to-month contract', template: { key: 'contract_m2m', args: {} } });
  if (plan.contractEnd) {
    const days = daysBetween(asOfIso, plan.contractEnd);
    if (days >= 0 && days <= 45) add(0.8, { code: 'contract_ending', driver: 'contract', phrase: `Contract ends in ${days} days`, template: { key: 'contract_ending', args: { count: days } } });
  }
  if (signals.usageChange90d <= -0.15) {
    const pct = Math.round(-signals.usageChange90d * 100);
    add(Math.min(1.4, -signals.usageChange90d * 2.5), { code: 'usage_down', driver: 'usage', phrase: `Usage down ${pct}% in 90 days`, template: { key: 'usage_down', args: { pct } } });
  }
  add(Math.min(1.2, signals.paymentFailures90d * 0.45), {
    code: 'payment_failures', driver: 'payment', phrase: `${signals.paymentFailures90d} failed payment${signals.paymentFailures90d === 1 ? '' : 's'} in 90 days`, template: { key: 'payment_failures', args: { count: signals.paymentFailures90d } },
  });
  add(Math.min(1.5, signals.complaints90d * 0.5), {
    code: 'complaints', driver: 'service', phrase: `${signals.complaints90d} complaint${signals.complaints90d === 1 ? '' : 's'} in 90 days`, template: { key: 'complaints', args: { count: signals.complaints90d } },
  });
  add(Math.min(0.9, signals.negativeContacts90d * 0.3), {
    code: 'negative_contacts', driver: 'service', phrase: `${signals.negativeContacts90d} unhappy contact${signals.negativeContacts90d === 1 ? '' : 's'} recently`, template: { key: 'negative_contacts_recent', args: { count: signals.negativeContacts90d } },
  });
  if (signals.avgResolutionHours !== null && signals.avgResolutionHours > 48) {
    add(0.4, { code: 'slow_resolution', driver: 'service', phrase: `Issues took ${Math.round(signals.avgResolutionHours / 24)} days to resolve`, template: { key: 'slow_resolution', args: { count: Math.round(signals.avgResolutionHours / 24) } } });
  }
  add(plan.tenureMonths < 6 ? 0.6 : 0, { code: 'new_customer', driver: 'tenure', phrase: `Customer for only ${plan.tenureMonths} months`, template: { key: 'new_customer', args: { count: plan.tenureMonths } } });
  add(plan.monthlyCharge >= 90 ? 0.5 : 0, { code: 'high_price', driver: 'price', phrase: `High monthly bill ($${Math.round(plan.monthlyCharge)})`, template: { key: 'high_price', args: { amount: Math.round(plan.monthlyCharge) } } });

  const logOdds = BASE_LOG_ODDS + reasons.reduce((sum, r) => sum + r.weight, 0);
  const probability = 1 / (1 + Math.exp(-logOdds));
  reasons.sort((a, b) => b.weight - a.weight);
  return { probability, band: churnBand(probability), reasons, modelVersion: HEURISTIC_CHURN_VERSION };
}
