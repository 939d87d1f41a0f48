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
 * The customers on a call with an agent (offered to or held by them): each
 * call's caller, or the candidates the agent may pick. The desktop fetches such
 * a caller, who may be outside its scope and so not in its cache, to show the pop.
 */
export function customersOnCallWith(router: CallRouter, agentId: string): string[] {
  return router.openCalls().flatMap((call) => {
    const parties = router.callParties(call.id);
    if (parties === undefined || !parties.agents.has(agentId)) return [];
    return parties.customerId !== null ? [parties.customerId, ...parties.candidates] : [...parties.candidates];
  });
}

/** Where the open calls are: this process's router, or in a cluster the routing node's (a follower asks it). */
export type CallCustomers = (agentId: string) => Promise<readonly string[]>;

/** The given answer of where the calls are, else this process's router. */
export function callCustomersOf(deps: { routing: { router: CallRouter }; callCustomers?: CallCustomers }): CallCustomers {
  return deps.callCustomers ?? (async (agentId) => customersOnCallWith(deps.routing.router, agentId));
}

/** The scope of a signed-in caller: null (the whole book) unless it is an agent and agents are scoped. */
export async function scopeOfPrincipal(store: Pick<AccountStore, 'accountById'>, principal: Principal | null, mode: AgentCustomerScope): Promise<CustomerScope> {
  if (mode === 'all' || principal?.role !== 'agent') return null;
  // One indexed read per request: snapshot pages come by the hundred per desktop at shift start.
  const account = await store.accountById(principal.subject);
  return account ? customerScopeOf(account.agent, 'languages') : { languages: [] };
}

/**
 * The customers the caller may read: those in its scope, and those on a call with it. Where the calls are
 * is asked only when a customer falls outside the scope (on a cluster's follower, that is a round trip).
 */
export async function readableBy<C extends { id: string; language: string }>(
  scope: CustomerScope, principal: Principal | null, callCustomers: CallCustomers, customers: readonly C[],
): Promise<C[]> {
  if (scope === null) return [...customers];
  const languages: readonly string[] = scope.languages;
  const inScope = (customer: C): boolean => languages.includes(customer.language);
  if (customers.every(inScope)) return [...customers];
  const onCall = new Set(principal ? await callCustomers(principal.subject) : []);
  return customers.filter((customer) => inScope(customer) || onCall.has(customer.id));
}
