import type { z } from 'zod';
import type { Agent, Presence } from '@shared/domain/agent';
import { wrapUpSchema, type WrapUp } from '@shared/domain/wrap-up';
import { profileEditSchema } from '@shared/sync/profile-edits';
import {
  callRefSchema, outboxBatchSchema, outreachSkipSchema, outreachTaskRefSchema, presenceRequestSchema,
  type CallOffer, type OutboxResult, type OutreachTask,
} from '@shared/contract/server-socket';
import type { Logger } from 'pino';
import type { RoutingService } from '../routing/routing-service';
import { asServiceError, ServiceError } from '../routing/service-errors';

/** What a desktop asks of routing, by socket event, with the schema of its payload. */
export const DESKTOP_COMMANDS = {
  'presence:set': presenceRequestSchema,
  'call:accept': callRefSchema,
  'call:reject': callRefSchema,
  'call:hangUp': callRefSchema,
  'outreach:accept': outreachTaskRefSchema,
  'outreach:skip': outreachSkipSchema,
  'wrapUp:submit': wrapUpSchema,
  'outbox:submit': outboxBatchSchema,
  'profile:edit': profileEditSchema,
  'supervisor:subscribe': presenceRequestSchema.partial().strict(),
} as const;
export type DesktopCommand = keyof typeof DESKTOP_COMMANDS;

export const isDesktopCommand = (event: string): event is DesktopCommand => Object.hasOwn(DESKTOP_COMMANDS, event);

/** What a desktop is told when it connects: its presence, and an offer or task that waits for it. */
export interface AgentWelcome {
  presence: Presence;
  since: string;
  offer: CallOffer | null;
  task: OutreachTask | null;
}

/**
 * Routing as the socket gateway reaches it: in this process (one server, or
 * the cluster's authority), or forwarded to the authority (the other nodes of
 * a cluster, cluster/forwarding.ts).
 */
export interface DesktopRouting {
  /** A desktop of this agent connected to this node. */
  online(agent: Agent): Promise<AgentWelcome>;
  /** The agent's last desktop on this node went away. */
  offline(agentId: string): Promise<void>;
  /** Runs a desktop's request; refusals throw ServiceError. */
  command(agent: Agent, event: DesktopCommand, payload: unknown): Promise<object>;
}

/** The agent's welcome from the routing service in this process. */
export function welcomeAgent(routing: RoutingService, agent: Agent): AgentWelcome {
  const { presence, since } = routing.router.agentOnline(agent);
  return { presence, since, offer: routing.router.offerFor(agent.id), task: routing.outreach.taskFor(agent.id) };
}

/** Routing in this process. */
export function localDesktopRouting(routing: RoutingService, log: Logger): DesktopRouting {
  return {
    online: async (agent) => welcomeAgent(routing, agent),
    offline: async (agentId) => routing.router.agentOffline(agentId),
    command: async (agent, event, payload) => runDesktopCommand(routing, agent, event, payload, log),
  };
}

/** Runs one desktop request against the routing service in this process (the payload is checked again here). */
export async function runDesktopCommand(routing: RoutingService, agent: Agent, event: DesktopCommand, payload: unknown, log: Logger): Promise<object> {
  const parsed = DESKTOP_COMMANDS[event].safeParse(payload);
  if (!parsed.success) throw new ServiceError('invalid_event', `${event}: ${issueText(parsed.error)}`);
  const data = parsed.data as never;
  const requireAgent = (): void => {
    if (agent.role !== 'agent') throw new ServiceError('forbidden', 'Only agents take calls');
  };
  switch (event) {
    case 'presence:set': {
      requireAgent();
      const { presence } = data as z.output<typeof presenceRequestSchema>;
      return { presence: routing.router.setPresence(agent.id, presence) };
    }
    case 'call:accept': {
      requireAgent();
      return { callId: routing.router.accept(agent.id, (data as z.output<typeof callRefSchema>).callId).id };
    }
    case 'call:reject': {
      requireAgent();
      const { callId } = data as z.output<typeof callRefSchema>;
      routing.router.reject(agent.id, callId);
      return { callId };
    }
    case 'call:hangUp':
      return { callId: routing.router.hangUp(agent.id, (data as z.output<typeof callRefSchema>).callId).id };
    case 'outreach:accept':
      requireAgent();
      return routing.outreach.accept(agent.id, (data as z.output<typeof outreachTaskRefSchema>).taskId);
    case 'outreach:skip':
      requireAgent();
      return routing.outreach.skip(agent.id, (data as z.output<typeof outreachSkipSchema>).taskId);
    case 'wrapUp:submit': {
      const wrapUp = data as WrapUp;
      const { duplicate } = await routing.applyWrapUp(agent, wrapUp);
      return { id: wrapUp.id, duplicate };
    }
    case 'outbox:submit':
      return { results: await applyOutboxBatch(routing, agent, (data as z.output<typeof outboxBatchSchema>).entries, log) };
    case 'profile:edit': {
      const edit = data as z.output<typeof profileEditSchema>;
      if (edit.author !== agent.id) throw new ServiceError('forbidden', 'An edit can only be made in your own name');
      const { applied } = await routing.editProfile(edit);
      return { applied };
    }
    case 'supervisor:subscribe':
      if (agent.role !== 'supervisor') throw new ServiceError('forbidden', 'Supervisors only');
      return { state: await routing.supervisorState() };
  }
}

/** Applies a batch in order: consecutive wrap-ups share one commit; edits go one at a time. */
async function applyOutboxBatch(routing: RoutingService, agent: Agent, entries: { kind: 'wrapup' | 'profile_edit'; payload: unknown }[], log: Logger): Promise<OutboxResult[]> {
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

function idOf(payload: unknown, index: number): string {
  const id = typeof payload === 'object' && payload !== null ? (payload as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id.slice(0, 64) : `#${index}`;
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'invalid'}`;
}
