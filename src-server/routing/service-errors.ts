import { isRoutingError, type RoutingErrorCode } from '@shared/routing';

/**
 * Every refusal of the routing server, with a code the HTTP layer maps to a
 * status and the socket layer sends in an error ack. The routing engine's own
 * typed errors (RoutingError) map onto the same codes.
 */
export type ServiceErrorCode =
  | RoutingErrorCode
  | 'unknown_customer'
  | 'unknown_task'
  | 'forbidden'
  | 'clock_ahead'
  | 'not_your_call'
  | 'not_a_candidate'
  /** A cluster node that does not (or no longer) route: ask again, the next authority answers. */
  | 'not_authority';

const STATUS: Record<ServiceErrorCode, number> = {
  invalid_event: 400,
  unknown_agent: 404,
  unknown_call: 404,
  unknown_customer: 404,
  unknown_task: 404,
  forbidden: 403,
  not_your_call: 403,
  clock_ahead: 409,
  not_a_candidate: 409,
  duplicate_call: 409,
  duplicate_agent: 409,
  out_of_order: 409,
  agent_busy: 409,
  not_authority: 503,
  invalid_snapshot: 500,
  invalid_config: 500,
};

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }

  get status(): number {
    return STATUS[this.code];
  }
}

/** A ServiceError for anything the server refuses on purpose; null for a real fault. */
export function asServiceError(error: unknown): ServiceError | null {
  if (error instanceof ServiceError) return error;
  if (isRoutingError(error)) return new ServiceError(error.code, error.message);
  return null;
}
