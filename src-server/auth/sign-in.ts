import { z } from 'zod';
import type { AuthRefusal } from '@shared/contract/server-http';
import type { Agent } from '@shared/domain/agent';
import { DEMO_AGENTS } from '@shared/demo-data/agents';
import type { AccountState, AccountStore } from '../store/roles/account-store';
import type { AgentStore } from '../store/roles/agent-store';
import { AccountError, newPasswordSchema } from './account-admin';
import { checkPassword, hashPassword, verifyDummy } from './passwords';
import { newRefreshToken, refreshTokenHash, type Principal, type TokenService } from './tokens';

export const signInLimitsSchema = z.object({
  /** Failed sign-ins for one user name before it is locked. */
  maxFailures: z.coerce.number().int().min(1).max(1000).default(5),
  /** How long a locked user name stays locked; failures older than this are forgotten. */
  lockoutSeconds: z.coerce.number().int().min(1).max(86_400).default(15 * 60),
  /** Failed sign-ins from one address (over any user names) before it must wait. */
  maxFailuresPerIp: z.coerce.number().int().min(1).max(100_000).default(50),
  /** How long a refresh token works (one use each: every refresh answers a new one). */
  refreshTokenHours: z.coerce.number().min(0.01).max(24 * 30).default(12),
});
export type SignInLimits = z.output<typeof signInLimitsSchema>;

const PUBLISHED_PASSWORDS: ReadonlySet<string> = new Set(DEMO_AGENTS.map((a) => a.password));

/** Failures per key within a window, and a lock once there are too many. */
class FailureCounter {
  private readonly entries = new Map<string, { count: number; since: number; lockedUntil: number }>();
  constructor(private readonly max: number, private readonly windowMs: number) {}

  /** Seconds until the key may try again, or 0. */
  retryAfter(key: string, now: number): number {
    const entry = this.entries.get(key);
    if (!entry) return 0;
    if (entry.lockedUntil > now) return Math.ceil((entry.lockedUntil - now) / 1000);
    if (now - entry.since > this.windowMs) this.entries.delete(key);
    return 0;
  }

  fail(key: string, now: number): void {
    const entry = this.entries.get(key);
    const current = entry && now - entry.since <= this.windowMs ? entry : { count: 0, since: now, lockedUntil: 0 };
    current.count++;
    if (current.count >= this.max) current.lockedUntil = now + this.windowMs;
    this.entries.set(key, current);
    // A flood of distinct keys must not grow the map for ever.
    if (this.entries.size > 100_000) for (const [k, e] of this.entries) if (now - e.since > this.windowMs && e.lockedUntil <= now) this.entries.delete(k);
  }

  clear(key: string): void {
    this.entries.delete(key);
  }
}

export interface SignedIn {
  token: string;
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
  agent: Agent;
}

/** Why an account refuses a valid token (an expired token and a store failure are decided elsewhere). */
export type Refusal = Exclude<AuthRefusal, 'unavailable' | 'token_expired'>;

const CACHE_MS = 2_000;

/**
 * Sign-in, refresh, sign-out and the per-request account check. Accounts are
 * cached for at most two seconds (so a change made by the CLI in another
 * process takes effect within that); a change made through this server
 * forgets the account at once.
 */
export class SignInService {
  private readonly byName: FailureCounter;
  private readonly byIp: FailureCounter;
  private readonly cache = new Map<string, { state: AccountState | null; at: number }>();

