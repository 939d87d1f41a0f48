import { z } from 'zod';
import { loginResponseSchema, serverInfoSchema, type LoginResponse, type ServerInfo } from '@shared/contract/server-http';
import { snapshotPageSchema, type SnapshotPage } from '@shared/contract/sync';
import { customerProfileSchema, customerScoresSchema } from '@shared/domain/customer';
import { interactionSchema } from '@shared/domain/interaction';

export class ServerRequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'ServerRequestError';
  }
}

const errorBodySchema = z.object({ error: z.string(), message: z.string() });
const customerBundleSchema = z.object({
  customer: customerProfileSchema,
  scores: customerScoresSchema.nullable(),
  interactions: z.array(interactionSchema),
});
export type CustomerBundle = z.infer<typeof customerBundleSchema>;

/** The routing server's HTTP API, with every response validated before use. */
export class ServerHttpClient {
  constructor(readonly baseUrl: string, private readonly timeoutMs = 15_000) {}

  info(): Promise<ServerInfo> {
    return this.request('GET', '/api/info', null, null, serverInfoSchema);
  }

  login(username: string, password: string): Promise<LoginResponse> {
    return this.request('POST', '/api/auth/login', null, { username, password }, loginResponseSchema);
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

  private async request<T>(method: string, path: string, token: string | null, body: unknown, schema: z.ZodType<T>): Promise<T> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: { ...(body !== null ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body !== null ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const payload: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const parsed = errorBodySchema.safeParse(payload);
      throw new ServerRequestError(response.status, parsed.success ? parsed.data.error : 'http_error', parsed.success ? parsed.data.message : `HTTP ${response.status}`);
    }
    return schema.parse(payload);
  }
}
