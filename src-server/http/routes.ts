import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createCallRequestSchema, loginRequestSchema, type ServerInfo } from '@shared/contract/server-http';
import { DEMO_AGENTS } from '@shared/demo-data/agents';
import { EDITABLE_FIELDS, editableFieldSchema } from '@shared/sync/profile-edits';
import { verifyPassword } from '../auth/passwords';
import type { TokenService } from '../auth/tokens';
import { RouterError } from '../routing/call-router';
import type { RoutingService } from '../routing/routing-service';
import type { ServerStore } from '../store/server-store';
import type { AuthGuard } from './auth-guard';
import { sendError, sendValidationError } from './http-errors';

export interface RouteDeps {
  store: ServerStore;
  routing: RoutingService;
  tokens: TokenService;
  authenticate: AuthGuard;
  demo: boolean;
  version: string;
}

const snapshotQuerySchema = z.object({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});
const demoCallersQuerySchema = z.object({ count: z.coerce.number().int().min(1).max(500).default(20) });
const callParamsSchema = z.object({ id: z.string().min(1).max(64) });
const customerParamsSchema = z.object({ id: z.string().min(1).max(64) });

const ROUTER_STATUS: Record<RouterError['code'], number> = { unknown_call: 404, unknown_customer: 404, unknown_agent: 409, not_reserved: 409, bad_state: 409 };
const fieldEditSchema = z.object({ field: editableFieldSchema, value: z.unknown() }).superRefine((edit, ctx) => {
  const parsed = EDITABLE_FIELDS[edit.field].safeParse(edit.value);
  if (!parsed.success) ctx.addIssue({ code: 'custom', path: ['value'], message: `invalid ${edit.field}: ${parsed.error.issues[0]?.message ?? 'bad value'}` });
});

export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { store, routing, tokens, authenticate } = deps;

  app.get('/api/health', async () => ({ ok: true }));

  app.get('/api/info', async (): Promise<ServerInfo> => ({
    name: 'holdfast-routing-server',
    version: deps.version,
    demoMode: deps.demo,
    demoUsers: deps.demo
      ? DEMO_AGENTS.map((a) => ({ username: a.username, password: a.password, displayName: a.displayName, role: a.role, languages: a.languages.map((l) => l.code) }))
      : [],
  }));

  app.post('/api/auth/login', async (request, reply) => {
    const body = loginRequestSchema.safeParse(request.body);
    if (!body.success) return sendValidationError(reply, body.error);
    const stored = await store.agentByUsername(body.data.username);
    // The same answer for an unknown user and a wrong password.
    if (!stored || !(await verifyPassword(body.data.password, stored.passwordHash))) {
      return sendError(reply, 401, 'unauthorized', 'Wrong username or password');
    }
    const { token, expiresAt } = await tokens.issue({ subject: stored.agent.id, role: stored.agent.role });
    return { token, agent: stored.agent, expiresAt };
  });

  app.post('/api/calls', async (request, reply) => {
    if (!(await authenticate(request, reply, ['telephony', 'supervisor']))) return reply;
    const body = createCallRequestSchema.safeParse(request.body);
    if (!body.success) return sendValidationError(reply, body.error);
    const call = await routing.createCall(body.data);
    return reply.code(201).send({ callId: call.id, customerId: call.customerId, state: call.state });
  });

  app.post('/api/calls/:id/end', async (request, reply) => {
    const principal = await authenticate(request, reply, ['telephony', 'supervisor', 'agent']);
    if (!principal) return reply;
    const params = callParamsSchema.safeParse(request.params);
    if (!params.success) return sendValidationError(reply, params.error);
    const call = routing.router.call(params.data.id);
    if (principal.role === 'agent' && call && call.agentId !== principal.subject) return sendError(reply, 403, 'forbidden', 'Not your call');
    try {
      const ended = routing.endCall(params.data.id);
      return { callId: ended.id, state: ended.state };
    } catch (error) {
      if (error instanceof RouterError) return sendError(reply, ROUTER_STATUS[error.code], error.code, error.message);
      throw error;
    }
  });

  app.get('/api/sync/snapshot', async (request, reply) => {
    if (!(await authenticate(request, reply, ['agent', 'supervisor']))) return reply;
    const query = snapshotQuerySchema.safeParse(request.query);
    if (!query.success) return sendValidationError(reply, query.error);
    return store.snapshotPage(query.data.cursor ?? null, query.data.limit);
  });

  app.get('/api/customers/:id', async (request, reply) => {
    if (!(await authenticate(request, reply, ['agent', 'supervisor']))) return reply;
    const params = customerParamsSchema.safeParse(request.params);
    if (!params.success) return sendValidationError(reply, params.error);
    const bundle = await store.customerBundle(params.data.id);
    return bundle ?? sendError(reply, 404, 'not_found', `No customer ${params.data.id}`);
  });

  // Demo only: callers the simulator can dial as, so a newcomer sees real pops.
  app.get('/api/demo/callers', async (request, reply) => {
    if (!deps.demo) return sendError(reply, 404, 'not_found', 'Only available in demo mode');
    if (!(await authenticate(request, reply, ['telephony', 'supervisor']))) return reply;
    const query = demoCallersQuerySchema.safeParse(request.query);
    if (!query.success) return sendValidationError(reply, query.error);
    return { callers: await store.sampleCallers(query.data.count) };
  });

  // A correction from the server side (a supervisor, or a CRM integration): last writer wins per field.
  app.patch('/api/customers/:id', async (request, reply) => {
    if (!(await authenticate(request, reply, ['supervisor', 'telephony']))) return reply;
    const params = customerParamsSchema.safeParse(request.params);
    if (!params.success) return sendValidationError(reply, params.error);
    const body = fieldEditSchema.safeParse(request.body);
    if (!body.success) return sendValidationError(reply, body.error);
    try {
      return await routing.editProfile({ customerId: params.data.id, field: body.data.field, value: body.data.value });
    } catch (error) {
      if (error instanceof RouterError) return sendError(reply, ROUTER_STATUS[error.code], error.code, error.message);
      throw error;
    }
  });

  app.get('/api/supervisor/state', async (request, reply) => {
    if (!(await authenticate(request, reply, ['supervisor']))) return reply;
    return routing.supervisorState();
  });
}
