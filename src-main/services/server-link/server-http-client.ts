import { z } from 'zod';
import {
  accountViewSchema, accountWithPasswordSchema, agentRoutingViewSchema, agentsResponseSchema, loginResponseSchema, outreachResponseSchema, serverInfoSchema,
  type AccountView, type AgentRoutingView, type LoginResponse, type OutreachResponse, type ServerInfo,
} from '@shared/contract/server-http';
import { snapshotPageSchema, type SnapshotPage } from '@shared/contract/sync';
import {
  playbookResponseSchema, publishPlaybookResultSchema, scriptFunnelResponseSchema,
  type PlaybookResponse, type PublishPlaybookResult, type ScriptFunnelResponse,
} from '@shared/contract/playbook-http';
import { customerProfileSchema, customerScoresSchema } from '@shared/domain/customer';
import { interactionSchema } from '@shared/domain/interaction';
import {
  identityActionResultSchema, identityFindResponseSchema, identityRecordsResponseSchema,
  type IdentityActionResult, type IdentityCandidate, type IdentitySourceRecord,
} from '@shared/identity/agent-api';
import { syncImageManifestSchema, type SyncImageManifest } from '@shared/contract/sync-image';
import { downloadToFile, type DownloadedFile } from './download-file';
import { httpsRequest } from './https-request';
import { downloadTo } from './download';
import {
  reviewCallsPageSchema, reviewCohortSchema, reviewCutSchema, reviewLiveSchema, reviewSummarySchema, reviewTrendSchema,
  type ReviewCallsPage, type ReviewCohort, type ReviewCut, type ReviewDimension, type ReviewFilter, type ReviewGrain, type ReviewLive, type ReviewSummary, type ReviewTrend,
} from '@shared/contract/review';
import { checkServerUrl, serverTrustFromEnv, type ServerTrust } from './server-trust';
import { ServerUrls } from './server-urls';

export class ServerRequestError extends Error {
  /** The request field the server refused, when it named one (validation errors). */
  readonly field: string | undefined;
  constructor(readonly status: number, readonly code: string, message: string, field?: string) {
    super(message);
    this.name = 'ServerRequestError';
    this.field = field;
  }
}

const errorBodySchema = z.object({ error: z.string(), message: z.string(), field: z.string().optional() });
const customerBundleSchema = z.object({
  customer: customerProfileSchema,
  scores: customerScoresSchema.nullable(),
  interactions: z.array(interactionSchema),
});
export type CustomerBundle = z.infer<typeof customerBundleSchema>;
const usersResponseSchema = z.object({ users: z.array(accountViewSchema) });
type AccountWithPassword = z.infer<typeof accountWithPasswordSchema>;

/** What the client does with a 401 on a request that carried a token. */
export interface TokenRenewer {
  /** token_expired: a fresh token to retry with once (null: the session is over). */
  renew(stale: string): Promise<string | null>;
  /** token_revoked, account_disabled, unauthorized: the session is over. */
  refused(code: string): void;
}

/**
 * The routing server's HTTP API, with every response validated before use.
 * Plain http only to this machine (checkServerUrl); over https the
 * certificate is checked against the system's CAs plus HOLDFAST_SERVER_CA.
 */
export class ServerHttpClient {
  private readonly trust: ServerTrust;
  private renewer: TokenRenewer | null = null;

  private readonly urls: ServerUrls;

  /** `baseUrl`: one URL, or several comma-separated (a cluster's nodes, tried in turn: server-urls.ts). */
  constructor(readonly baseUrl: string, private readonly timeoutMs = 15_000, trust?: ServerTrust) {
    checkServerUrl(baseUrl);
    this.urls = new ServerUrls(baseUrl);
    this.trust = trust ?? serverTrustFromEnv();
  }

  /** Set by the session desk while someone is signed in; null when nobody is. */
  setTokenRenewer(renewer: TokenRenewer | null): void {
    this.renewer = renewer;
  }

  /** One use of a refresh token: a new access token and a new refresh token. */
  refresh(refreshToken: string): Promise<LoginResponse> {
    return this.request('POST', '/api/auth/refresh', null, { refreshToken }, loginResponseSchema);
  }

  changePassword(username: string, password: string, newPassword: string): Promise<unknown> {
    return this.request('POST', '/api/auth/password', null, { username, password, newPassword }, z.unknown());
  }

  /** Revokes every token of the signed-in account on the server. */
  logout(token: string): Promise<unknown> {
    return this.request('POST', '/api/auth/logout', token, null, z.unknown(), false);
  }

  info(): Promise<ServerInfo> {
    return this.request('GET', '/api/info', null, null, serverInfoSchema);
  }

  login(username: string, password: string): Promise<LoginResponse> {
    return this.request('POST', '/api/auth/login', null, { username, password }, loginResponseSchema);
  }

  /** The tokens behind the one-time code a provider sign-in came back with (once, within a minute). */
  exchangeProviderCode(code: string): Promise<LoginResponse> {
    return this.request('POST', '/api/auth/oidc/exchange', null, { code }, loginResponseSchema);
  }

