import type { Agent } from '@shared/domain/agent';
import type { Principal } from '../auth/tokens';
import type { AccountStore } from '../store/roles/account-store';
import type { CustomerScope } from '../store/roles/feed-store';
import type { CallRouter } from './call-router';

/** Whether agents get the whole book or only the customers of their languages (config agentCustomerScope). */
export type AgentCustomerScope = 'all' | 'languages';

/** The customers `agent` may see: the whole book (null) for supervisors, or with scope 'all'; else its languages. */
export function customerScopeOf(agent: Pick<Agent, 'role' | 'languages'>, mode: AgentCustomerScope): CustomerScope {
  return mode === 'languages' && agent.role === 'agent' ? { languages: agent.languages.map((l) => l.code) } : null;
}

/**
 * Whether a customer outside the agent's scope is on a call with that agent
 * (offered to or held by them): its caller, or a candidate the agent may pick.
 * The desktop fetches such a caller, who is not in its cache, to show the pop.
 */
export function onCallWith(router: CallRouter, agentId: string, customerId: string): boolean {
  return router.openCalls().some((call) => {
    const parties = router.callParties(call.id);
    return parties !== undefined && parties.agents.has(agentId) && (parties.customerId === customerId || parties.candidates.includes(customerId));
  });
}

/** The scope of a signed-in caller: null (the whole book) unless it is an agent and agents are scoped. */
export async function scopeOfPrincipal(store: Pick<AccountStore, 'accountById'>, principal: Principal | null, mode: AgentCustomerScope): Promise<CustomerScope> {
  if (mode === 'all' || principal?.role !== 'agent') return null;
  // One indexed read per request: snapshot pages come by the hundred per desktop at shift start.
  const account = await store.accountById(principal.subject);
  return account ? customerScopeOf(account.agent, 'languages') : { languages: [] };
}

/** Whether the caller may read this customer: in its scope, or on a call with it. */
export function mayRead(scope: CustomerScope, router: CallRouter, principal: Principal | null, customer: { id: string; language: string }): boolean {
  return scope === null || (scope.languages as readonly string[]).includes(customer.language) || onCallWith(router, principal?.subject ?? '', customer.id);
}
