import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import type { Agent } from '@shared/domain/agent';
import { wrapUpSchema, type WrapUp } from '@shared/domain/wrap-up';
import { profileEditSchema } from '@shared/sync/profile-edits';
import {
  callRefSchema, outboxBatchSchema, outreachSkipSchema, outreachTaskRefSchema, presenceRequestSchema, pullChangesSchema, type OutboxResult,
  type Ack, type DesktopToServerEvents, type ServerToDesktopEvents,
} from '@shared/contract/server-socket';
import type { SignInService } from '../auth/sign-in';
import type { Principal, TokenService } from '../auth/tokens';
import type { AuthRefusal } from '@shared/contract/server-http';
import type { RoutingService } from '../routing/routing-service';
import { asServiceError, ServiceError } from '../routing/service-errors';
import type { AgentStore } from '../store/roles/agent-store';
import type { FeedStore } from '../store/roles/feed-store';
import { customerScopeOf, type AgentCustomerScope } from '../routing/customer-scope';

interface SocketData {
  principal: Principal;
  agent: Agent;
}
type DesktopSocket = Socket<DesktopToServerEvents, ServerToDesktopEvents, Record<string, never>, SocketData>;
export type DesktopServer = Server<DesktopToServerEvents, ServerToDesktopEvents, Record<string, never>, SocketData>;

const agentRoom = (agentId: string): string => `agent:${agentId}`;
export const SUPERVISOR_ROOM = 'supervisors';
export const DESKTOP_ROOM = 'desktops';
/** Desktops whose customers are scoped (agents, with agentCustomerScope 'languages'): told the feed moved, they pull their own part. */
export const SCOPED_DESKTOP_ROOM = 'desktops:scoped';

export function createSocketServer(httpServer: HttpServer): DesktopServer {
  return new Server(httpServer, {
    // Desktops are Node clients, not pages: no browser origin needs access.
    cors: { origin: false },
    maxHttpBufferSize: 1_000_000,
    // A silent network (no FIN, no RST) is noticed within 10 s by both ends: until then the agent looks
    // present and could be offered a call that goes nowhere. 5,000 desktops make 1,000 pings a second.
    pingInterval: 5_000,
    pingTimeout: 5_000,
    connectionStateRecovery: undefined,
  });
}

/**
 * Wires desktop sockets to the routing service. Every inbound payload is
 * parsed before use, every handler answers through its ack, and a handler
 * that throws answers with an error instead of taking the process down.
 */
