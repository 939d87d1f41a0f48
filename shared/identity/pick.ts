import type { CustomerProfile } from '../domain/customer';
import type { IdentityCandidate } from './agent-api';
import { isPhoneRegion, standardisePhone } from './phones';

function e164(raw: string, country: string): string | null {
  const parsed = standardisePhone(raw, isPhoneRegion(country) ? country : 'US');
  return parsed.ok ? parsed.e164 : null;
}

/** The match method of a call whose caller the agent picked from the candidates. */
export const AGENT_PICK_METHOD = 'picked by agent';

const compactAccount = (raw: string): string => raw.toUpperCase().replace(/[\s\-./]/g, '');

/**
 * What of the call agrees with a candidate profile, for "how they matched" on
 * the picker: the caller's number among the profile's phones (any spelling),
 * and the account id the caller keyed in.
 */
export function matchedOnFor(profile: CustomerProfile, callerNumber: string, accountId: string | null): string[] {
  const matched: string[] = [];
  const caller = callerNumber ? e164(callerNumber, profile.address.country) : null;
  if (caller !== null && profile.phones.some((phone) => phone === caller || e164(phone, profile.address.country) === caller)) matched.push('phone');
  if (accountId && compactAccount(accountId) === compactAccount(profile.accountId)) matched.push('account');
  return matched;
}

/** A candidate as the picker shows it, from a cached (or fetched) profile. */
export function candidateFromProfile(profile: CustomerProfile, confidence: number | null, matchedOn: string[]): IdentityCandidate {
  const year = profile.dateOfBirth ? Number(profile.dateOfBirth.slice(0, 4)) : Number.NaN;
  return {
    customerId: profile.id,
    name: `${profile.givenName} ${profile.familyName}`.trim(),
    accountId: profile.accountId,
    city: profile.address.city,
    birthYear: Number.isInteger(year) ? year : null,
    confidence,
    matchedOn,
  };
}