  constructor(
    private readonly store: AgentStore & AccountStore,
    private readonly tokens: TokenService,
    private readonly options: {
      demo: boolean;
      limits: SignInLimits;
      now?: () => number;
      /** An account changed (disabled, password, signed out): e.g. to drop its live sockets, which must handshake again. */
      changed?: (agentId: string) => void;
    },
  ) {
    const windowMs = options.limits.lockoutSeconds * 1000;
    this.byName = new FailureCounter(options.limits.maxFailures, windowMs);
    this.byIp = new FailureCounter(options.limits.maxFailuresPerIp, windowMs);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Forget a cached account (after any change to it), and tell `changed`. */
  forget(agentId: string): void {
    this.cache.delete(agentId);
    this.options.changed?.(agentId);
  }

  /** The account behind a token if it still exists, is active, and has not revoked the token; a store failure throws. */
  async admit(principal: Principal): Promise<{ account: AccountState } | { refusal: Refusal }> {
    const now = this.now();
    const cached = this.cache.get(principal.subject);
    let state = cached && now - cached.at < CACHE_MS ? cached.state : undefined;
    if (state === undefined) {
      state = await this.store.accountById(principal.subject);
      this.cache.set(principal.subject, { state, at: now });
    }
    if (!state || state.agent.role !== principal.role) return { refusal: 'unauthorized' };
    if (state.disabled) return { refusal: 'account_disabled' };
    if (state.tokenVersion !== (principal.tokenVersion ?? 0)) return { refusal: 'token_revoked' };
    if (state.mustChangePassword) return { refusal: 'unauthorized' };
    return { account: state };
  }

  async signIn(username: string, password: string, ip: string): Promise<SignedIn> {
    const account = await this.attempt(username, password, ip);
    if (account.mustChangePassword) throw new AccountError(403, 'password_change_required', 'Choose a new password before signing in');
    return this.issue(account);
  }

  /** Changes a password with the current one (also the way past 'password_change_required'); revokes every token. */
  async changePassword(username: string, current: string, next: string, ip: string): Promise<void> {
    const account = await this.attempt(username, current, ip);
    const parsed = newPasswordSchema.safeParse(next);
    if (!parsed.success) throw new AccountError(400, 'invalid_request', `newPassword: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    if (next === current) throw new AccountError(400, 'invalid_request', 'newPassword: choose a password different from the current one');
    await this.store.setPassword(account.agent.id, await hashPassword(next), false);
    this.forget(account.agent.id);
  }

  /**
   * The active account a user name and password open, counting failures per user name and per
   * address: a locked name or address is refused (429 with how long to wait) before any check.
   */
  private async attempt(username: string, password: string, ip: string): Promise<AccountState> {
    const now = this.now();
    const name = username.toLowerCase();
    const locked = (): AccountError | null => {
      const wait = Math.max(this.byName.retryAfter(name, now), this.byIp.retryAfter(ip, now));
      return wait > 0 ? new AccountError(429, 'locked', `Too many failed sign-ins: try again in ${wait} s`, wait) : null;
    };
    const before = locked();
    if (before) throw before;
    const account = await this.verified(username, password);
    if (!account) {
      this.byName.fail(name, now);
      this.byIp.fail(ip, now);
      throw locked() ?? new AccountError(401, 'unauthorized', 'Wrong username or password');
    }
    this.byName.clear(name);
    if (account.disabled) throw new AccountError(403, 'account_disabled', 'This account is disabled');
    return account;
  }

  /** Tokens for an account someone else vouched for (the OpenID provider): refused when disabled. */
  async signInProvisioned(agentId: string): Promise<SignedIn> {
    const account = await this.store.accountById(agentId);
    if (!account) throw new AccountError(401, 'unauthorized', 'No such account');
    if (account.disabled) throw new AccountError(403, 'account_disabled', 'This account is disabled');
    return this.issue(account);
  }

  /** A new access token and a new refresh token for a refresh token, which stops working. */
  async refresh(refreshToken: string): Promise<SignedIn> {
    const agentId = await this.store.takeRefreshToken(refreshTokenHash(refreshToken), new Date(this.now()).toISOString());
    const account = agentId ? await this.store.accountById(agentId) : null;
    if (!account) throw new AccountError(401, 'token_revoked', 'This session has ended: sign in again');
    if (account.disabled) throw new AccountError(403, 'account_disabled', 'This account is disabled');
    if (account.mustChangePassword) throw new AccountError(403, 'password_change_required', 'Choose a new password before signing in');
    return this.issue(account);
  }

  /** Revokes every access and refresh token of the agent. */
  async signOut(agentId: string): Promise<void> {
    await this.store.revokeTokens(agentId);
    this.forget(agentId);
  }

  /** The account if the password is right; the same scrypt work for an unknown name. */
  private async verified(username: string, password: string): Promise<AccountState | null> {
    const stored = await this.store.agentByUsername(username);
    if (!stored) {
      await verifyDummy(password);
      return null;
    }
    const checked = await checkPassword(password, stored.passwordHash);
    // The demo password is published: it opens nothing when demo mode is off, whatever an old store holds.
    if (!checked.ok || (!this.options.demo && PUBLISHED_PASSWORDS.has(password))) return null;
    if (checked.needsRehash) await this.store.rehashPassword(stored.agent.id, await hashPassword(password));
    return this.store.accountById(stored.agent.id);
  }

  private async issue(account: AccountState): Promise<SignedIn> {
    const { token, expiresAt } = await this.tokens.issue({ subject: account.agent.id, role: account.agent.role, tokenVersion: account.tokenVersion });
    const refresh = newRefreshToken();
    const refreshExpiresAt = new Date(this.now() + this.options.limits.refreshTokenHours * 3_600_000).toISOString();
    await this.store.putRefreshToken(refresh.hash, account.agent.id, refreshExpiresAt);
    return { token, expiresAt, refreshToken: refresh.token, refreshExpiresAt, agent: account.agent };
  }
}
