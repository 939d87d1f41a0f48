import { join } from 'node:path';
import type { Call } from '@shared/domain/call';
import { DEMO_AGENTS } from '@shared/demo-data/agents';
import { openServerStore } from '../../src-server/store/open-store';
import type { CallStore } from '../../src-server/store/roles/call-store';

/**
 * A completed call of `agentId` with `customerId`, as the server records it.
 * The server takes a wrap-up only for the sender's own call; tests about the
 * outbox (not about routing) put the calls their wrap-ups are for on record
 * with this rather than routing each one.
 */
export function completedCall(callId: string, agentId: string, customerId: string): Call {
  const at = new Date().toISOString();
  return {
    id: callId, callerNumber: '+12125550000', accountId: null, language: 'en', intent: 'cancellation', customerId,
    state: 'completed', agentId, createdAt: at, answeredAt: at, endedAt: at, priority: 0,
  };
}

/** Puts calls on record in a running server's store (same process). */
export async function putCallsOnRecord(store: CallStore, calls: ReadonlyArray<{ callId: string; agentId: string; customerId: string }>): Promise<void> {
  for (const { callId, agentId, customerId } of calls) await store.saveCall(completedCall(callId, agentId, customerId));
}

/** Puts calls on record in the SQLite store of a server running in another process (its data folder). */
export async function putCallsOnRecordIn(serverDataDir: string, calls: ReadonlyArray<{ callId: string; agentId: string; customerId: string }>): Promise<void> {
  const store = await openServerStore({ kind: 'sqlite', file: join(serverDataDir, 'routing.db') });
  try {
    await putCallsOnRecord(store, calls);
  } finally {
    await store.close();
  }
}

/** A demo agent's id by username. */
export function demoAgentId(username: string): string {
  const agent = DEMO_AGENTS.find((a) => a.username === username);
  if (!agent) throw new Error(`no demo agent ${username}`);
  return agent.id;
}

/** The calls a desktop-process burst saves wrap-ups for (see tests/support/desktop-process.ts): one per customer. */
export function burstCalls(agentId: string, customerIds: readonly string[]): Array<{ callId: string; agentId: string; customerId: string }> {
  return customerIds.map((customerId, i) => ({ callId: `CALL-burst-${agentId}-${i}`, agentId, customerId }));
}
