import type { Language } from '@shared/domain/language';
import { createRandom, type Random } from '@shared/util/random';
import type { BankCall } from './bank-calls';

/**
 * Synthetic customers attached to the real calls (the log has no customer
 * attributes). Seeded; a repeat caller (same non-zero customer_id) is the same
 * customer every time.
 *
 * Assumptions, stated so they can be argued with:
 *  - language: type PE calls are English; the rest is an Israeli mix,
 *    Hebrew 76%, Russian 14%, Arabic 6%, English 4%;
 *  - churn risk ~ Beta(2, 4) (mean 0.33); bands low < 0.3 <= medium < 0.6 <= high;
 *  - CLV lognormal around 2,000 (sd of log 0.9), x1.5 for the bank's priority-1
 *    and x2.5 for priority-2 customers; tiers low < 1,500 <= mid < 5,000 <= high;
 *  - value at risk = CLV x churn risk; segment = "tier/band".
 */
export interface SyntheticCustomer {
  language: Language;
  tier: 'low' | 'mid' | 'high';
  band: 'low' | 'medium' | 'high';
  segment: string;
  churnRisk: number;
  clv: number;
  valueAtRisk: number;
}

const LANGUAGE_MIX: Language[] = ['he', 'ru', 'ar', 'en'];
const LANGUAGE_WEIGHTS = [0.76, 0.14, 0.06, 0.04];

export const SEGMENTS: readonly string[] = ['low', 'mid', 'high'].flatMap((tier) => ['low', 'medium', 'high'].map((band) => `${tier}/${band}`));

function betaInt(random: Random, alpha: number, beta: number): number {
  let x = 0;
  let y = 0;
  for (let i = 0; i < alpha; i++) x += random.exponential(1);
  for (let i = 0; i < beta; i++) y += random.exponential(1);
  return x / (x + y);
}

export function createCustomerFactory(seed: number): (call: BankCall) => SyntheticCustomer {
  const anonymous = createRandom(`customers:${seed}:anonymous`);
  return (call) => {
    const random = call.customerId !== '0' && call.customerId !== '' ? createRandom(`customers:${seed}:${call.customerId}`) : anonymous;
    const language = call.type === 'PE' ? 'en' : random.weighted(LANGUAGE_MIX, LANGUAGE_WEIGHTS);
    const churnRisk = betaInt(random, 2, 4);
    const band = churnRisk < 0.3 ? 'low' : churnRisk < 0.6 ? 'medium' : 'high';
    const priorityBoost = call.priority >= 2 ? 2.5 : call.priority === 1 ? 1.5 : 1;
    const clv = Math.round(Math.exp(random.normal(Math.log(2000), 0.9)) * priorityBoost);
    const tier = clv >= 5000 ? 'high' : clv >= 1500 ? 'mid' : 'low';
    return { language, tier, band, segment: `${tier}/${band}`, churnRisk, clv, valueAtRisk: clv * churnRisk };
  };
}
