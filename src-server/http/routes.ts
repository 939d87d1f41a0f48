import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { serverInfoSchema, healthResponseSchema, type ServerInfo } from '@shared/contract/server-http';
import { snapshotPageSchema } from '@shared/contract/sync';
import { customerProfileSchema, customerScoresSchema } from '@shared/domain/customer';
import { interactionSchema } from '@shared/domain/interaction';
import { languageSchema, SUPPORTED_LANGUAGES } from '@shared/domain/language';
import { DEMO_AGENTS } from '@shared/demo-data/agents';
import { EDITABLE_FIELDS, editableFieldSchema } from '@shared/sync/profile-edits';
import type { AccountAdmin } from '../auth/account-admin';
import type { OidcService } from '../auth/oidc';
import type { SignInService } from '../auth/sign-in';
import type { IdentityService } from '../identity/identity-service';
import type { RoutingService } from '../routing/routing-service';
import type { TelephonyService } from '../telephony/telephony-service';
import type { KamailioEventSink } from '../telephony/sip/kamailio-events';
import type { AccountStore } from '../store/roles/account-store';
import type { AgentStore } from '../store/roles/agent-store';
import type { CustomerStore } from '../store/roles/customer-store';
import type { FeedStore } from '../store/roles/feed-store';
import type { PlaybookStore } from '../store/roles/playbook-store';
import type { AccountEventsService } from '../outcomes/account-events-service';
import { accountEventsRoutes } from './account-events-routes';
import { offersRoutes } from './offers-routes';
import { agentsRoutes } from './agents-routes';
import { authRoutes } from './auth-routes';
import type { AuthGuard } from './auth-guard';
import { callsRoutes } from './calls-routes';
import { sipEventsRoutes } from './sip-events-routes';
import { identityRoutes } from './identity-routes';
import { sendError } from './http-errors';
import { metricsRoutes } from './metrics';
import { openApiRoutes } from './openapi';
import { oidcRoutes } from './oidc-routes';
import { outreachRoutes } from './outreach-routes';
import type { WriteRateLimiter } from './rate-limit';
import { callCustomersOf, readableBy, scopeOfPrincipal, type AgentCustomerScope, type CallCustomers } from '../routing/customer-scope';
import type { Principal } from '../auth/tokens';
import type { CustomerScope } from '../store/roles/feed-store';
import { defineRoute, RouteTable } from './route-table';
import { supervisorRoutes } from './supervisor-routes';
import { playbookRoutes } from './playbook-routes';
import type { PlaybookService } from '../playbook/playbook-service';
import { reviewRoutes } from './review-routes';
import type { ReviewService } from '../review/review-service';
import { syncImageRoutes } from './sync-image-routes';
import type { SyncImageCache } from '../sync-image/image-cache';

export interface RouteDeps {
  /** Sign-in, the cold-sync snapshot, customer reads and identity lookups; everything else goes through `routing`. */
  store: AgentStore & AccountStore & CustomerStore & FeedStore & PlaybookStore;
  routing: RoutingService;
  /** Billing's account events (POST /api/customers/events). */
  accountEvents: AccountEventsService;
  /** Playbook editing and its funnel (supervisors); absent: those routes are not served. */
  playbook?: PlaybookService;
  /** The supervisor's retention review. */
  review: ReviewService;
  /** Call events from the phone system. */
  telephony: TelephonyService;
  /** Kamailio's call events (the SIP adapter); null when another adapter, or none, is configured. */
  sipEvents?: KamailioEventSink | null;
  /** The server's one identity service: its caller index answers ring-time lookups. */
  identity: IdentityService;
  signIn: SignInService;
  accounts: AccountAdmin;
  /** Single sign-on through the company's OpenID provider; absent: off. */
  oidc?: OidcService;
  authenticate: AuthGuard;
  demo: boolean;
  version: string;
  /** Limits signed-in writes per caller (none when absent). */
  writeLimiter?: WriteRateLimiter;
  /** Whether agents read the whole book or only their languages' customers (default 'all'). */
  agentCustomerScope?: AgentCustomerScope;
  /** Cold-sync images (absent: desktops take paged JSON). */
  syncImages?: SyncImageCache;
  /** Whether this server can take work now (a load balancer's health check); absent: when its store answers. */
  readiness?: () => Promise<Readiness>;
  /** The customers on a call with an agent; absent: from `routing`'s router (a cluster's follower asks the routing node). */
  callCustomers?: CallCustomers;
}

