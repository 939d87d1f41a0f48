import type { CustomerProfile } from '@shared/domain/customer';
import type { Interaction } from '@shared/domain/interaction';
import type { Language } from '@shared/domain/language';
import { chronological } from '@shared/summary/index';
import { sha256Hex } from './audit';

/**
 * Cache key for a brief: the customer, a SHA-256 of everything that goes
 * into the payload (history in a fixed field order, plan, signals, the
 * profile fields redaction uses), the
 * language and the model. Any change to the history gives a new key.
 */
export function briefCacheKey(
  customer: Pick<CustomerProfile, 'id' | 'plan' | 'signals' | 'givenName' | 'familyName' | 'accountId' | 'phones' | 'email' | 'address'>,
  history: readonly Interaction[],
  language: Language,
  model: string,
): { key: string; historySha256: string } {
  const canonical = chronological(history).map((i) => [
    i.id,
    i.occurredAt,
    i.channel,
    i.direction,
    i.topic,
    i.sentiment,
    i.summary,
    i.ticketStatus,
    i.offer?.offerId ?? null,
    i.offer?.result ?? null,
    i.promise,
  ]);
  // Profile fields matter too: they decide what is redacted and what a placeholder restores to.
  const profile = [customer.givenName, customer.familyName, customer.accountId, customer.phones, customer.email, customer.address];
  const historySha256 = sha256Hex(JSON.stringify({ history: canonical, plan: customer.plan, signals: customer.signals, profile }));
  return { key: `${customer.id}\u0000${historySha256}\u0000${language}\u0000${model}`, historySha256 };
}
