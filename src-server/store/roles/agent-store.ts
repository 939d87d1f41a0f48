import type { Agent } from '@shared/domain/agent';

export interface StoredAgent {
  agent: Agent;
  passwordHash: string;
}

/** Agents and their password hashes. A write is a change in the feed (the hash never is). */
export interface AgentStore {
  upsertAgent(agent: Agent, passwordHash: string): Promise<void>;
  agentByUsername(username: string): Promise<StoredAgent | null>;
  listAgents(): Promise<Agent[]>;
}
