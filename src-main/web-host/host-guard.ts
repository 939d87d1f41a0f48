import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Who may talk to the browser-mode host. The host listens on loopback and
 * drives a signed-in desktop backend, so it must not be reachable from a web
 * page on another site, not even through DNS rebinding (a hostile name that
 * resolves to 127.0.0.1 later): the Host header must be one of the loopback
 * names with this host's exact port, an Origin (when sent) must be this very
 * origin, and every request must carry the secret made at launch, which the
 * launcher prints in the URL to open and which is then kept in a cookie.
 * Pure: every check is a string comparison, so a malformed header is refused,
 * never thrown on.
 */
export interface HostGuard {
  /** The secret made for this launch (base64url, 256 bits). */
  readonly secret: string;
  /** The cookie carrying the secret; named after the port so two hosts on one machine do not clobber each other. */
  readonly cookieName: string;
  /** The URL query parameter the launch URL carries the secret in. */
  readonly queryName: string;
  hostAllowed(host: string | undefined): boolean;
  /** No Origin (a top-level navigation) or exactly http://<allowed host>. */
  originAllowed(origin: string | undefined, host: string | undefined): boolean;
  secretMatches(candidate: string | undefined | null): boolean;
  /** The secret from a Cookie header, if there is one. */
  secretFromCookie(cookieHeader: string | undefined): string | null;
  setCookieHeader(): string;
}

export const LAUNCH_QUERY = 'launch';
const MAX_HEADER = 512;

export function createHostGuard(port: number, secret: string = randomBytes(32).toString('base64url')): HostGuard {
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const cookieName = `holdfast_launch_${port}`;
  const expected = Buffer.from(secret);
  const hostAllowed = (host: string | undefined): boolean =>
    typeof host === 'string' && host.length <= MAX_HEADER && allowedHosts.has(host.toLowerCase());
  return {
    secret,
    cookieName,
    queryName: LAUNCH_QUERY,
    hostAllowed,
    originAllowed(origin, host) {
      if (origin === undefined) return true;
      if (typeof origin !== 'string' || origin.length > MAX_HEADER || !hostAllowed(host)) return false;
      return origin.toLowerCase() === `http://${String(host).toLowerCase()}`;
    },
    secretMatches(candidate) {
      if (typeof candidate !== 'string' || candidate.length > MAX_HEADER) return false;
      const given = Buffer.from(candidate);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
    secretFromCookie(cookieHeader) {
      if (typeof cookieHeader !== 'string' || cookieHeader.length > 8_192) return null;
      for (const part of cookieHeader.split(';')) {
        const at = part.indexOf('=');
        if (at > 0 && part.slice(0, at).trim() === cookieName) return part.slice(at + 1).trim();
      }
      return null;
    },
    setCookieHeader() {
      return `${cookieName}=${secret}; Path=/; HttpOnly; SameSite=Strict`;
    },
  };
}
