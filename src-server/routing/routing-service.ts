import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Agent, AgentStatus } from '@shared/domain/agent';
import type { Call } from '@shared/domain/call';
import type { CreateCallRequest } from '@shared/contract/server-http';
import { createCallRequestSchema } from '@shared/contract/server-http';
import type { SupervisorState } from '@shared/contract/server-socket';
import type { OutcomeRecord, WrapUp } from '@shared/domain/wrapup';
import type { Interaction } from '@shared/domain/interaction';
import { offerSegment, primaryDriver } from '@shared/playbook/select';
import { HybridLogicalClock } from '@shared/sync/hlc';
import type { EditableField } from '@shared/sync/profile-edits';
import type { CustomerBundle, OutcomeWrite, ServerStore } from '../store/server-store';
import { resolveCaller } from '../ingest/resolve-caller';
import { CallRouter, RouterError, type RouterHooks } from './call-router';

export interface RoutingEvents {
  offer: RouterHooks['offer'];
  revoke: RouterHooks['revoke'];
  callEnded: RouterHooks['callEnded'];
  presenceChanged: RouterHooks['presenceChanged'];
  supervisorState(state: SupervisorState): void;
  outcome(outcome: OutcomeRecord): void;
  feedMoved(lastSeq: number): void;
}

const SUPERVISOR_BROADCAST_MS = 150;

/**
 * The server's call flow in one place: calls in, offers out, wrap-ups
 * applied exactly once, and the supervisor's live picture. HTTP and socket
 * handlers stay thin and call into this.
 */
