import type { ChurnDriver } from '../domain/customer';
import { CUSTOMER_FEATURES } from './customer-features';
import type { CategoricalFeature, FeatureSpec, NumericFeature } from './schema';
import { categoryLabel } from './values';

/**
 * Feature contributions to plain reasons an agent can read: a stable code, the
 * churn driver that picks the retention script, and a phrase. The product's own
 * features have hand-written phrases; any other column gets a generic one
 * ("Contract = Month-to-month", "tenure is low (2)") and a driver guessed from its name.
 */
export interface ReasonText {
  code: string;
  driver: ChurnDriver;
  phrase: string;
  /** Message key and values for the UI's own wording (the phrase is English). */
  template?: { key: string; args: Record<string, string | number> };
}

function tpl(key: string, args: Record<string, string | number> = {}): { template: { key: string; args: Record<string, string | number> } } {
  return { template: { key, args } };
}

/** Phrase for one feature given its encoded value (number, level code, NaN = missing) and the raw cell. */
export type Phraser = (encoded: number, raw: unknown) => ReasonText;

export function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  if (Math.abs(x) >= 100) return String(Math.round(x));
  return String(Math.round(x * 100) / 100);
}

function plural(count: number, one: string, many: string): string {
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

type NumericPhrase = (x: number, feature: NumericFeature) => Omit<ReasonText, 'driver'>;

const PRODUCT_NUMERIC: Record<string, { driver: ChurnDriver; phrase: NumericPhrase; missing: Omit<ReasonText, 'driver'> }> = {
  [CUSTOMER_FEATURES.usageChange90d]: {
    driver: 'usage',
    phrase: (x) => {
      const pct = Math.round(Math.abs(x) * 100);
      if (pct === 0) return { code: 'usage_flat', phrase: 'Usage flat over 90 days', ...tpl('usage_flat') };
      return x < 0 ? { code: 'usage_down', phrase: `Usage down ${pct}% in 90 days`, ...tpl('usage_down', { pct }) } : { code: 'usage_up', phrase: `Usage up ${pct}% in 90 days`, ...tpl('usage_up', { pct }) };
    },
    missing: { code: 'usage_unknown', phrase: 'No recent usage data', ...tpl('usage_unknown') },
  },
  [CUSTOMER_FEATURES.complaints90d]: {
    driver: 'service',
    phrase: (x) => ({ code: 'complaints', phrase: x === 0 ? 'No complaints in 90 days' : `${plural(x, 'complaint', 'complaints')} in 90 days`, ...tpl('complaints', { count: x }) }),
    missing: { code: 'complaints_unknown', phrase: 'Complaint history unknown', ...tpl('complaints_unknown') },
  },
  [CUSTOMER_FEATURES.negativeContacts90d]: {
    driver: 'service',
    phrase: (x) => ({ code: 'negative_contacts', phrase: x === 0 ? 'No unhappy contacts in 90 days' : `${plural(x, 'unhappy contact', 'unhappy contacts')} in 90 days`, ...tpl('negative_contacts', { count: x }) }),
    missing: { code: 'negative_contacts_unknown', phrase: 'Contact sentiment unknown', ...tpl('negative_contacts_unknown') },
  },
  [CUSTOMER_FEATURES.avgResolutionHours]: {
    driver: 'service',
    phrase: (x) =>
      x > 24
        ? { code: 'slow_resolution', phrase: `Issues took ${formatNumber(Math.round((x / 24) * 10) / 10)} days to resolve`, ...tpl('slow_resolution', { count: Math.round((x / 24) * 10) / 10 }) }
        : { code: 'resolution_time', phrase: `Issues resolved in ${formatNumber(Math.round(x))} hours on average`, ...tpl('resolution_time', { count: Math.round(x) }) },
    missing: { code: 'no_support_history', phrase: 'No support tickets on record', ...tpl('no_support_history') },
  },
  [CUSTOMER_FEATURES.daysSinceLastContact]: {
    driver: 'other',
    phrase: (x) => ({ code: 'last_contact', phrase: x === 0 ? 'In contact today' : `Last contact ${plural(x, 'day', 'days')} ago`, ...tpl('last_contact', { count: x }) }),
    missing: { code: 'never_contacted', phrase: 'No contact on record', ...tpl('never_contacted') },
  },
  [CUSTOMER_FEATURES.paymentFailures90d]: {
    driver: 'payment',
    phrase: (x) => ({ code: 'payment_failures', phrase: x === 0 ? 'No failed payments in 90 days' : `${plural(x, 'failed payment', 'failed payments')} in 90 days`, ...tpl('payment_failures', { count: x }) }),
    missing: { code: 'payment_history_unknown', phrase: 'Payment history unknown', ...tpl('payment_history_unknown') },
  },
  [CUSTOMER_FEATURES.tenureMonths]: {
    driver: 'tenure',
    phrase: (x) => {
      if (x < 12) return { code: 'new_customer', phrase: `Customer for only ${plural(x, 'month', 'months')}`, ...tpl('new_customer', { count: x }) };
      if (x % 12 === 0) return { code: 'tenure', phrase: `Customer for ${plural(x / 12, 'year', 'years')}`, ...tpl('tenure_years', { count: x / 12 }) };
      return { code: 'tenure', phrase: `Customer for ${plural(x, 'month', 'months')}`, ...tpl('tenure_months', { count: x }) };
    },
    missing: { code: 'tenure_unknown', phrase: 'Tenure unknown', ...tpl('tenure_unknown') },
  },
  [CUSTOMER_FEATURES.daysToContractEnd]: {
    driver: 'contract',
    phrase: (x) =>
      x >= 0
        ? { code: 'contract_ending', phrase: x === 0 ? 'Contract ends today' : `Contract ends in ${plural(x, 'day', 'days')}`, ...tpl('contract_ending', { count: x }) }
        : { code: 'contract_ended', phrase: `Contract ended ${plural(-x, 'day', 'days')} ago`, ...tpl('contract_ended', { count: -x }) },
    missing: { code: 'no_contract_end', phrase: 'No fixed contract end date', ...tpl('no_contract_end') },
  },
  [CUSTOMER_FEATURES.monthlyCharge]: {
    driver: 'price',
    phrase: (x, f) =>
      x >= f.quantiles[1]
        ? { code: 'high_price', phrase: `High monthly charge ($${Math.round(x)})`, ...tpl('high_price', { amount: Math.round(x) }) }
        : { code: 'monthly_charge', phrase: `Monthly charge $${Math.round(x)}`, ...tpl('monthly_charge', { amount: Math.round(x) }) },
    missing: { code: 'monthly_charge_unknown', phrase: 'Monthly charge unknown', ...tpl('monthly_charge_unknown') },
  },
  [CUSTOMER_FEATURES.serviceCount]: {
    driver: 'other',
    phrase: (x) => (x <= 1 ? { code: 'few_services', phrase: x === 0 ? 'No active services' : 'Only 1 service', ...tpl('service_count', { count: x }) } : { code: 'service_count', phrase: `${formatNumber(x)} services on the plan`, ...tpl('service_count', { count: x }) }),
    missing: { code: 'services_unknown', phrase: 'Services unknown', ...tpl('services_unknown') },
  },
};

const CONTRACT_PHRASES: Record<string, Omit<ReasonText, 'driver'>> = {
  'month-to-month': { code: 'contract_m2m', phrase: 'Month-to-month contract', ...tpl('contract_m2m') },
  'one-year': { code: 'contract_one_year', phrase: 'One-year contract', ...tpl('contract_one_year') },
  'two-year': { code: 'contract_two_year', phrase: 'Two-year contract', ...tpl('contract_two_year') },
};

/** Column name reduced to lowercase letters and digits, for matching common public column names. */
function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const DRIVER_PATTERNS: readonly [ChurnDriver, RegExp][] = [
  ['contract', /contract|commitment|term/],
  ['payment', /pay|autopay|paperless|billingmethod|card|debit|overdue|arrears|latefee|default/],
  ['price', /charge|price|fee|cost|bill|spend|amount|tariff|discount|balance|revenue|salary/],
  ['tenure', /tenure|seniority|monthswith|yearswith|since|accountage|customerage|lifetime/],
  ['service', /complain|support|ticket|servicecall|custserv|resolution|satisf|csat|nps|outage|contact|issue|techsupport/],
  ['usage', /usage|minutes|mins|calls|data|traffic|streaming|login|session|activity|active|usage|gb|sms|transaction|product|visits/],
];

/** Churn driver guessed from a column name; "other" when nothing matches. */
export function driverForColumn(name: string): ChurnDriver {
  const key = normalise(name);
  for (const [driver, pattern] of DRIVER_PATTERNS) if (pattern.test(key)) return driver;
  return 'other';
}

function numericPhraser(feature: NumericFeature): Phraser {
  const product = PRODUCT_NUMERIC[feature.name];
  if (product) {
    return (x) => ({ driver: product.driver, ...(Number.isNaN(x) ? product.missing : product.phrase(x, feature)) });
  }
  const key = normalise(feature.name);
  const driver = driverForColumn(feature.name);
  if (key === 'monthlycharges' || key === 'monthlycharge') {
    const monthly = PRODUCT_NUMERIC[CUSTOMER_FEATURES.monthlyCharge];
    if (monthly) return (x) => ({ driver: 'price', ...(Number.isNaN(x) ? monthly.missing : monthly.phrase(x, feature)) });
  }
  const binary = feature.integer && feature.cuts.length === 1;
  const [low, median, high] = feature.quantiles;
  return (x) => {
    if (Number.isNaN(x)) return { code: `${feature.name}_missing`, driver, phrase: `${feature.name} is missing`, ...tpl('column_missing', { column: feature.name }) };
    if (binary) return { code: `${feature.name}=${formatNumber(x)}`, driver, phrase: `${feature.name} = ${formatNumber(x)}`, ...tpl('column_value', { column: feature.name, value: formatNumber(x) }) };
    const level = x <= low && x < median ? 'very low' : x < median ? 'low' : x >= high && x > median ? 'very high' : x > median ? 'high' : 'typical';
    const direction = x < median ? 'low' : x > median ? 'high' : 'typical';
    return { code: `${feature.name}_${direction}`, driver, phrase: `${feature.name} is ${level} (${formatNumber(x)})`, ...tpl(`column_${level.replace(' ', '_')}`, { column: feature.name, value: formatNumber(x) }) };
  };
}

function categoricalPhraser(feature: CategoricalFeature): Phraser {
  const key = normalise(feature.name);
  const driver = driverForColumn(feature.name);
  const labelOf = (code: number, raw: unknown): string | null => {
    if (Number.isNaN(code)) return null;
    return feature.levels[code] ?? categoryLabel(raw) ?? 'other';
  };
  if (feature.name === CUSTOMER_FEATURES.contractType) {
    return (code, raw) => {
      const label = labelOf(code, raw);
      if (label === null) return { code: 'contract_unknown', driver: 'contract', phrase: 'Contract type unknown', ...tpl('contract_unknown') };
      return { driver: 'contract', ...(CONTRACT_PHRASES[label] ?? { code: `contract_${label}`, phrase: `Contract: ${label}`, ...tpl('contract_named', { label }) }) };
    };
  }
  return (code, raw) => {
    const label = labelOf(code, raw);
    if (label === null) return { code: `${feature.name}_missing`, driver, phrase: `${feature.name} is missing`, ...tpl('column_missing', { column: feature.name }) };
    if (key === 'contract' && /month/i.test(label)) return { code: `${feature.name}=${label}`, driver: 'contract', phrase: 'Month-to-month contract', ...tpl('contract_m2m') };
    if (key === 'paymentmethod') return { code: `${feature.name}=${label}`, driver: 'payment', phrase: `Pays by ${label.toLowerCase()}`, ...tpl('pays_by', { label }) };
    return { code: `${feature.name}=${label}`, driver, phrase: `${feature.name} = ${label}`, ...tpl('column_value', { column: feature.name, value: label }) };
  };
}

export function reasonPhraser(feature: FeatureSpec): Phraser {
  return feature.kind === 'numeric' ? numericPhraser(feature) : categoricalPhraser(feature);
}
