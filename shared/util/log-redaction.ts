/**
 * What never reaches a log line, on the routing server and in the desktop
 * backend alike: secrets (tokens, passwords, keys) and personal data (phone
 * numbers, emails, names, free-text notes and summaries), whatever a caller
 * passes in. Pure data in pino's `redact` path syntax, so both loggers share
 * one list; each key is censored at the top of a log object and one level
 * down (`{ token }` and `{ session: { token } }`).
 */
export const REDACTED_LOG_KEYS = [
  // Secrets.
  'password', 'token', 'tokenSecret', 'telephonyKey', 'apiKey', 'authorization', 'cardNumber',
  // Personal data.
  'callerNumber', 'phone', 'phones', 'email', 'givenName', 'familyName', 'notes', 'summary',
] as const;

/** Request headers as Fastify logs them, then every key of REDACTED_LOG_KEYS at the top and one level down. */
export const REDACTED_LOG_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...REDACTED_LOG_KEYS.flatMap((key) => [key, `*.${key}`]),
];

/** What a redacted value is replaced with. */
export const REDACTED_LOG_CENSOR = '[redacted]';

/** pino's `redact` option with the paths above: a fresh object each call, as pino takes a mutable array. */
export function logRedaction(): { paths: string[]; censor: string } {
  return { paths: [...REDACTED_LOG_PATHS], censor: REDACTED_LOG_CENSOR };
}
