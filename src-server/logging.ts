import pino, { type Logger } from 'pino';
import { logRedaction } from '@shared/util/log-redaction';

/**
 * Structured logs with personal data and secrets censored at the source:
 * tokens, passwords, phone numbers, emails, names and free-text notes never
 * reach a log line, whatever a handler passes in. The list is shared with the
 * desktop backend's logger (shared/util/log-redaction.ts).
 */
export function createLogger(level: string, name = 'holdfast-server'): Logger {
  return pino({ name, level, redact: logRedaction() });
}
