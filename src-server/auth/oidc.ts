import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as client from 'openid-client';
import { z } from 'zod';
import type { Agent, Role } from '@shared/domain/agent';
import { parseStored } from '@shared/util/stored-json';
import type { AccountStore } from '../store/roles/account-store';
import type { AgentStore } from '../store/roles/agent-store';
import { AccountError } from './account-admin';
import { MemoryFlowStore, type OidcFlowStore } from './oidc-flow-store';
import type { SignedIn, SignInService } from './sign-in';

const ROLES_BY_RANK: readonly Role[] = ['admin', 'supervisor', 'agent'];

/** `supervisor=cc-supervisors,agent=cc-agents,admin=cc-admins` (a role may be named more than once). */
export const roleGroupsSchema = z.string().trim().min(1).transform((text, ctx) => {
  const groups = new Map<string, Role>();
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [role, group] = entry.split('=').map((p) => p.trim());
    if (!ROLES_BY_RANK.includes(role as Role) || !group) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not role=group (role: agent, supervisor or admin)` });
      return z.NEVER;
    }
    groups.set(group, role as Role);
  }
  return groups;
});

export const oidcConfigSchema = z.object({
  issuer: z.url(),
  clientId: z.string().min(1),
  /** Absent for a public client (PKCE only). */
  clientSecret: z.string().min(1).optional(),
  roleGroups: roleGroupsSchema,
  groupsClaim: z.string().min(1).default('groups'),
  /** What the login screen's button says: "Sign in with <label>". */
  label: z.string().min(1).max(60).default('your company account'),
  /** The server's callback as the provider knows it; default: from the request (scheme and Host). */
  redirectUri: z.url().optional(),
});
export type OidcConfig = z.output<typeof oidcConfigSchema>;

/** The password hash an OIDC account is stored with: it verifies no password. */
const accountMarker = (issuer: string, subject: string): string => `oidc$${createHash('sha256').update(`${issuer}\n${subject}`).digest('base64url')}`;

/** The highest role any of the groups maps to, or null. */
export function roleFromGroups(groups: readonly string[], mapping: ReadonlyMap<string, Role>): Role | null {
  const roles = new Set(groups.map((g) => mapping.get(g)).filter((r): r is Role => r !== undefined));
  return ROLES_BY_RANK.find((r) => roles.has(r)) ?? null;
}

/** Where the browser may be sent back to with the one-time code: loopback http(s) only (RFC 8252), the desktop's page or listener. */
export function isAllowedReturnTo(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return (url.protocol === 'http:' || url.protocol === 'https:') && (host === '127.0.0.1' || host === '::1' || host === 'localhost') && url.username === '' && url.password === '';
}

/** The ID token's claims, with what userinfo adds. */
type Profile = Record<string, unknown> & { iss: string; sub: string };

/** A flow between `start` and the provider's callback; read back from the flow store, so checked as any input. */
const pendingSchema = z.object({ codeVerifier: z.string().min(1), nonce: z.string().min(1), returnTo: z.string(), redirectUri: z.url() });
type Pending = z.infer<typeof pendingSchema>;
/** What a one-time code stands for: the account, whose tokens are issued only when the code is exchanged. */
const codeSchema = z.object({ agentId: z.string().min(1) });

const PENDING_MS = 10 * 60_000;
const CODE_MS = 60_000;

/** Why a provider sign-in is refused; the code goes back to the desktop as `error`. */
export class OidcRefusal extends Error {
  constructor(readonly code: 'invalid_state' | 'provider_error' | 'no_role' | 'account_disabled' | 'username_taken' | 'invalid_claims', message: string) {
    super(message);
    this.name = 'OidcRefusal';
  }
}

/**
 * Sign-in through the company's OpenID provider: authorization code flow with
 * PKCE, state and nonce (openid-client). The server is the client: it keeps the
 * flow's secrets by state, checks the ID token, maps the provider's groups to
 * one role, provisions the account and hands the browser a one-time code
 * (never a token in a URL) that the desktop exchanges for Holdfast tokens.
 * Pending flows and codes live in a flow store: this process's memory on one
 * node, Redis in a cluster (any node may take any step).
 */
export class OidcService {
  private discovered: Promise<client.Configuration> | null = null;

  constructor(
    readonly config: OidcConfig,
    private readonly store: AgentStore & AccountStore,
    private readonly signIn: SignInService,
    private readonly flows: OidcFlowStore = new MemoryFlowStore(),
  ) {}

  /** Discovery once (again after a failure). A loopback http issuer is allowed, for tests and a local provider. */
  private provider(): Promise<client.Configuration> {
    if (!this.discovered) {
      const issuer = new URL(this.config.issuer);
      const insecure = issuer.protocol === 'http:' && isAllowedReturnTo(this.config.issuer);
      const auth = this.config.clientSecret !== undefined ? client.ClientSecretBasic(this.config.clientSecret) : client.None();
      this.discovered = client.discovery(issuer, this.config.clientId, undefined, auth, insecure ? { execute: [client.allowInsecureRequests] } : undefined);
      this.discovered.catch(() => { this.discovered = null; });
    }
    return this.discovered;
  }

  /** The provider's authorization URL for a new flow that ends at `returnTo`. */
  async start(returnTo: string, redirectUri: string): Promise<URL> {
    const config = await this.provider();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    const pending: Pending = { codeVerifier, nonce, returnTo, redirectUri };
    await this.flows.put(`state:${state}`, JSON.stringify(pending), PENDING_MS);
    return client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  /** The flow a state belongs to, taken once; null for an unknown or expired state. */
  async takePending(state: string | undefined): Promise<Pending | null> {
    if (!state) return null;
    return parseStored(await this.flows.take(`state:${state}`), pendingSchema);
  }

  /** Finishes a flow: the callback's query checked against the flow, the account provisioned, and a one-time code for its tokens. */
  async finish(pending: Pending, state: string, query: URLSearchParams): Promise<string> {
    const config = await this.provider();
    const current = new URL(pending.redirectUri);
    current.search = query.toString();
    let profile: Profile;
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.codeVerifier, expectedState: state, expectedNonce: pending.nonce, idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new OidcRefusal('invalid_claims', 'The identity provider sent no ID token');
      profile = { ...claims };
      // What the ID token leaves out (many providers put profile claims and groups in userinfo only), from the userinfo endpoint.
      const missing = profile[this.config.groupsClaim] === undefined || (profile.preferred_username === undefined && profile.email === undefined);
      if (missing && tokens.access_token) profile = { ...(await client.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
    } catch (error) {
      if (error instanceof OidcRefusal) throw error;
      // openid-client wraps what oauth4webapi found (e.g. 'unexpected ID Token "nonce" claim value').
      const cause = (error as { cause?: unknown }).cause;
      throw new OidcRefusal('provider_error', `The identity provider's answer was refused: ${(error as Error).message}${cause instanceof Error ? ` (${cause.message})` : ''}`);
    }
    const rawGroups = profile[this.config.groupsClaim];
    const groups = Array.isArray(rawGroups) ? rawGroups.filter((g): g is string => typeof g === 'string') : typeof rawGroups === 'string' ? [rawGroups] : [];
    const role = roleFromGroups(groups, this.config.roleGroups);
    if (!role) throw new OidcRefusal('no_role', 'Your company account is in none of the groups that may use Holdfast: ask your administrator');
    const agentId = await this.provision(profile, role);
    const code = randomBytes(32).toString('base64url');
    await this.flows.put(`code:${code}`, JSON.stringify({ agentId }), CODE_MS);
    return code;
  }

  /** Tokens for the account behind a one-time code, once (issued now: no token waits in the flow store). */
  async exchange(code: string): Promise<SignedIn> {
    const entry = parseStored(await this.flows.take(`code:${code}`), codeSchema);
    if (!entry) throw new AccountError(401, 'invalid_code', 'This sign-in code is unknown, used or expired: sign in again');
    return this.signIn.signInProvisioned(entry.agentId);
  }

  /** Adds the account at first sign-in; later, brings its role and display name up to date. A disabled account stays disabled. */
  private async provision(claims: Profile, role: Role): Promise<string> {
    const name = [claims.preferred_username, claims.email].find((v): v is string => typeof v === 'string' && v.trim() !== '');
    if (!name) throw new OidcRefusal('invalid_claims', 'The identity provider sent neither preferred_username nor email');
    const username = name.trim().toLowerCase().slice(0, 64);
    const displayName = (typeof claims.name === 'string' && claims.name.trim() !== '' ? claims.name.trim() : username).slice(0, 100);
    const marker = accountMarker(claims.iss, claims.sub);
    const stored = await this.store.agentByUsername(username);
    if (stored && stored.passwordHash !== marker) {
      throw new OidcRefusal('username_taken', `The user name ${username} belongs to a Holdfast account that signs in with a password`);
    }
    const agent: Agent = stored
      ? { ...stored.agent, role, displayName }
      : { id: `${role[0]!.toUpperCase()}-${randomUUID().slice(0, 8)}`, username, displayName, role, languages: [{ code: 'en', proficiency: 5 }], skills: [] };
    const state = stored ? await this.store.accountById(stored.agent.id) : null;
    if (state?.disabled) throw new OidcRefusal('account_disabled', 'This Holdfast account is disabled');
    if (!stored || stored.agent.role !== role || stored.agent.displayName !== displayName) {
      await this.store.upsertAgent(agent, marker);
      this.signIn.forget(agent.id);
    }
    return agent.id;
  }
}
