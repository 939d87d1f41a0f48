/** A webhook delivery waiting to be acknowledged by the receiver. */
export interface PendingDelivery {
  id: string;
  callId: string;
  /** The JSON body, exactly as signed and sent (kept as text so a retry sends the same bytes). */
  body: string;
  createdAt: string;
  attempts: number;
  /** ms since epoch: not sent again before this. */
  nextAttemptAt: number;
}

/**
 * What telephony keeps: each agent's phone address (a SIP URI or an
 * extension), beside the agent record so merging account fields stays
 * independent; and the webhook adapter's outbox, so a restart loses no
 * assignment that was not yet acknowledged.
 */
export interface TelephonyStore {
  /** agent id -> phone address, for every agent who has one. */
  agentPhones(): Promise<Record<string, string>>;
  /** Sets (or, with null, clears) an agent's phone address. */
  setAgentPhone(agentId: string, address: string | null): Promise<void>;
  /** Queues a delivery; a delivery id already queued is left as it is. */
  enqueueDelivery(delivery: { id: string; callId: string; body: string; createdAt: string; nextAttemptAt: number }): Promise<void>;
  /** Unacknowledged deliveries due at `now`, oldest first. */
  dueDeliveries(now: number, limit: number): Promise<PendingDelivery[]>;
  /** Unacknowledged deliveries, however far off their next attempt. */
  pendingDeliveries(): Promise<number>;
  /** An attempt failed: try again at `nextAttemptAt`. */
  deliveryFailed(id: string, nextAttemptAt: number, error: string): Promise<void>;
  /** The receiver acknowledged it: it is never sent again. */
  deliveryDone(id: string, deliveredAt: string): Promise<void>;
}
