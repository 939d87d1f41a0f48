import type { CallOffer } from '@shared/contract/server-socket';
import { isPhoneRegion, standardisePhone } from '@shared/identity/phones';
import type { IdentityService } from '../identity/identity-service';
import type { CustomerStore } from '../store/roles/customer-store';
import { toE164 } from './standardise';

type Resolution = { customerId: string | null; match: CallOffer['match'] };

/** What caller resolution asks of the identity service. */
export type CallerIndex = Pick<IdentityService, 'ready' | 'warm' | 'lookup'>;

/**
 * Who is calling: the caller's number and any account id they keyed in,
 * resolved to candidate customers with a confidence the pop can show.
 * Identity resolution's caller index answers first (it knows every phone of
 * every source record, and how sure each link is); a shared family phone
 * gives several candidates and no automatic pick. Until the index is built
 * (just after a restart), or for customers written without source records,
 * exact phone/account lookups in the store answer.
 */
export async function resolveCaller(
  identity: CallerIndex,
  store: CustomerStore,
  callerNumber: string,
  accountId: string | undefined,
  defaultRegion: string,
): Promise<Resolution> {
  const e164 = callerE164(callerNumber, defaultRegion);
  if (!identity.ready) void identity.warm().catch(() => undefined);
  const match = identity.lookup({ phone: e164 ?? callerNumber, accountId: accountId ?? null });
  if (match !== null) {
    const top = match.candidates[0];
    return {
      customerId: match.ambiguous || top === undefined ? null : top.customerId,
      match: {
        method: top === undefined ? 'no match' : methodOf(top.explanation),
        confidence: top?.confidence ?? 0,
        candidates: match.candidates.map((candidate) => ({ customerId: candidate.customerId, confidence: candidate.confidence })),
      },
    };
  }
  return exactLookup(store, e164, accountId);
}

/**
 * The caller's number as identity resolution standardised the stored phones: a possible number
 * that no numbering plan allows (common in real books) is still the customer's number, so the
 * exact lookup must find it as the caller index would.
 */
function callerE164(callerNumber: string, defaultRegion: string): string | null {
  const standard = isPhoneRegion(defaultRegion) ? standardisePhone(callerNumber, defaultRegion) : null;
  return standard?.ok === true ? standard.e164 : toE164(callerNumber, defaultRegion);
}

/** "phone and account, 0.98" -> "phone and account" (the pop prints the confidence beside it). */
function methodOf(explanation: string): string {
  const comma = explanation.lastIndexOf(',');
  return comma < 0 ? explanation : explanation.slice(0, comma);
}

async function exactLookup(store: CustomerStore, e164: string | null, accountId: string | undefined): Promise<Resolution> {
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
