import type { Agent } from '@shared/domain/agent';
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
