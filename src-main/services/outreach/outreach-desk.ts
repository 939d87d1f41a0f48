import type { outreachMethods, OutreachState } from '@shared/contract/desktop-api';
import { OUTREACH_MATCH_METHOD, outreachAcceptResultSchema, type CallOffer, type OutreachTask } from '@shared/contract/server-socket';
import type { Call } from '@shared/domain/call';
import { BackendError } from '../desk/backend-error';
import type { Handlers, MethodsOf } from '../desk/desk';
import type { DesktopEventBus } from '../desk/event-bus';
import type { CallDesk } from '../calls/call-desk';
import type { ServerHttpClient } from '../server-link/server-http-client';
import { request, ServerAckError } from '../server-link/server-socket';
import type { Session, SessionHolder } from '../session/session';

/** Why a preview task went away: the server's reasons and the desk's own. */
export type TaskGoneReason = 'inbound' | 'timeout' | 'unavailable';

/**
 * Proactive outreach for an idle agent: the preview task on offer, taking it
 * (the server opens the outbound call; the call desk shows it) or skipping it.
 */
export class OutreachDesk {
  private state: OutreachState = { open: null, notice: null };

  constructor(
    private readonly sessions: SessionHolder,
    private readonly events: DesktopEventBus,
    private readonly calls: CallDesk,
    private readonly http: ServerHttpClient,
  ) {
    // Inbound calls always come first: the preview (and any word about the last one) gives way to the pop.
    calls.onOffer(() => this.set({ open: null, notice: null }));
    sessions.onEnded(() => this.set({ open: null, notice: null }));
  }

  readonly handlers: Handlers<MethodsOf<typeof outreachMethods>> = {
    'outreach.current': () => this.state,
    'outreach.accept': ({ taskId }) => this.accept(this.sessions.require(), taskId),
    'outreach.skip': async ({ taskId, reason }) => {
      await request(this.sessions.require().socket, 'outreach:skip', { taskId, ...(reason ? { reason } : {}) });
      if (this.state.open?.taskId === taskId) this.set({ open: null, notice: null });
      return { ok: true as const };
    },
    'outreach.list': ({ limit }) => this.http.outreach(this.sessions.require().token, limit),
  };

  /** The link to the server dropped: the server hands a task that still stands back on reconnect. */
  linkLost(): void {
    this.taskGone(this.state.open?.taskId ?? null, 'unavailable');
  }

  /** A preview task from the server (agents only). */
  offered(session: Session, task: OutreachTask): void {
    if (session.agent.role === 'agent') this.set({ open: task, notice: null });
  }

  /**
   * The task on offer is gone. Only a lapse needs a word to the agent: an
   * inbound call replaces the preview with its pop, and "away" was the
   * agent's own doing.
   */
  taskGone(taskId: string | null, reason: TaskGoneReason): void {
    if (taskId === null || this.state.open?.taskId !== taskId) return;
    this.set({ open: null, notice: reason === 'timeout' ? 'lapsed' : null });
  }

  /**
   * The server opens the outbound call (no offer follows: the agent is
   * connected at once); the pop is built from the cache exactly as for an
   * inbound caller, and its wrap-up is saved with the server's call id.
   */
  private async accept(session: Session, taskId: string): Promise<{ callId: string; customerId: string }> {
    if (this.calls.current) throw new BackendError('busy', 'Finish the call on screen before taking an outreach task');
    const task = this.state.open?.taskId === taskId ? this.state.open : null;
    let raw: unknown;
    try {
      raw = await request(session.socket, 'outreach:accept', { taskId });
    } catch (error) {
      // The task lapsed or was taken back before the click reached the server.
      if (error instanceof ServerAckError && error.code === 'unknown_task') this.taskGone(taskId, 'timeout');
      throw error;
    }
    const answer = outreachAcceptResultSchema.safeParse(raw);
    if (!answer.success) throw new BackendError('bad_response', 'The server accepted the task but its answer did not match the contract');
    const { callId, customerId } = answer.data;
    if (this.state.open?.taskId === taskId) this.set({ open: null, notice: null });
    this.calls.openOutbound(session, outboundOffer(session, callId, customerId, task), task);
    return { callId, customerId };
  }

  private set(state: OutreachState): void {
    if (state.open === this.state.open && state.notice === this.state.notice) return;
    this.state = state;
    this.events.emit('outreach.changed', state);
  }
}

/** The outbound call as an offer the pop can be built from, with what the task and the cache know of the customer. */
function outboundOffer(session: Session, callId: string, customerId: string, task: OutreachTask | null): CallOffer {
  const customer = session.cache.customers.get(customerId);
  const now = new Date().toISOString();
  const call: Call = {
    id: callId,
    callerNumber: task?.phone ?? customer?.phones[0] ?? '',
    accountId: customer?.accountId ?? null,
    language: task?.language ?? customer?.language ?? 'en',
    intent: 'cancellation',
    customerId,
    state: 'connected',
    agentId: session.agent.id,
    createdAt: now,
    answeredAt: now,
    endedAt: null,
    priority: task?.valueAtRisk ?? 0,
  };
  return { call, reservationDeadline: Date.now(), match: { method: OUTREACH_MATCH_METHOD, confidence: 1, candidates: [{ customerId, confidence: 1 }] } };
}