  snapshotPage(token: string, cursor: string | null, limit: number): Promise<SnapshotPage> {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
    return this.request('GET', `/api/sync/snapshot?${query}`, token, null, snapshotPageSchema);
  }

  customer(token: string, customerId: string): Promise<CustomerBundle> {
    return this.request('GET', `/api/customers/${encodeURIComponent(customerId)}`, token, null, customerBundleSchema);
  }

  endCall(token: string, callId: string): Promise<unknown> {
    return this.request('POST', `/api/calls/${encodeURIComponent(callId)}/end`, token, {}, z.unknown());
  }

  /** Supervisors only: the server answers 403 to anyone else. */
  agents(token: string): Promise<{ agents: AgentRoutingView[] }> {
    return this.request('GET', '/api/agents', token, null, agentsResponseSchema);
  }

  /** The server validates the change (and names the field it refuses). */
  updateAgent(token: string, agentId: string, changes: unknown): Promise<AgentRoutingView> {
    return this.request('PATCH', `/api/agents/${encodeURIComponent(agentId)}`, token, changes, agentRoutingViewSchema);
  }

  /** Supervisors only: the playbook with its version history. */
  playbook(token: string): Promise<PlaybookResponse> {
    return this.request('GET', '/api/playbook', token, null, playbookResponseSchema);
  }

  /** Supervisors only: published, or the problems (422) or the newer version (409), as an answer. */
  publishPlaybook(token: string, baseVersion: number, playbook: unknown): Promise<PublishPlaybookResult> {
    return this.request('PUT', '/api/playbook', token, { baseVersion, playbook }, publishPlaybookResultSchema, true, [409, 422]);
  }

  /** Supervisors only: per script and step, where calls stopped and how they ended. */
  scriptFunnel(token: string): Promise<ScriptFunnelResponse> {
    return this.request('GET', '/api/playbook/funnel', token, null, scriptFunnelResponseSchema);
  }

  /** Admins only (the server answers 403 to anyone else): every account. */
  users(token: string): Promise<{ users: AccountView[] }> {
    return this.request('GET', '/api/admin/users', token, null, usersResponseSchema);
  }

  /** Admins only: a new account and its one-time password (shown once). */
  addUser(token: string, account: unknown): Promise<AccountWithPassword> {
    return this.request('POST', '/api/admin/users', token, account, accountWithPasswordSchema);
  }

  /** Admins only: disable (revokes the account's tokens) or enable an account. */
  userAction(token: string, username: string, action: 'disable' | 'enable'): Promise<AccountView> {
    return this.request('POST', `/api/admin/users/${encodeURIComponent(username)}/${action}`, token, {}, accountViewSchema);
  }

  /** Admins only: a new one-time password (shown once); revokes the account's tokens. */
  resetUserPassword(token: string, username: string): Promise<AccountWithPassword> {
    return this.request('POST', `/api/admin/users/${encodeURIComponent(username)}/reset-password`, token, {}, accountWithPasswordSchema);
  }

  outreach(token: string, limit: number): Promise<OutreachResponse> {
    return this.request('GET', `/api/outreach?${new URLSearchParams({ limit: String(limit) })}`, token, null, outreachResponseSchema);
  }

  /** Identity: profiles a customer id, phone or account id points at. */
  findIdentities(token: string, query: string): Promise<{ candidates: IdentityCandidate[] }> {
    return this.request('GET', `/api/identity/find?${new URLSearchParams({ q: query })}`, token, null, identityFindResponseSchema);
  }

  /** The cold-sync image of this account's scope; null from a server without images (older, or turned off). */
  async syncImageManifest(token: string): Promise<SyncImageManifest | null> {
    try {
      // A build of a large book takes longer than an ordinary request.
      return await this.request('GET', '/api/sync/image', token, null, syncImageManifestSchema);
    } catch (error) {
      if (error instanceof ServerRequestError && error.status === 404) return null;
      throw error;
    }
  }

  /**
   * Streams the image into `dest` (0600), zstd-compressed on the wire where both ends can; the caller
   * compares the returned hash with the manifest's: of the compressed bytes where the manifest names
   * them (`hashed: 'zstd'`), else of the file as written. The size is always the file's.
   */
  downloadSyncImage(token: string, manifest: Pick<SyncImageManifest, 'sha256' | 'zstd'>, dest: string): Promise<DownloadedFile> {
    const url = new URL(`/api/sync/image/${encodeURIComponent(manifest.sha256)}`, this.baseUrl);
    return downloadToFile(url, token, dest, this.trust, { acceptZstd: true, hashPacked: manifest.zstd !== undefined });
  }

  identityRecords(token: string, customerId: string): Promise<{ customerId: string; records: IdentitySourceRecord[] }> {
    return this.request('GET', `/api/identity/customers/${encodeURIComponent(customerId)}/records`, token, null, identityRecordsResponseSchema);
  }

  /** confirm {customerId}, merge {customerIds}, split {customerId, recordIds}: the server checks the role and remembers the decision. */
  identityAction(token: string, action: 'confirm' | 'merge' | 'split', body: unknown): Promise<IdentityActionResult> {
    return this.request('POST', `/api/identity/${action}`, token, body, identityActionResultSchema);
  }

