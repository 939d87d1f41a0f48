import type { CustomerProfile } from '../domain/customer';

/**
 * The product's own churn features: one flat row per customer profile, as of
 * a reference date. The server trains on stored customers with a known outcome
 * and scores every customer through this same function, so training and
 * scoring can never disagree about what a feature means.
 */
export const CUSTOMER_FEATURES = {
  usageChange90d: 'usage_change_90d',
  complaints90d: 'complaints_90d',
  negativeContacts90d: 'negative_contacts_90d',
  avgResolutionHours: 'avg_resolution_hours',
  daysSinceLastContact: 'days_since_last_contact',
  paymentFailures90d: 'payment_failures_90d',
  tenureMonths: 'tenure_months',
  daysToContractEnd: 'days_to_contract_end',
  monthlyCharge: 'monthly_charge',
  contractType: 'contract_type',
  serviceCount: 'service_count',
} as const;

export type CustomerFeatureName = (typeof CUSTOMER_FEATURES)[keyof typeof CUSTOMER_FEATURES];
export type CustomerFeatureRow = Record<CustomerFeatureName, number | string | null>;

const DAY_MS = 86_400_000;

/** Whole days from `asOf` to `date` (negative once the date has passed); null when unknown or unreadable. */
function daysUntil(date: string | null, asOf: number): number | null {
  if (date === null) return null;
  const at = Date.parse(date);
  if (Number.isNaN(at)) return null;
  return Math.round((at - asOf) / DAY_MS);
}

/**
 * Feature row of one customer. Unknown values stay null (the model learns
 * where missing values go) rather than being guessed as zero.
 * `usage_change_90d` is a fraction: -0.4 means usage fell 40%.
 */
export function customerFeatureRow(profile: CustomerProfile, asOf: string | Date): CustomerFeatureRow {
  const asOfMs = typeof asOf === 'string' ? Date.parse(asOf) : asOf.getTime();
  if (Number.isNaN(asOfMs)) throw new Error(`customerFeatureRow: reference date "${String(asOf)}" is not a date`);
  const { plan, signals } = profile;
  return {
    usage_change_90d: Number.isFinite(signals.usageChange90d) ? signals.usageChange90d : null,
    complaints_90d: signals.complaints90d,
    negative_contacts_90d: signals.negativeContacts90d,
    avg_resolution_hours: signals.avgResolutionHours,
    days_since_last_contact: signals.daysSinceLastContact,
    payment_failures_90d: signals.paymentFailures90d,
    tenure_months: plan.tenureMonths,
    days_to_contract_end: plan.contractType === 'month-to-month' ? null : daysUntil(plan.contractEnd, asOfMs),
    monthly_charge: plan.monthlyCharge,
    contract_type: plan.contractType,
    service_count: plan.services.length,
  };
}
