import { toDesktopErrorCode, type DesktopError, type DesktopErrorCode } from '@shared/contract/desktop-api';
import { ServerRequestError } from '../server-link/server-http-client';
import { ServerAckError } from '../server-link/server-socket';

/** A refusal of the desktop backend itself, with a code from the contract. */
export class BackendError extends Error {
  constructor(readonly code: DesktopErrorCode, message: string) {
    super(message);
    this.name = 'BackendError';
  }
}

/**
 * Any error a handler threw, as the contract's error. The server's codes are
 * passed through (unknown ones as 'server_error'); a fetch that never reached
 * the server is 'network', an ack that never came is 'timeout'.
 */
export function toDesktopError(error: unknown): DesktopError {
  if (error instanceof BackendError) return { code: error.code, message: error.message };
  if (error instanceof ServerRequestError) {
    return { code: toDesktopErrorCode(error.code), message: error.message, ...(error.field !== undefined ? { field: error.field } : {}) };
  }
  if (error instanceof ServerAckError) return { code: toDesktopErrorCode(error.code), message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError && /fetch failed/i.test(message)) return { code: 'network', message: `The server cannot be reached: ${message}` };
  if (error instanceof Error && /operation has timed out/i.test(message)) return { code: 'timeout', message: 'The server did not answer in time' };
  return { code: 'internal', message };
}