export const readinessSchema = z.object({
  ready: z.boolean(),
  /** 'single' (one server on its own), or in a cluster 'authority' (routes now) or 'follower'. */
  role: z.enum(['single', 'authority', 'follower']),
  /** The node that routes now (a cluster), else null. */
  authority: z.string().nullable(),
  database: z.boolean(),
  redis: z.boolean().nullable(),
});
export type Readiness = z.infer<typeof readinessSchema>;

const snapshotQuerySchema = z.object({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});
const demoCallersQuerySchema = z.object({
  count: z.coerce.number().int().min(1).max(500).default(20),
  language: z.string().max(64).optional()
    .describe('Only callers who speak one of these languages, comma-separated (e.g. en,es)')
    .transform((list, ctx) => {
      if (list === undefined) return undefined;
      const codes = list.split(',').map((code) => code.trim());
      const parsed = z.array(languageSchema).min(1).safeParse(codes);
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: 'custom', message: `unknown language in "${list}" (known: ${SUPPORTED_LANGUAGES.join(', ')})` });
      return z.NEVER;
    }),
});
const customerParamsSchema = z.object({ id: z.string().min(1).max(64) });
const customerBundleSchema = z.object({ customer: customerProfileSchema, scores: customerScoresSchema.nullable(), interactions: z.array(interactionSchema) });
const fieldEditSchema = z.object({ field: editableFieldSchema, value: z.unknown() }).superRefine((edit, ctx) => {
  const parsed = EDITABLE_FIELDS[edit.field].safeParse(edit.value);
  if (!parsed.success) ctx.addIssue({ code: 'custom', path: ['value'], message: `invalid ${edit.field}: ${parsed.error.issues[0]?.message ?? 'bad value'}` });
});

/** Declares and registers every HTTP route; returns the table the OpenAPI document is built from. */
export function registerRoutes(app: FastifyInstance, deps: RouteDeps): RouteTable {
  const table = new RouteTable();
  table.add(...coreRoutes(deps), ...authRoutes(deps), ...oidcRoutes(deps), ...callsRoutes(deps), ...sipEventsRoutes(deps), ...agentsRoutes(deps), ...outreachRoutes(deps), ...supervisorRoutes(deps), ...playbookRoutes(deps), ...reviewRoutes(deps), ...metricsRoutes(deps), ...identityRoutes(deps), ...accountEventsRoutes(deps), ...offersRoutes(deps), ...syncImageRoutes(deps));
  // Builds the caller index in the background after a restart (seeding has built it already).
  void deps.identity.warm().catch((error: unknown) => app.log.error({ err: error }, 'identity resolution failed'));
  table.add(...openApiRoutes(table, deps.version));
  table.register(app, deps.authenticate, deps.writeLimiter);
  return table;
}

