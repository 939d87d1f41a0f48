/**
 * Every refusal of the routing engine is a RoutingError with a code the
 * server can map to an HTTP status or a socket ack, and a message that names
 * the agent, call and state involved. A refused event leaves state unchanged.
 */
export type RoutingErrorCode =
  /** The event (or `now`) failed schema validation. */
  | 'invalid_event'
  /** No agent with that id has ever logged in. */
  | 'unknown_agent'
  /** No active or remembered call with that id. */
  | 'unknown_call'
  /** callArrived with an id the engine has already seen. */
  | 'duplicate_call'
  /** agentLogin for an agent who is already logged in. */
  | 'duplicate_agent'
  /** The event does not fit the current state (e.g. accept for a call not reserved to that agent). */
  | 'out_of_order'
  /** agentLogout while the agent still has a connected call. */
  | 'agent_busy'
  /** A snapshot that cannot be restored. */
  | 'invalid_snapshot'
  /** A configuration that cannot be used. */
  | 'invalid_config';

export class RoutingError extends Error {
  readonly code: RoutingErrorCode;

  constructor(code: RoutingErrorCode, message: string) {
    super(message);
    this.name = 'RoutingError';
    this.code = code;
  }
}

export function isRoutingError(value: unknown): value is RoutingError {
  return value instanceof RoutingError;
}