export class RoutingService {
  readonly router: CallRouter;
  private broadcastTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly clock = new HybridLogicalClock('server');
  private stopped = false;
  private persistChain: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: ServerStore,
    private readonly events: RoutingEvents,
    private readonly options: { reservationTimeoutMs: number; defaultRegion: string },
    private readonly log: Logger,
  ) {
    this.router = new CallRouter(
      {
        offer: (agentId, offer) => events.offer(agentId, offer),
        revoke: (agentId, callId, reason) => events.revoke(agentId, callId, reason),
        callEnded: (agentId, callId) => events.callEnded(agentId, callId),
        presenceChanged: (agentId, presence, since) => events.presenceChanged(agentId, presence, since),
        changed: () => this.scheduleSupervisorBroadcast(),
        persist: (call) => this.persist(call),
      },
      options.reservationTimeoutMs,
    );
  }

  async start(): Promise<void> {
    this.router.restore(await this.store.openCalls());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.router.stop();
    if (this.broadcastTimer) clearTimeout(this.broadcastTimer);
    await this.persistChain;
  }

  async createCall(input: CreateCallRequest): Promise<Call> {
    const request = createCallRequestSchema.parse(input);
    const { customerId, match } = await resolveCaller(this.store, request.callerNumber, request.accountId, this.options.defaultRegion);
    const scores = customerId ? (await this.store.customerBundle(customerId))?.scores ?? null : null;
    const call: Call = {
      id: `CALL-${randomUUID()}`,
      callerNumber: request.callerNumber,
      accountId: request.accountId ?? null,
      language: request.language,
      intent: request.intent,
      customerId,
      state: 'queued',
      agentId: null,
      createdAt: new Date().toISOString(),
      answeredAt: null,
      endedAt: null,
      // Value at risk orders the queue: the customer with most to lose waits least.
      priority: scores?.valueAtRisk ?? 0,
    };
    this.router.enqueue(call, match);
    this.log.info({ callId: call.id, matched: match.method, confidence: match.confidence }, 'call queued');
    return call;
  }

  endCall(callId: string): Call {
    return this.router.end(callId);
  }

  /** Applies a wrap-up once. A repeat of an applied id is acknowledged as a duplicate and changes nothing. */
  async applyWrapUp(agent: Agent, wrapUp: WrapUp): Promise<{ duplicate: boolean }> {
    const [result] = await this.applyWrapUps(agent, [wrapUp]);
    return { duplicate: result?.duplicate ?? false };
  }

  /**
   * Applies a run of wrap-ups from one desktop in one durable commit, in the
   * order given (which keeps each customer's order). Each id is applied once.
   */
  async applyWrapUps(agent: Agent, wrapUps: readonly WrapUp[]): Promise<{ id: string; duplicate: boolean }[]> {
    if (wrapUps.some((w) => w.agentId !== agent.id)) throw new RouterError('bad_state', 'A wrap-up can only be saved by its own agent');
    const receivedAt = new Date().toISOString();
    const bundles = new Map<string, CustomerBundle | null>();
    for (const wrapUp of wrapUps) {
      if (!bundles.has(wrapUp.customerId)) bundles.set(wrapUp.customerId, await this.store.customerBundle(wrapUp.customerId));
    }
    const writes: OutcomeWrite[] = wrapUps.map((wrapUp) => {
      const bundle = bundles.get(wrapUp.customerId) ?? null;
      const outcome: OutcomeRecord = {
        ...wrapUp,
        agentName: agent.displayName,
        customerName: bundle ? `${bundle.customer.givenName} ${bundle.customer.familyName}` : wrapUp.customerId,
        valueTier: bundle?.scores?.valueTier ?? null,
        clv: bundle?.scores?.clv ?? null,
        receivedAt,
      };
      const offered = bundle && wrapUp.offerId && wrapUp.offerOutcome !== 'no_offer';
      return {
        outcome,
        interaction: bundle ? this.interactionFor(wrapUp) : null,
        offerStat: offered
          ? { offerId: wrapUp.offerId as string, segment: offerSegment(bundle.scores?.valueTier ?? 'low', primaryDriver(bundle.scores?.reasons ?? [])), accepted: wrapUp.offerOutcome === 'accepted' }
          : null,
      };
    });
    const inserted = await this.store.applyOutcomes(writes);
    writes.forEach((write, i) => {
      if (inserted[i]) this.events.outcome(write.outcome);
    });
    if (inserted.some(Boolean)) this.events.feedMoved(await this.store.lastSeq());
    for (const wrapUp of wrapUps) this.router.wrappedUp(agent.id, wrapUp.callId);
    return wrapUps.map((w, i) => ({ id: w.id, duplicate: !inserted[i] }));
  }

  /** A correction to an editable profile field, from a desktop (stamped there) or from the server side (stamped here). */
  async editProfile(edit: { customerId: string; field: EditableField; value: unknown; hlc?: string }): Promise<{ applied: boolean; hlc: string }> {
    if (edit.hlc) this.clock.receive(edit.hlc);
    const hlc = edit.hlc ?? this.clock.tick();
    const { applied, customer } = await this.store.applyProfileEdit({ ...edit, hlc });
    if (!customer) throw new RouterError('unknown_customer', `No customer ${edit.customerId}`);
    if (applied) this.events.feedMoved(await this.store.lastSeq());
    return { applied, hlc };
  }

  async supervisorState(): Promise<SupervisorState> {
    const { agents: live, queue } = this.router.snapshot();
    const liveById = new Map(live.map((a) => [a.agent.id, a]));
    const since = new Date();
    since.setUTCHours(0, 0, 0, 0);
    const totals = new Map((await this.store.outcomeTotals(since.toISOString())).map((t) => [t.agentId, t]));
    const agents: AgentStatus[] = (await this.store.listAgents())
      .filter((a) => a.role === 'agent')
      .map((agent) => {
        const state = liveById.get(agent.id);
        return {
          ...agent,
          presence: state?.presence ?? 'offline',
          presenceSince: state?.since ?? since.toISOString(),
          currentCallId: state?.callId ?? null,
          savesToday: totals.get(agent.id)?.saves ?? 0,
          callsToday: totals.get(agent.id)?.calls ?? 0,
        };
      });
    const outcomes = await this.store.recentOutcomes(50);
    const attempts = [...totals.values()].reduce((sum, t) => sum + t.calls, 0);
    const saves = [...totals.values()].reduce((sum, t) => sum + t.saves, 0);
    return { agents, queue, outcomes, saveRate: { saves, attempts } };
  }

  private interactionFor(wrapUp: WrapUp): Interaction {
    return {
      id: `I-${wrapUp.id}`,
      customerId: wrapUp.customerId,
      channel: 'call',
      direction: 'inbound',
      occurredAt: wrapUp.createdAt,
      agentId: wrapUp.agentId,
      topic: wrapUp.disposition === 'not_retention' ? 'general' : 'cancellation',
      sentiment: wrapUp.disposition === 'retained' ? 0.4 : wrapUp.disposition === 'churned' ? -0.6 : 0,
      summary: wrapUp.summary || `Retention call: ${wrapUp.disposition}`,
      ticketStatus: null,
      offer: wrapUp.offerId && wrapUp.offerOutcome !== 'no_offer' ? { offerId: wrapUp.offerId, result: wrapUp.offerOutcome === 'accepted' ? 'accepted' : 'declined' } : null,
      promise: null,
    };
  }

  private persist(call: Call): void {
    // Keep writes in order without blocking the router's synchronous decisions.
    this.persistChain = this.persistChain
      .then(() => this.store.saveCall(call))
      .catch((error: unknown) => this.log.error({ err: error, callId: call.id }, 'failed to persist call'));
  }

  private scheduleSupervisorBroadcast(): void {
    if (this.broadcastTimer || this.stopped) return;
    this.broadcastTimer = setTimeout(() => {
      this.broadcastTimer = null;
      this.supervisorState()
        .then((state) => this.events.supervisorState(state))
        .catch((error: unknown) => {
          if (!this.stopped) this.log.error({ err: error }, 'supervisor broadcast failed');
        });
    }, SUPERVISOR_BROADCAST_MS);
    this.broadcastTimer.unref?.();
  }
}