function coreRoutes(deps: RouteDeps) {
  const { store, routing } = deps;
  /** The customers the caller may read (null: all); see customer-scope.ts. */
  const scopeOf = (principal: Principal | null): Promise<CustomerScope> => scopeOfPrincipal(store, principal, deps.agentCustomerScope ?? 'all');
  const callCustomers = callCustomersOf(deps);
  return [
    defineRoute({
      method: 'GET', path: '/api/health', operationId: 'health', tag: 'server', roles: null,
      summary: 'Liveness check',
      responses: { 200: { description: 'The server is up', schema: healthResponseSchema } },
      handler: async () => ({ ok: true as const }),
    }),
    defineRoute({
      method: 'GET', path: '/api/ready', operationId: 'ready', tag: 'server', roles: null,
      summary: 'Readiness: whether this server can take work now (its database, and in a cluster Redis, answer)',
      description: 'For load balancers\' health checks: 200 when ready, 503 when not. A cluster node that does not route forwards routing requests to the one that does, so it is ready too.',
      responses: { 200: { description: 'Ready', schema: readinessSchema }, 503: { description: 'Not ready', schema: readinessSchema } },
      handler: async ({ reply }) => {
        const state: Readiness = deps.readiness
          ? await deps.readiness()
          : await store.lastSeq().then(() => true, () => false).then((database) => ({ ready: database, role: 'single' as const, authority: null, database, redis: null }));
        void reply.code(state.ready ? 200 : 503);
        return state;
      },
    }),
    defineRoute({
      method: 'GET', path: '/api/info', operationId: 'serverInfo', tag: 'server', roles: null,
      summary: 'Server name, version and (in demo mode) the demo users',
      responses: { 200: { description: 'Server information', schema: serverInfoSchema } },
      handler: async (): Promise<ServerInfo> => ({
        name: 'holdfast-routing-server',
        version: deps.version,
        demoMode: deps.demo,
        demoUsers: deps.demo
          ? DEMO_AGENTS.map((a) => ({ username: a.username, password: a.password, displayName: a.displayName, role: a.role, languages: a.languages.map((l) => l.code) }))
          : [],
        oidc: deps.oidc ? { label: deps.oidc.config.label } : null,
      }),
    }),
    defineRoute({
      method: 'GET', path: '/api/sync/snapshot', operationId: 'syncSnapshot', tag: 'sync', roles: ['agent', 'supervisor'],
      summary: 'One page of the cold-sync snapshot (customers, scores, history; reference data on the first page)',
      query: snapshotQuerySchema,
      responses: { 200: { description: 'A snapshot page', schema: snapshotPageSchema } },
      // The wire form straight from the store: no parse and re-serialise of ~400 MB on a 100,000-customer cold sync.
      handler: async ({ query, reply, principal }) =>
        reply.type('application/json; charset=utf-8').send(await store.snapshotPageJson(query.cursor ?? null, query.limit, await scopeOf(principal))),
    }),
    defineRoute({
      method: 'GET', path: '/api/customers/:id', operationId: 'getCustomer', tag: 'customers', roles: ['agent', 'supervisor'],
      summary: 'One customer with scores and history',
      params: customerParamsSchema,
      responses: { 200: { description: 'The customer', schema: customerBundleSchema }, 404: { description: 'No such customer' } },
      handler: async ({ params, reply, principal }) => {
        const bundle = await store.customerBundle(params.id);
        const scope = await scopeOf(principal);
        // Outside the agent's scope the same answer as for no such customer, unless the customer is on a call with the agent.
        const visible = bundle !== null && (await readableBy(scope, principal, callCustomers, [bundle.customer])).length === 1;
        return visible ? bundle : sendError(reply, 404, 'not_found', `No customer ${params.id}`);
      },
    }),
    defineRoute({
      method: 'GET', path: '/api/demo/callers', operationId: 'demoCallers', tag: 'demo', roles: ['telephony', 'supervisor'],
      summary: 'Demo mode only: callers the simulator can dial as (optionally only those of some languages)',
      query: demoCallersQuerySchema,
      responses: {
        200: { description: 'Callers', schema: z.object({ callers: z.array(z.object({ phone: z.string(), accountId: z.string(), language: z.string() })) }) },
        404: { description: 'Not in demo mode' },
      },
      handler: async ({ query, reply }) => {
        if (!deps.demo) return sendError(reply, 404, 'not_found', 'Only available in demo mode');
        return { callers: await store.sampleCallers(query.count, query.language) };
      },
    }),
    // A correction from the server side (a supervisor, or a CRM integration): last writer wins per field.
    defineRoute({
      method: 'PATCH', path: '/api/customers/:id', operationId: 'editCustomer', tag: 'customers', roles: ['supervisor', 'telephony'],
      summary: 'Correct one editable profile field (last writer wins per field)',
      params: customerParamsSchema,
      body: fieldEditSchema,
      responses: { 200: { description: 'Whether the edit won, and its clock stamp', schema: z.object({ applied: z.boolean(), hlc: z.string() }) }, 404: { description: 'No such customer' } },
      handler: async ({ params, body }) => routing.editProfile({ customerId: params.id, field: body.field, value: body.value }),
    }),
  ];
}
