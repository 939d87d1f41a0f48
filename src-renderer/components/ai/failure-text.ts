import type { TFunction } from 'i18next';

const KNOWN = new Set([
  'first-token-timeout', 'request-timeout', 'rate-limited', 'server-error', 'network-error', 'auth-error', 'bad-request',
  'retry-after-too-long', 'stream-broken', 'bad-response', 'aborted', 'not-configured', 'empty-output', 'malformed-stream', 'internal-error',
]);

/** The backend reports failures as fixed codes; this is how the agent reads one. */
export function failureText(t: TFunction, code: string | null | undefined): string {
  if (!code) return '';
  return KNOWN.has(code) ? t(`failure.${code}`) : code;
}