  /** Supervisors and admins only (the server answers 403 to anyone else): the retention review. */
  reviewSummary(token: string, filter: ReviewFilter): Promise<ReviewSummary> {
    return this.request('GET', `/api/review/summary?${reviewQuery(filter)}`, token, null, reviewSummarySchema);
  }

  reviewTrend(token: string, filter: ReviewFilter, grain: ReviewGrain): Promise<ReviewTrend> {
    return this.request('GET', `/api/review/trend?${reviewQuery(filter, { grain })}`, token, null, reviewTrendSchema);
  }

  reviewCut(token: string, filter: ReviewFilter, dimension: ReviewDimension): Promise<ReviewCut> {
    return this.request('GET', `/api/review/cuts/${dimension}?${reviewQuery(filter)}`, token, null, reviewCutSchema);
  }

  reviewCalls(token: string, filter: ReviewFilter, page: { show: string; cursor?: string | undefined; limit?: number | undefined }): Promise<ReviewCallsPage> {
    const extra = { show: page.show, ...(page.cursor ? { cursor: page.cursor } : {}), ...(page.limit ? { limit: String(page.limit) } : {}) };
    return this.request('GET', `/api/review/calls?${reviewQuery(filter, extra)}`, token, null, reviewCallsPageSchema);
  }

  reviewCohort(token: string, filter: ReviewFilter): Promise<ReviewCohort> {
    return this.request('GET', `/api/review/cohort?${reviewQuery(filter)}`, token, null, reviewCohortSchema);
  }

  reviewLive(token: string): Promise<ReviewLive> {
    return this.request('GET', '/api/review/live', token, null, reviewLiveSchema);
  }

  /** Streams the review's CSV export into `file` (written beside it, then renamed: never half a file). */
  async reviewExport(token: string, filter: ReviewFilter, show: string, file: string): Promise<{ bytes: number }> {
    const url = new URL(`/api/review/export.csv?${reviewQuery(filter, { show })}`, this.baseUrl);
    const get = (bearer: string) => downloadTo(url, bearer, file, this.timeoutMs, this.trust);
    try {
      return await get(token);
    } catch (error) {
      const renewer = this.renewer;
      if (!(error instanceof ServerRequestError) || error.status !== 401 || error.code !== 'token_expired' || !renewer) throw error;
      const fresh = await renewer.renew(token);
      if (!fresh) throw error;
      return get(fresh);
    }
  }

  private async request<T>(method: string, path: string, token: string | null, body: unknown, schema: z.ZodType<T>, renew = true, answers: readonly number[] = []): Promise<T> {
    try {
      return await this.send(method, path, token, body, schema, answers);
    } catch (error) {
      const renewer = this.renewer;
      if (!(error instanceof ServerRequestError) || error.status !== 401 || !token || !renew || !renewer) throw error;
      if (error.code !== 'token_expired') {
        renewer.refused(error.code);
        throw error;
      }
      const fresh = await renewer.renew(token);
      if (!fresh) throw error;
      return this.send(method, path, fresh, body, schema, answers);
    }
  }

  /** `answers`: error statuses whose body is an answer in the contract (a refusal with detail), not an error. */
  private async send<T>(method: string, path: string, token: string | null, body: unknown, schema: z.ZodType<T>, answers: readonly number[] = []): Promise<T> {
    const headers: Record<string, string> = { ...(body !== null ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const encoded = body !== null ? JSON.stringify(body) : undefined;
    let response: Awaited<ReturnType<typeof httpsRequest>> | Response;
    for (let tried = 1; ; tried++) {
      const url = new URL(path, this.urls.current());
      try {
        response = url.protocol === 'https:'
          ? await httpsRequest(url, { method, headers, ...(encoded !== undefined ? { body: encoded } : {}), timeoutMs: this.timeoutMs }, this.trust)
          : await fetch(url, { method, headers, body: encoded, signal: AbortSignal.timeout(this.timeoutMs) });
        break;
      } catch (error) {
        // A node of several that cannot be reached: the next one (each once per request).
        if (tried >= this.urls.all.length) throw error;
        this.urls.next();
      }
    }
    const payload: unknown = await response.json().catch(() => null);
    if (!response.ok && !answers.includes(response.status)) {
      const parsed = errorBodySchema.safeParse(payload);
      throw new ServerRequestError(response.status, parsed.success ? parsed.data.error : 'http_error', parsed.success ? parsed.data.message : `HTTP ${response.status}`, parsed.success ? parsed.data.field : undefined);
    }
    const checked = schema.safeParse(payload);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new ServerRequestError(response.status, 'bad_response', `${method} ${path.split('?')[0]}: the server's answer did not match the contract (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`);
    }
    return checked.data;
  }
}

/** A review filter (and any extra parameters) as a query string, in the server's parameter names. */
function reviewQuery(filter: ReviewFilter, extra: Record<string, string> = {}): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined) query.set(key, String(value));
  for (const [key, value] of Object.entries(extra)) query.set(key, value);
  return query;
}
