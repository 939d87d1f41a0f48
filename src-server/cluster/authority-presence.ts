import type { Agent } from '@shared/domain/agent';
import type { RoutingService } from '../routing/routing-service';
import { welcomeAgent, type AgentWelcome } from '../realtime/desktop-commands';

/**
 * Which node holds which agent's desktops, as the routing authority keeps it.
 * An agent stays signed in to routing while any node holds a desktop of theirs:
 * a desktop moving from a dead node to a live one does not sign the agent out
 * and back in (that would put them "away" and return their offer to the queue).
 */
export class AuthorityPresence {
  private readonly nodesOf = new Map<string, Set<string>>();

  constructor(private readonly routing: RoutingService) {}

  online(nodeId: string, agent: Agent): AgentWelcome {
    let nodes = this.nodesOf.get(agent.id);
    if (!nodes) {
      nodes = new Set();
      this.nodesOf.set(agent.id, nodes);
    }
    nodes.add(nodeId);
    return welcomeAgent(this.routing, agent);
  }

  offline(nodeId: string, agentId: string): void {
    const nodes = this.nodesOf.get(agentId);
    nodes?.delete(nodeId);
    if (nodes && nodes.size > 0) return;
    this.nodesOf.delete(agentId);
    this.routing.router.agentOffline(agentId);
  }

  /** Everything a node holds now (after the authority changed, or the node lost track): replaces what it said before. */
  announce(nodeId: string, agents: readonly Agent[]): void {
    const now = new Set(agents.map((a) => a.id));
    for (const [agentId, nodes] of [...this.nodesOf]) {
      if (nodes.has(nodeId) && !now.has(agentId)) this.offline(nodeId, agentId);
    }
    for (const agent of agents) this.online(nodeId, agent);
  }

  /** Nodes no longer heard of lose their desktops. */
  forgetNodesBut(live: ReadonlySet<string>): void {
    for (const [agentId, nodes] of [...this.nodesOf]) {
      for (const nodeId of [...nodes]) if (!live.has(nodeId)) this.offline(nodeId, agentId);
    }
  }

  agentsOnline(): Set<string> {
    return new Set(this.nodesOf.keys());
  }
}