export function attachSocketGateway(
  io: DesktopServer,
  deps: { tokens: TokenService; signIn: Pick<SignInService, 'admit'>; store: AgentStore & FeedStore; routing: RoutingService; log: Logger; agentCustomerScope?: AgentCustomerScope },
): void {
  const { tokens, signIn, store, routing, log } = deps;
  const connections = new Map<string, number>();

  /**
   * The handshake's refusal is its error message (an AuthRefusal): the desktop signs out on
   * token_revoked, account_disabled and unauthorized, refreshes on token_expired, and retries with
   * backoff on unavailable (the store failed: the token may be fine).
   */
  io.use((socket, next) => {
    const token: unknown = socket.handshake.auth?.token;
    const refuse = (reason: AuthRefusal): void => next(new Error(reason));
    void (async () => {
      const { principal, expired } = await tokens.check(typeof token === 'string' ? token : null);
      if (!principal || principal.role === 'telephony' || principal.role === 'admin') return refuse(expired ? 'token_expired' : 'unauthorized');
      let admitted: Awaited<ReturnType<SignInService['admit']>>;
      try {
        admitted = await signIn.admit(principal);
      } catch (error) {
        log.warn({ err: error }, 'could not read the account to admit a desktop');
        return refuse('unavailable');
      }
      if ('refusal' in admitted) return refuse(admitted.refusal);
      socket.data.principal = principal;
      socket.data.agent = admitted.account.agent;
      next();
    })().catch((error: unknown) => {
      log.error({ err: error }, 'socket handshake failed');
      refuse('unavailable');
    });
  });

  io.on('connection', (socket: DesktopSocket) => {
    const { agent } = socket.data;
    const scope = customerScopeOf(agent, deps.agentCustomerScope ?? 'all');
    void socket.join([agentRoom(agent.id), scope ? SCOPED_DESKTOP_ROOM : DESKTOP_ROOM]);
    if (agent.role === 'supervisor') void socket.join(SUPERVISOR_ROOM);
    if (agent.role === 'agent') {
      connections.set(agent.id, (connections.get(agent.id) ?? 0) + 1);
      try {
        const { presence, since } = routing.router.agentOnline(agent);
        socket.emit('presence:changed', { presence, since });
        const pending = routing.router.offerFor(agent.id);
        if (pending) socket.emit('call:offered', pending);
        const task = routing.outreach.taskFor(agent.id);
        if (task) socket.emit('outreach:offered', task);
      } catch (error) {
        log.error({ err: error, agentId: agent.id }, 'agent could not be logged in to routing');
      }
    }

    /** Registers a handler that validates its payload and always acks. */
    function handle<E extends keyof DesktopToServerEvents, S extends z.ZodType, R extends object>(
      event: E, schema: S, run: (payload: z.output<S>) => Promise<R> | R,
    ): void {
      // Untyped on purpose: a hostile client can send anything, so the handler takes unknowns.
      (socket as unknown as Socket).on(event as string, async (payload: unknown, ack: unknown) => {
        const reply = typeof ack === 'function' ? (ack as (res: Ack<R>) => void) : (_res: Ack<R>) => undefined;
        const parsed = schema.safeParse(payload);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          reply({ ok: false, error: 'invalid_payload', message: `${String(event)}: ${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}` });
          return;
        }
        try {
          reply({ ok: true, ...(await run(parsed.data)) });
        } catch (error) {
          const refused = asServiceError(error);
          if (refused && refused.status < 500) {
            reply({ ok: false, error: refused.code, message: refused.message });
          } else {
            log.error({ err: error, event }, 'socket handler failed');
            reply({ ok: false, error: 'internal', message: 'The server could not process this request' });
          }
        }
      });
    }

    const requireAgent = (): void => {
      if (agent.role !== 'agent') throw new ServiceError('forbidden', 'Only agents take calls');
    };

    handle('presence:set', presenceRequestSchema, ({ presence }) => {
      requireAgent();
      return { presence: routing.router.setPresence(agent.id, presence) };
    });
    handle('call:accept', callRefSchema, ({ callId }) => {
      requireAgent();
      return { callId: routing.router.accept(agent.id, callId).id };
    });
    handle('call:reject', callRefSchema, ({ callId }) => {
      requireAgent();
      routing.router.reject(agent.id, callId);
      return { callId };
    });
    handle('call:hangUp', callRefSchema, ({ callId }) => ({ callId: routing.router.hangUp(agent.id, callId).id }));
    handle('outreach:accept', outreachTaskRefSchema, async ({ taskId }) => {
      requireAgent();
      return routing.outreach.accept(agent.id, taskId);
    });
    handle('outreach:skip', outreachSkipSchema, ({ taskId }) => {
      requireAgent();
      return routing.outreach.skip(agent.id, taskId);
    });
    handle('wrapUp:submit', wrapUpSchema, async (wrapUp) => {
      const { duplicate } = await routing.applyWrapUp(agent, wrapUp);
      return { id: wrapUp.id, duplicate };
    });
    handle('outbox:submit', outboxBatchSchema, async ({ entries }) => ({ results: await applyOutboxBatch(entries) }));

    /** Applies a batch in order: consecutive wrap-ups share one commit; edits go one at a time. */
    async function applyOutboxBatch(entries: { kind: 'wrapup' | 'profile_edit'; payload: unknown }[]): Promise<OutboxResult[]> {
      const results: OutboxResult[] = [];
      let run: WrapUp[] = [];
      const flushRun = async (): Promise<void> => {
        if (run.length === 0) return;
        for (const applied of await routing.applyWrapUps(agent, run)) {
          results.push(applied.rejected
            ? { id: applied.id, status: 'rejected', reason: applied.rejected.reason, message: applied.rejected.message }
            : { id: applied.id, status: applied.duplicate ? 'duplicate' : 'applied' });
        }
        run = [];
      };
      for (const [index, entry] of entries.entries()) {
        if (entry.kind === 'wrapup') {
          const wrapUp = wrapUpSchema.safeParse(entry.payload);
          if (wrapUp.success && wrapUp.data.agentId === agent.id) run.push(wrapUp.data);
          else {
            await flushRun();
            results.push({ id: idOf(entry.payload, index), status: 'rejected', message: wrapUp.success ? 'A wrap-up can only be saved by its own agent' : issueText(wrapUp.error) });
          }
          continue;
        }
        await flushRun();
        const edit = profileEditSchema.safeParse(entry.payload);
        if (!edit.success || edit.data.author !== agent.id) {
          results.push({ id: idOf(entry.payload, index), status: 'rejected', message: edit.success ? 'An edit can only be made in your own name' : issueText(edit.error) });
          continue;
        }
        try {
          await routing.editProfile(edit.data);
          results.push({ id: edit.data.id, status: 'applied' });
        } catch (error) {
          const refused = asServiceError(error);
          if (!refused || refused.status >= 500) log.error({ err: error }, 'profile edit failed');
          results.push({ id: edit.data.id, status: 'rejected', ...(refused ? { reason: refused.code } : {}), message: error instanceof Error ? error.message : 'rejected' });
        }
      }
      await flushRun();
      return results;
    }

    handle('profile:edit', profileEditSchema, async (edit) => {
      if (edit.author !== agent.id) throw new ServiceError('forbidden', 'An edit can only be made in your own name');
      const { applied } = await routing.editProfile(edit);
      return { applied };
    });
    handle('feed:pull', pullChangesSchema, ({ afterSeq, limit }) => store.changesAfter(afterSeq, limit ?? 2000, scope));
    handle('supervisor:subscribe', presenceRequestSchema.partial().strict(), async () => {
      if (agent.role !== 'supervisor') throw new ServiceError('forbidden', 'Supervisors only');
      return { state: await routing.supervisorState() };
    });

    socket.on('disconnect', () => {
      if (agent.role !== 'agent') return;
      const left = (connections.get(agent.id) ?? 1) - 1;
      if (left > 0) connections.set(agent.id, left);
      else {
        connections.delete(agent.id);
        try {
          routing.router.agentOffline(agent.id);
        } catch (error) {
          log.error({ err: error, agentId: agent.id }, 'agent could not be logged out of routing');
        }
      }
    });
  });
}

function idOf(payload: unknown, index: number): string {
  const id = typeof payload === 'object' && payload !== null ? (payload as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id.slice(0, 64) : `#${index}`;
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'invalid'}`;
}

/** Drops every socket of the agent; a desktop reconnects, and its handshake is checked again. */
export function disconnectAgent(io: DesktopServer, agentId: string): void {
  io.in(agentRoom(agentId)).disconnectSockets(true);
}

export function emitToAgent<E extends keyof ServerToDesktopEvents>(io: DesktopServer, agentId: string, event: E, ...args: Parameters<ServerToDesktopEvents[E]>): void {
  io.to(agentRoom(agentId)).emit(event, ...args);
}
