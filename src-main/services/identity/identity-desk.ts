import type { identityMethods } from '@shared/contract/desktop-api';
import type { CallOffer } from '@shared/contract/server-socket';
import type { IdentityActionResult, IdentityCandidate } from '@shared/identity/agent-api';
import { AGENT_PICK_METHOD, candidateFromProfile, matchedOnFor } from '@shared/identity/pick';
import { BackendError } from '../desk/backend-error';
import type { Handlers, MethodsOf } from '../desk/desk';
import type { CallDesk } from '../calls/call-desk';
import { fetchCustomerIntoCache } from '../calls/customer-fetch';
import type { ServerHttpClient } from '../server-link/server-http-client';
import type { SessionHolder } from '../session/session';

/** Who the caller is: the candidates of an unsure match, and the agent's pick, confirm, merge and split. */
export class IdentityDesk {
  constructor(
    private readonly sessions: SessionHolder,
    private readonly calls: CallDesk,
    private readonly http: ServerHttpClient,
  ) {}

  readonly handlers: Handlers<MethodsOf<typeof identityMethods>> = {
    'identity.candidates': async ({ callId }) => ({ candidates: await this.candidates(callId) }),
    'identity.pick': ({ callId, customerId }) => this.pick(callId, customerId),
    'identity.confirm': async ({ customerId }) => this.afterAction(await this.http.identityAction(this.sessions.require().token, 'confirm', { customerId })),
    'identity.merge': async ({ customerIds }) => this.afterAction(await this.http.identityAction(this.sessions.require().token, 'merge', { customerIds })),
    'identity.split': async ({ customerId, recordIds }) => this.afterAction(await this.http.identityAction(this.sessions.require().token, 'split', { customerId, recordIds })),
    'identity.find': ({ query }) => this.http.findIdentities(this.sessions.require().token, query),
    'identity.records': ({ customerId }) => this.http.identityRecords(this.sessions.require().token, customerId),
  };

  private popOnScreen(method: string, callId: string) {
    const pop = this.calls.current?.pop;
    if (!pop || pop.call.id !== callId) throw new BackendError('not_found', `${method}: call ${callId} is not on screen`);
    return pop;
  }

  private async candidates(callId: string): Promise<IdentityCandidate[]> {
    const session = this.sessions.require();
    const pop = this.popOnScreen('identity.candidates', callId);
    const candidates: IdentityCandidate[] = [];
    for (const { customerId, confidence } of pop.match.candidates) {
      // A candidate outside this desk's cached scope is fetched (and kept: they are calling).
      const profile = session.cache.customers.get(customerId) ?? (await fetchCustomerIntoCache(session, this.http, customerId));
      if (profile) candidates.push(candidateFromProfile(profile, confidence, matchedOnFor(profile, pop.call.callerNumber, pop.call.accountId)));
      else candidates.push({ customerId, name: customerId, accountId: '', city: null, birthYear: null, confidence, matchedOn: [] });
    }
    return candidates;
  }

  private async pick(callId: string, customerId: string): Promise<{ confirmed: boolean }> {
    const session = this.sessions.require();
    const pop = this.popOnScreen('identity.pick', callId);
    if (!pop.match.candidates.some((c) => c.customerId === customerId)) {
      throw new BackendError('invalid_input', `identity.pick: ${customerId} is not a candidate of this call`);
    }
    const offer: CallOffer = {
      call: { ...pop.call, customerId },
      reservationDeadline: pop.reservationDeadline,
      match: { method: AGENT_PICK_METHOD, confidence: 1, candidates: [{ customerId, confidence: 1 }] },
    };
    this.calls.replacePop(session, offer);
    if (!session.cache.customers.get(customerId) && (await fetchCustomerIntoCache(session, this.http, customerId))) this.calls.replacePop(session, offer);
    // The binding stands offline too; the server hears the confirmation when it can be reached.
    const confirmed = await this.http.identityAction(session.token, 'confirm', { customerId }).then(() => true, () => false);
    return { confirmed };
  }

  /**
   * After a confirm, merge or split: the cache catches up on the change feed,
   * and the customer on screen is re-read from the server (they may be outside
   * this desk's cached scope) so the pop shows the profile as it now stands.
   */
  private async afterAction(result: IdentityActionResult): Promise<IdentityActionResult> {
    const session = this.sessions.require();
    await session.sync.pull(session.socket).catch(() => undefined);
    const onScreen = this.calls.current?.pop.call.customerId;
    if (onScreen && result.changedCustomers.includes(onScreen)) {
      await fetchCustomerIntoCache(session, this.http, onScreen);
      this.calls.refreshPopFor(onScreen);
    }
    return result;
  }
}
