import pino, { type Logger } from 'pino';

/**
 * Structured logs with personal data and secrets censored at the source:
 * tokens, passwords, phone numbers, emails, names and free-text notes never
 * reach a log line, whatever a handler passes in.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.tokenSecret', '*.telephonyKey',
  '*.callerNumber', '*.phone', '*.phones', '*.email', '*.givenName', '*.familyName', '*.notes', '*.summary',
];

export function createLogger(level: string, name = 'holdfast-server'): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
