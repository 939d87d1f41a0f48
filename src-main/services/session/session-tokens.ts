import type { AuthRefusal, LoginResponse } from '@shared/contract/server-http';
import { ServerRequestError, type ServerHttpClient } from '../server-link/server-http-client';

/** What the agent reads when the server ends the session, by the server's reason. */
export const SIGNED_OUT_REASONS: Record<Exclude<AuthRefusal, 'token_expired' | 'unavailable'>, string> = {
  token_revoked: 'You were signed out: this session was ended (signed out elsewhere, or the password changed). Sign in again.',
  account_disabled: 'You were signed out: your account has been disabled. Ask an administrator.',
  unauthorized: 'You were signed out: the server no longer accepts this sign-in. Sign in again.',
};

/** A refusal that ends the session (as opposed to one a refresh or a retry gets past). */
export const endsSession = (code: string): code is keyof typeof SIGNED_OUT_REASONS => code in SIGNED_OUT_REASONS;

/** Renew this long before the access token expires. */
const RENEW_BEFORE_MS = 60_000;
const MIN_DELAY_MS = 1_000;
const RETRY_MAX_MS = 60_000;

/**
 * One session's access and refresh tokens: renewed before the access token
 * expires (and on demand, after a 401 token_expired), one renewal at a time.
 * A refusal of the refresh token ends the session with its reason; a
 * network or server failure is retried with backoff.
 */
export class SessionTokens {
  private access: string;
  private refreshToken: string;
  private expiresAt: number;
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<string | null> | null = null;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly http: Pick<ServerHttpClient, 'refresh'>,
    signedIn: Pick<LoginResponse, 'token' | 'expiresAt' | 'refreshToken'>,
    private readonly hooks: {
      /** A new access token (e.g. to hand the socket for its next handshake). */
      renewed(token: string): void;
      /** The server refused the refresh token: the session is over. */
      ended(reason: keyof typeof SIGNED_OUT_REASONS): void;
    },
    private readonly now: () => number = Date.now,
  ) {
    this.access = signedIn.token;
    this.refreshToken = signedIn.refreshToken;
    this.expiresAt = Date.parse(signedIn.expiresAt);
    this.schedule(this.expiresAt - RENEW_BEFORE_MS - this.now());
  }

  get token(): string {
    return this.access;
  }

  /**
   * A fresh access token. `stale` is the token a request was refused with: if it has already been
   * replaced, the newer one is answered without another refresh. Null once the session is over.
   */
  renew(stale?: string): Promise<string | null> {
    if (this.stopped) return Promise.resolve(null);
    if (stale !== undefined && stale !== this.access) return Promise.resolve(this.access);
    this.renewing ??= this.refresh().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.renew(), Math.max(MIN_DELAY_MS, delayMs));
    this.timer.unref?.();
  }

  private async refresh(): Promise<string | null> {
    try {
      const next = await this.http.refresh(this.refreshToken);
      if (this.stopped) return null;
      this.access = next.token;
      this.refreshToken = next.refreshToken;
      this.expiresAt = Date.parse(next.expiresAt);
      this.failures = 0;
      this.hooks.renewed(next.token);
      this.schedule(this.expiresAt - RENEW_BEFORE_MS - this.now());
      return next.token;
    } catch (error) {
      if (this.stopped) return null;
      if (error instanceof ServerRequestError && (error.status === 401 || error.status === 403)) {
        this.stop();
        this.hooks.ended(endsSession(error.code) ? error.code : 'unauthorized');
        return null;
      }
      // The server is away or failing: try again, sooner than the token runs out when possible.
      this.failures++;
      this.schedule(Math.min(RETRY_MAX_MS, 1000 * 2 ** Math.min(this.failures, 6)));
      return null;
    }
  }
}
