import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import type { Agent } from '@shared/domain/agent';
import { pullChangesSchema, type Ack, type DesktopToServerEvents, type ServerToDesktopEvents } from '@shared/contract/server-socket';
import type { SignInService } from '../auth/sign-in';
import type { Principal, TokenService } from '../auth/tokens';
import type { AuthRefusal } from '@shared/contract/server-http';
import { asServiceError } from '../routing/service-errors';
import { DESKTOP_COMMANDS, type DesktopCommand, type DesktopRouting } from './desktop-commands';
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
  deps: { tokens: TokenService; signIn: Pick<SignInService, 'admit'>; store: AgentStore & FeedStore; desktops: DesktopRouting; log: Logger; agentCustomerScope?: AgentCustomerScope },
): { connectedAgents(): Agent[] } {
  const { tokens, signIn, store, desktops, log } = deps;
  /** Agents with desktops on this node, and how many. */
  const connections = new Map<string, { agent: Agent; sockets: number }>();

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
      connections.set(agent.id, { agent, sockets: (connections.get(agent.id)?.sockets ?? 0) + 1 });
      desktops.online(agent).then(({ presence, since, offer, task }) => {
        if (!socket.connected) return;
        socket.emit('presence:changed', { presence, since });
        if (offer) socket.emit('call:offered', offer);
        if (task) socket.emit('outreach:offered', task);
      }, (error: unknown) => log.error({ err: error, agentId: agent.id }, 'agent could not be logged in to routing'));
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
          if (refused && (refused.status < 500 || refused.code === 'not_authority')) {
            reply({ ok: false, error: refused.code, message: refused.message });
          } else {
            log.error({ err: error, event }, 'socket handler failed');
            reply({ ok: false, error: 'internal', message: 'The server could not process this request' });
          }
        }
      });
    }

    for (const event of Object.keys(DESKTOP_COMMANDS) as DesktopCommand[]) {
      handle(event, DESKTOP_COMMANDS[event], (payload) => desktops.command(agent, event, payload));
    }
    handle('feed:pull', pullChangesSchema, ({ afterSeq, limit }) => store.changesAfter(afterSeq, limit ?? 2000, scope));

    socket.on('disconnect', () => {
      if (agent.role !== 'agent') return;
      const left = (connections.get(agent.id)?.sockets ?? 1) - 1;
      if (left > 0) connections.set(agent.id, { agent, sockets: left });
      else {
        connections.delete(agent.id);
        desktops.offline(agent.id).catch((error: unknown) => log.error({ err: error, agentId: agent.id }, 'agent could not be logged out of routing'));
      }
    });
  });
  return { connectedAgents: () => [...connections.values()].map((c) => c.agent) };
}

/** Drops every socket of the agent; a desktop reconnects, and its handshake is checked again. */
export function disconnectAgent(io: DesktopServer, agentId: string): void {
  io.in(agentRoom(agentId)).disconnectSockets(true);
}

export function emitToAgent<E extends keyof ServerToDesktopEvents>(io: DesktopServer, agentId: string, event: E, ...args: Parameters<ServerToDesktopEvents[E]>): void {
  io.to(agentRoom(agentId)).emit(event, ...args);
}
