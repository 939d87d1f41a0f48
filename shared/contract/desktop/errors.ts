import { z } from 'zod';

/**
 * Every error code that crosses the UI boundary. The desktop backend's own
 * refusals come first; the routing server's codes follow, passed through as
 * the server sent them; a server code this build does not know arrives as
 * 'server_error' with the server's message kept.
 */
export const desktopErrorCodes = [
  // The boundary itself.
  'unknown_method', 'invalid_input', 'internal', 'bridge', 'ipc', 'shutting_down', 'bad_response',
  // The desktop's own refusals.
  'not_logged_in', 'not_found', 'unknown_customer', 'no_such_call', 'busy',
  // The routing server's refusals (HTTP and socket acks).
  'unauthorized', 'forbidden', 'invalid_request', 'invalid_payload', 'invalid_event',
  'conflict', 'unknown_agent', 'unknown_call', 'unknown_task', 'duplicate_call', 'duplicate_agent', 'out_of_order', 'agent_busy',
  'invalid_snapshot', 'invalid_config', 'not_in_profile', 'nothing_to_merge', 'whole_profile',
  'timeout', 'network', 'server_error',
  // Sign-in and tokens (shared/contract/server-http.ts: authRefusalSchema).
  'password_change_required', 'account_disabled', 'locked', 'token_expired', 'token_revoked', 'unavailable',
] as const;
export const desktopErrorCodeSchema = z.enum(desktopErrorCodes);
export type DesktopErrorCode = z.infer<typeof desktopErrorCodeSchema>;

export function isDesktopErrorCode(code: unknown): code is DesktopErrorCode {
  return typeof code === 'string' && (desktopErrorCodes as readonly string[]).includes(code);
}

/** A code from outside (the server) as a known code: unknown ones become 'server_error'. */
export function toDesktopErrorCode(code: string): DesktopErrorCode {
  return isDesktopErrorCode(code) ? code : 'server_error';
}

export const desktopErrorSchema = z.object({
  code: desktopErrorCodeSchema,
  message: z.string(),
  /** The input field the error is about, when the server named one (the agent editor shows it there). */
  field: z.string().optional(),
});
export type DesktopError = z.infer<typeof desktopErrorSchema>;

/** What a call across the boundary returns; errors travel as data, not exceptions. */
export type InvokeResult<T> = { ok: true; value: T } | { ok: false; error: DesktopError };
