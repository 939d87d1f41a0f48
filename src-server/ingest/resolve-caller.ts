import type { CallOffer } from '@shared/contract/server-socket';
import type { ServerStore } from '../store/server-store';
import { toE164 } from './standardise';

/**
 * Who is calling: the caller's number and any account id they keyed in,
 * resolved to candidate customers with a confidence the pop can show.
 */
export async function resolveCaller(
  store: ServerStore,
  callerNumber: string,
  accountId: string | undefined,
  defaultRegion: string,
): Promise<{ customerId: string | null; match: CallOffer['match'] }> {
  const e164 = toE164(callerNumber, defaultRegion);
  const byPhone = e164 ? await store.customerIdsByPhone(e164) : [];
  const byAccount = accountId ? await store.customerIdsByAccount(accountId) : [];
  const both = byPhone.filter((id) => byAccount.includes(id));

  if (both.length === 1) return { customerId: both[0]!, match: { method: 'phone and account', confidence: 0.99, candidates: [{ customerId: both[0]!, confidence: 0.99 }] } };
  if (byAccount.length === 1) return { customerId: byAccount[0]!, match: { method: 'account', confidence: 0.95, candidates: [{ customerId: byAccount[0]!, confidence: 0.95 }] } };
  if (byPhone.length === 1) return { customerId: byPhone[0]!, match: { method: 'phone', confidence: 0.9, candidates: [{ customerId: byPhone[0]!, confidence: 0.9 }] } };
  if (byPhone.length > 1) {
    // A shared family phone: offer every holder and let the agent pick.
    const confidence = Math.round((1 / byPhone.length) * 100) / 100;
    return { customerId: null, match: { method: 'shared phone', confidence, candidates: byPhone.map((customerId) => ({ customerId, confidence })) } };
  }
  return { customerId: null, match: { method: 'no match', confidence: 0, candidates: [] } };
}
