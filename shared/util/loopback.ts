/**
 * Whether a URL's hostname (as `new URL(...).hostname` gives it, already
 * normalised: `127.1` becomes `127.0.0.1`, IPv6 in brackets) names this
 * machine: `localhost`, 127.0.0.0/8 or ::1. Only such hosts may be spoken to
 * without TLS.
 */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets[1] === '127' && octets.slice(2).every((part) => Number(part) <= 255);
}

/** `null` when the URL may be used; otherwise why not. Plain http and ws only to loopback; https and wss anywhere. */
export function insecureUrlProblem(url: { protocol: string; hostname: string }, secure: readonly string[] = ['https:', 'wss:'], plain: readonly string[] = ['http:', 'ws:']): string | null {
  if (secure.includes(url.protocol)) return null;
  if (!plain.includes(url.protocol)) return `${url.protocol.replace(/:$/, '')} is not a supported scheme`;
  if (isLoopbackHostname(url.hostname)) return null;
  return `${url.protocol.replace(/:$/, '')}:// is not encrypted, so it is allowed only to this machine (localhost, 127.0.0.0/8, ::1), not to ${url.hostname}; use ${url.protocol === 'ws:' ? 'wss' : 'https'}://`;
}
