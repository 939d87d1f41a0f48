import type { Agent, Presence } from '@shared/domain/agent';
import type { Call, CallState } from '@shared/domain/call';
import type { Language } from '@shared/domain/language';
import type { CallOffer } from '@shared/contract/server-socket';
import {
  type AgentInfo,
  type CallInfo,
  type CallPhase,
  type CreateRouterOptions,
  type QueueConfigInput,
  type Reservation,
  type Router,
  type RouterSnapshot,
  type RoutingEventInput,
  createRouter,
  isRoutingError,
  routingEventSchema,
} from '@shared/routing';
import type { QueueRoutingConfig, RoutingConfig } from '../config';
import type { RoutingMetrics } from './routing-metrics';
import type { CallMeta } from './router-state';
import { ServiceError } from './service-errors';

/**
 * The server's side of the routing engine (@shared/routing): it turns socket
 * and telephony events into engine events, and the engine's decisions and
 * state changes into what desktops see (offers, revocations, presence) and
 * what the store keeps (Call records).
 *
 * The engine is pure and knows nothing of time or sockets; this adapter
 * fires each reservation's timeout from its own timer, keeps the Call record
 * of every open call (the engine forgets a call once it ends, the record
 * lives on through wrap-up), and after every change reconciles the records
 * and offers it holds with what the engine says, so each desktop message
 * follows from an engine state change rather than from a copy of its rules.
 *
 * Events are staged in the engine as they come and routed together at the
 * end of the event-loop turn (or `coalesceMs` later): calls and agents that
 * turn up together (a burst of arrivals, agents freed by the same wrap-up
 * batch, a restart) are then assigned jointly, maximising the total score
 * (Hungarian, shared/routing/matching.ts), instead of greedily one by one.
 * State changes (call records, revocations) are reconciled at once; offers
 * and presence go out when the staged events are routed.
 *
 * Outbound (outreach) calls and calls the engine lost in a crash are
 * "untracked": they live here only, and the agent on an outbound call is
 * "away" in the engine so no inbound call is offered meanwhile.
 */

/** no_answer: the agent accepted, but their phone did not answer (or rejected the call); it went to the next agent. */
export type RevokeReason = 'timeout' | 'abandoned' | 'taken' | 'no_answer';

export interface RouterHooks {
  offer(agentId: string, offer: CallOffer): void;
  revoke(agentId: string, callId: string, reason: RevokeReason): void;
  callEnded(agentId: string, callId: string): void;
  presenceChanged(agentId: string, presence: Presence, since: string): void;
  /** Something a supervisor sees (or the persisted state) changed. */
  changed(): void;
  persist(call: Call): void;
  /** An inbound call was just reserved for the agent (an outreach preview must give way). */
  reserved(agentId: string): void;
  /** The agent's presence changed (outreach offers tasks to agents who became available). */
  presence(agentId: string, presence: Presence): void;
  /** The agent accepted the call: telephony sends it to their phone (absent: no telephony, the call is connected at once). */
  accepted?(agentId: string, call: Call): void;
  /** The agent hung up from the desktop: telephony ends the phone call too. */
  hungUp?(agentId: string, call: Call): void;
}

interface OpenCall {
  call: Call;
  meta: CallMeta;
}

interface HeldOffer {
  agentId: string;
  timer: ReturnType<typeof setTimeout>;
}

interface OutboundState {
  callId: string;
  /** Availability to give back once the outbound call is wrapped up. */
  resume: 'available' | 'away';
  since: number;
}

export interface RouterPersistentState {
  engine: RouterSnapshot;
  calls: Record<string, CallMeta>;
  parked: Record<string, 'available' | 'away'>;
  outbound: Record<string, OutboundState>;
  capacities: Record<string, number>;
}

/** How far along a call is; queued and offered are both "not answered yet". */
const STATE_RANK: Record<CallState, number> = { queued: 0, offered: 0, connected: 1, wrap_up: 2, completed: 3, abandoned: 3 };

export function engineOptions(reservationTimeoutMs: number, routing: RoutingConfig): CreateRouterOptions {
  const queue = (q: QueueRoutingConfig = {}): QueueConfigInput => ({
    policy: q.policy ?? routing.policy,
    baselineShare: q.baselineShare ?? routing.baselineShare,
    reservationTimeoutMs: q.reservationTimeoutMs ?? reservationTimeoutMs,
    ...(q.minProficiency !== undefined ? { minProficiency: q.minProficiency } : {}),
  });
  return {
    defaultQueue: queue(),
    queues: Object.fromEntries(Object.entries(routing.queues).map(([name, q]) => [name, queue(q)])),
    onReject: routing.onReject,
    onExpire: routing.onExpire,
    // Completed call ids kept for out-of-order detection and a fast duplicate check (persisted with the
    // state); older duplicates are refused against the store (RoutingService.createCall).
    rememberCompletedCalls: 5000,
  };
}

export class CallRouter {
  readonly engine: Router;
  private readonly open = new Map<string, OpenCall>();
  /** Parties of calls closed lately (completed or abandoned), oldest first. */
  private readonly closed = new Map<string, CallParties>();
  private readonly offers = new Map<string, HeldOffer>();
  private readonly offersByAgent = new Map<string, Set<string>>();
  private readonly lastPresence = new Map<string, Presence>();
  private readonly parked = new Map<string, 'available' | 'away'>();
  private readonly outbound = new Map<string, OutboundState>();
  private readonly capacities = new Map<string, number>();
  /** Agents touched by staged events: their presence goes out once the events are routed. */
  private readonly pendingAgents = new Set<string>();
  private pendingFlush: { cancel(): void } | null = null;
  private stopped = false;

  constructor(
    private readonly hooks: RouterHooks,
    options: CreateRouterOptions,
    private readonly metrics: RoutingMetrics,
    private readonly now: () => number = Date.now,
    /** 0: route staged events at the end of the event-loop turn; more: this many ms after the first. */
    private readonly coalesceMs = 0,
    /**
     * A phone system is attached: an accepted call waits for the agent's phone to answer
     * (`phoneAnswered`) or fail (`phoneFailed`). Without one, accepting connects at once.
     */
    private readonly awaitPhone = false,
  ) {
    this.engine = createRouter(options);
  }

  // ---- agents ---------------------------------------------------------------

  /** A desktop of this agent connected. Returns the presence to tell it. */
  agentOnline(agent: Agent): { presence: Presence; since: string } {
    if (agent.role !== 'agent') return { presence: 'offline', since: new Date(this.now()).toISOString() };
    const info = this.engine.agent(agent.id);
    if (info?.online) {
      // Another desktop of the agent, or the one that dropped during a live call.
      const resume = this.parked.get(agent.id);
      if (resume !== undefined) {
        this.parked.delete(agent.id);
        if (resume === 'available' && info.availability === 'away' && !this.outbound.has(agent.id)) {
          this.run([{ type: 'agentPresence', agentId: agent.id, presence: 'available' }], { agents: [agent.id] }, 'timeout');
        }
        this.hooks.changed();
      }
      return this.presenceOf(agent.id);
    }
    if (agent.languages.length === 0) return this.presenceOf(agent.id);
    // A desktop comes up "away": the agent says when they are ready.
    this.run([{ type: 'agentLogin', agentId: agent.id, languages: languagesOf(agent), skills: agent.skills, capacity: this.capacityOf(agent.id), presence: 'away' }], { agents: [agent.id] }, 'timeout');
    return this.presenceOf(agent.id);
  }

  /**
   * The agent's last desktop went away. Offers go back to the queue; an agent
   * on a live call stays on it (the phone call does not depend on the desktop)
   * but gets no new offers until a desktop returns.
   */
  agentOffline(agentId: string): void {
    // Sockets closing at shutdown change nothing: the saved state has the agents as they were.
    if (this.stopped) return;
    const info = this.engine.agent(agentId);
    if (!info?.online) return;
    if (hasLiveCall(info)) {
      if (!this.parked.has(agentId)) this.parked.set(agentId, info.availability);
      if (info.availability === 'available') this.run([{ type: 'agentPresence', agentId, presence: 'away' }], { agents: [agentId] }, 'timeout');
      this.hooks.changed();
      return;
    }
    this.parked.delete(agentId);
    this.run([{ type: 'agentLogout', agentId }], { agents: [agentId] }, 'timeout');
  }

  setPresence(agentId: string, presence: 'available' | 'away'): Presence {
    const info = this.engine.agent(agentId);
    if (!info?.online) throw new ServiceError('out_of_order', `presence: agent "${agentId}" is not logged in to routing`);
    const outbound = this.outbound.get(agentId);
    if (outbound) {
      // Applied when the outbound call is wrapped up.
      outbound.resume = presence;
      return this.presenceOf(agentId).presence;
    }
    this.run([{ type: 'agentPresence', agentId, presence }], { agents: [agentId] }, 'timeout');
    return this.presenceOf(agentId).presence;
  }

  /**
   * New languages, skills or capacity for an agent, kept in place: the
   * agent's idle time, occupancy, calls and learnt statistics stay as they are.
   */
  updateAgent(agent: Agent, capacity: number): void {
    // The engine's state is replaced below: route what is staged first, so nothing staged is lost.
    this.flush();
    this.capacities.set(agent.id, capacity);
    const snapshot = this.engine.snapshot();
    const entry = snapshot.agents.find((a) => a.id === agent.id);
    if (entry === undefined) return; // not logged in since the start; the next login uses the new profile
    if (capacity < entry.slots.length) {
      throw new ServiceError('out_of_order', `agent "${agent.id}" holds ${entry.slots.length} calls now; capacity cannot go below that until they finish`);
    }
    entry.languages = languagesOf(agent);
    entry.skills = [...agent.skills];
    entry.capacity = capacity;
    this.engine.restore(snapshot);
    const { decisions } = this.engine.rebalance(this.now());
    this.sync(decisions, { agents: [agent.id] }, 'timeout');
  }

  capacityOf(agentId: string): number {
    return this.capacities.get(agentId) ?? 1;
  }

  presenceOf(agentId: string): { presence: Presence; since: string } {
    const info = this.engine.agent(agentId);
    if (!info?.online) return { presence: 'offline', since: new Date(info?.presenceSince ?? this.now()).toISOString() };
    const outbound = this.outbound.get(agentId);
    if (outbound) {
      const state = this.open.get(outbound.callId)?.call.state;
      return { presence: state === 'wrap_up' ? 'wrap_up' : 'on_call', since: new Date(outbound.since).toISOString() };
    }
    return { presence: info.presence, since: new Date(info.presenceSince).toISOString() };
  }

  /** Agents signed in to routing now. */
  onlineAgents(): string[] {
    return this.engine.snapshot().agents.filter((a) => a.online).map((a) => a.id);
  }

  presenceCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const presence of this.lastPresence.values()) counts[presence] = (counts[presence] ?? 0) + 1;
    return counts;
  }

  /** Agents who are free (no call, available) right now. */
  availableAgents(): string[] {
    return [...this.lastPresence].filter(([, presence]) => presence === 'available').map(([id]) => id);
  }

  // ---- calls ------------------------------------------------------------------

  enqueue(call: Call, meta: CallMeta): void {
    if (this.open.has(call.id) || this.engine.call(call.id)) throw new ServiceError('duplicate_call', `call "${call.id}" was already received`);
    const event = {
      type: 'callArrived',
      callId: call.id,
      language: call.language,
      intent: call.intent,
      requiredSkills: meta.requiredSkills,
      customerId: call.customerId ?? '',
      segment: meta.segment,
      churnRisk: meta.churnRisk,
      clv: meta.clv,
      valueAtRisk: meta.valueAtRisk,
      arrivedAt: meta.arrivedAt,
    } satisfies RoutingEventInput;
    const parsed = routingEventSchema.safeParse(event);
    if (!parsed.success) throw new ServiceError('invalid_event', `call "${call.id}": ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`);
    this.open.set(call.id, { call, meta: { ...meta, tracked: true } });
    this.hooks.persist(call);
    this.metrics.arrived(this.engine.config.queues[call.intent] ? call.intent : 'default');
    this.run([event], { calls: [call.id] }, 'timeout');
  }

  /** The agent answers the call offered to them. */
  accept(agentId: string, callId: string): Call {
    const open = this.requireOpen(callId, 'accept');
    // A repeat (the answer to the first was lost, say to a node or authority that went away) changes nothing.
    if (open.call.state === 'connected' && open.call.agentId === agentId) return open.call;
    if (!open.meta.tracked) throw new ServiceError('out_of_order', `accept: call "${callId}" is not offered to agent "${agentId}"`);
    this.run(
      this.awaitPhone
        ? [{ type: 'offerAccepted', callId, agentId }]
        // No phone system to wait for: the call counts as connected at once.
        : [{ type: 'offerAccepted', callId, agentId }, { type: 'callConnected', callId, agentId }],
      { calls: [callId], agents: [agentId] },
      'taken',
    );
    const after = this.requireOpen(callId, 'accept');
    this.metrics.accepted(after.meta.answered ? null : this.now() - after.meta.arrivedAt);
    after.meta.answered = true;
    this.hooks.accepted?.(agentId, after.call);
    return after.call;
  }

  /** Where the call is in the engine: waiting, reserved, accepted (the agent's phone ringing), connected... */
  phaseOf(callId: string): CallPhase | undefined {
    return this.engine.call(callId)?.phase;
  }

  /** The agent's phone answered the call they accepted: connected. A repeat changes nothing. */
  phoneAnswered(callId: string): Call {
    const open = this.requireOpen(callId, 'answered');
    const info = this.engine.call(callId);
    if (info?.phase === 'connected' || !open.meta.tracked) return open.call;
    if (info?.phase !== 'accepted' || !info.agentId) throw new ServiceError('out_of_order', `answered: call "${callId}" is not ringing on an agent's phone (it is ${open.call.state})`);
    this.run([{ type: 'callConnected', callId, agentId: info.agentId }], { calls: [callId], agents: [info.agentId] }, 'timeout');
    return this.requireOpen(callId, 'answered').call;
  }

  /**
   * The agent's phone did not answer, was busy or rejected the call: it goes
   * back to the queue for the next agent (never this one), and the agent is
   * set as after a reject.
   */
  phoneFailed(callId: string): Call {
    const open = this.requireOpen(callId, 'no_answer');
    const info = this.engine.call(callId);
    if (info?.phase !== 'accepted' || !info.agentId) throw new ServiceError('out_of_order', `no_answer: call "${callId}" is not ringing on an agent's phone (it is ${open.call.state})`);
    const agentId = info.agentId;
    this.run([{ type: 'connectFailed', callId, agentId }], { calls: [callId], agents: [agentId] }, 'timeout');
    this.hooks.revoke(agentId, callId, 'no_answer');
    this.metrics.rejected();
    return this.requireOpen(callId, 'no_answer').call;
  }

  reject(agentId: string, callId: string): void {
    const open = this.requireOpen(callId, 'reject');
    if (!open.meta.tracked) throw new ServiceError('out_of_order', `reject: call "${callId}" is not offered to agent "${agentId}"`);
    this.run([{ type: 'offerRejected', callId, agentId }], { calls: [callId], agents: [agentId] }, 'taken');
    this.metrics.rejected();
  }

  /**
   * Telephony (or a supervisor) ends the call: before an agent answered it is
   * abandoned, after that the agent moves to wrap-up.
   */
  end(callId: string): Call {
    const open = this.requireOpen(callId, 'end');
    const { call } = open;
    if (call.state === 'wrap_up') throw new ServiceError('out_of_order', `end: call "${callId}" has already ended (in wrap-up with agent "${call.agentId}")`);
    if (call.state === 'queued' || call.state === 'offered' || this.engine.call(callId)?.phase === 'accepted') return this.abandon(callId);
    if (!open.meta.tracked) {
      const ended = this.patch(open, { state: 'wrap_up', endedAt: new Date(this.now()).toISOString() });
      const outbound = call.agentId ? this.outbound.get(call.agentId) : undefined;
      if (outbound && call.agentId) {
        outbound.since = this.now();
        this.emitPresence(call.agentId);
      }
      if (call.agentId) this.hooks.callEnded(call.agentId, callId);
      this.hooks.changed();
      return ended;
    }
    const agentId = call.agentId;
    this.run([{ type: 'callEnded', callId }], { calls: [callId], agents: agentId ? [agentId] : [] }, 'timeout');
    if (agentId) {
      this.hooks.callEnded(agentId, callId);
      this.releaseParkedIfIdle(agentId);
    }
    return this.requireOpen(callId, 'end').call;
  }

  /** The agent on the call hangs up. */
  hangUp(agentId: string, callId: string): Call {
    const open = this.requireOpen(callId, 'hangup');
    if (open.call.agentId !== agentId) throw new ServiceError('forbidden', `hangup: call "${callId}" is not yours`);
    if (open.call.state !== 'connected') throw new ServiceError('out_of_order', `hangup: call "${callId}" is ${open.call.state}, not connected`);
    this.hooks.hungUp?.(agentId, open.call);
    // Still ringing on the agent's phone: they gave it up, so it goes on to the next agent.
    if (this.engine.call(callId)?.phase === 'accepted') return this.phoneFailed(callId);
    return this.end(callId);
  }

  /** The caller hung up before an agent answered. */
  abandon(callId: string): Call {
    const open = this.requireOpen(callId, 'abandon');
    const info = this.engine.call(callId);
    // Accepted but the agent's phone still ringing: nobody has answered the caller yet.
    const ringing = info?.phase === 'accepted' ? info.agentId : null;
    if ((open.call.state === 'connected' && !ringing) || open.call.state === 'wrap_up' || !open.meta.tracked) {
      throw new ServiceError('out_of_order', `abandon: call "${callId}" was answered by agent "${open.call.agentId}" (${open.call.state}); end it instead`);
    }
    this.run([{ type: 'callAbandoned', callId }], { calls: [callId], agents: ringing ? [ringing] : [] }, 'abandoned');
    if (ringing) this.hooks.revoke(ringing, callId, 'abandoned');
    return { ...open.call, state: 'abandoned' };
  }

  /**
   * Back to the queue, away from the agent who had it (they go to wrap-up for
   * their part), optionally to another language or skill.
   */
  transfer(callId: string, target: { language?: Language; skill?: string }, byAgentId?: string): Call {
    const open = this.requireOpen(callId, 'transfer');
    if (byAgentId !== undefined && open.call.agentId !== byAgentId) throw new ServiceError('forbidden', `transfer: call "${callId}" is not yours`);
    if (!open.meta.tracked) throw new ServiceError('out_of_order', `transfer: call "${callId}" is an outbound call; only queued inbound calls can be transferred`);
    if (open.call.state !== 'connected') throw new ServiceError('out_of_order', `transfer: call "${callId}" is ${open.call.state}, not connected`);
    const previous = open.call.agentId;
    const before = { call: open.call, meta: open.meta };
    if (target.language) open.call = { ...open.call, language: target.language };
    open.meta = { ...open.meta, ...(target.language ? { language: target.language } : {}), ...(target.skill ? { requiredSkills: [target.skill] } : {}) };
    try {
      this.run(
        [{ type: 'callTransferred', callId, ...(previous ? { agentId: previous } : {}), ...(target.skill ? { targetSkill: target.skill } : {}), ...(target.language ? { targetLanguage: target.language } : {}) }],
        { calls: [callId], agents: previous ? [previous] : [] },
        'timeout',
      );
    } catch (error) {
      open.call = before.call;
      open.meta = before.meta;
      throw error;
    }
    this.metrics.transferred();
    if (previous) this.hooks.callEnded(previous, callId);
    return this.requireOpen(callId, 'transfer').call;
  }

  /**
   * The agent's wrap-up for a call arrived: their slot is free again, and the
   * call is complete if it was theirs. A wrap-up for a call this server never
   * routed (or already completed) changes nothing here.
   */
  wrappedUp(agentId: string, callId: string): { meta: CallMeta | null; completed: boolean } {
    let open = this.open.get(callId);
    const meta = open ? { ...open.meta } : null;
    // Saved before the hang-up reached us: the wrap-up ends the call.
    if (open && open.call.agentId === agentId && open.call.state === 'connected') {
      this.end(callId);
      open = this.open.get(callId);
    }
    const info = this.engine.agent(agentId);
    if (info?.online && info.calls.some((slot) => slot.callId === callId && slot.phase === 'wrap_up')) {
      this.run([{ type: 'wrapUpDone', agentId, callId }], { agents: [agentId] }, 'timeout');
    }
    if (!open || open.call.agentId !== agentId || open.call.state !== 'wrap_up') return { meta, completed: false };
    this.patch(open, { state: 'completed', endedAt: open.call.endedAt ?? new Date(this.now()).toISOString() });
    this.open.delete(callId);
    this.remember(open);
    const outbound = this.outbound.get(agentId);
    if (outbound?.callId === callId) this.finishOutbound(agentId, outbound);
    this.hooks.changed();
    return { meta, completed: true };
  }

  /** Opens an outbound call for an agent who is free; inbound offers wait until it is wrapped up. */
  startOutbound(agentId: string, call: Call, meta: CallMeta): void {
    // An inbound call staged for this agent in the same turn comes first.
    this.flush();
    const info = this.engine.agent(agentId);
    if (!info?.online) throw new ServiceError('out_of_order', `outreach: agent "${agentId}" is not logged in to routing`);
    if (this.outbound.has(agentId)) throw new ServiceError('out_of_order', `outreach: agent "${agentId}" is already on an outbound call`);
    if (info.presence !== 'available') throw new ServiceError('out_of_order', `outreach: agent "${agentId}" is ${info.presence}; inbound calls come first`);
    if (this.open.has(call.id)) throw new ServiceError('duplicate_call', `call "${call.id}" was already received`);
    this.open.set(call.id, { call, meta: { ...meta, tracked: false, heldBy: [agentId] } });
    this.hooks.persist(call);
    this.outbound.set(agentId, { callId: call.id, resume: info.availability, since: this.now() });
    this.run([{ type: 'agentPresence', agentId, presence: 'away' }], { agents: [agentId] }, 'timeout');
  }

  call(callId: string): Call | undefined {
    return this.open.get(callId)?.call;
  }

  /** Every call not yet completed or abandoned (queued, offered, connected, in wrap-up). */
  openCalls(): Call[] {
    return [...this.open.values()].map((o) => o.call);
  }

  meta(callId: string): CallMeta | undefined {
    return this.open.get(callId)?.meta;
  }

  /**
   * Who may wrap a call up (the agents it was offered to or held by) and whose
   * call it is (its customer, or the candidates an agent may pick from), for a
   * call open now or closed lately; undefined when the router no longer has it.
   */
  callParties(callId: string): CallParties | undefined {
    const open = this.open.get(callId);
    return open ? partiesOf(open) : this.closed.get(callId);
  }

  private remember(open: OpenCall): void {
    this.closed.set(open.call.id, partiesOf(open));
    if (this.closed.size > RECENT_CLOSED_CALLS) {
      const oldest = this.closed.keys().next().value;
      if (oldest !== undefined) this.closed.delete(oldest);
    }
  }

  /** The offer the agent holds now (for a desktop that connects while it stands). */
  offerFor(agentId: string): CallOffer | null {
    for (const callId of this.offersByAgent.get(agentId) ?? []) {
      const info = this.engine.call(callId);
      const open = this.open.get(callId);
      if (open && info?.phase === 'reserved' && info.deadline !== null) return { call: open.call, reservationDeadline: info.deadline, match: open.meta.match, ...(open.meta.offerDecision ? { offerDecision: open.meta.offerDecision } : {}) };
    }
    return null;
  }

  /** Waiting calls in the order they will be served, then calls on offer. */
  queue(): Call[] {
    const waiting: Call[] = [];
    for (const info of this.engine.waitingCalls()) {
      const open = this.open.get(info.id);
      if (open) waiting.push(open.call);
    }
    const offered = [...this.open.values()].filter((o) => o.call.state === 'offered').map((o) => o.call);
    return [...waiting, ...offered];
  }

  /** The agent's current call (live, offered or in wrap-up), newest first. */
  currentCallOf(agentId: string): string | null {
    const outbound = this.outbound.get(agentId);
    if (outbound) return outbound.callId;
    const slots = this.engine.agent(agentId)?.calls ?? [];
    return slots.length > 0 ? (slots[slots.length - 1]?.callId ?? null) : null;
  }

  // ---- persistence -------------------------------------------------------------

  persistentState(): RouterPersistentState {
    return {
      engine: this.engine.snapshot(),
      // Copies: the state is written out over several turns of the event loop (json-in-slices.ts), and a meta's
      // fields change in place (answered, the offer chosen) while the engine's snapshot stays as it was taken.
      calls: Object.fromEntries([...this.open].map(([id, open]) => [id, { ...open.meta }])),
      parked: Object.fromEntries(this.parked),
      outbound: Object.fromEntries([...this.outbound].map(([id, state]) => [id, { ...state }])),
      capacities: Object.fromEntries(this.capacities),
    };
  }

  /**
   * Rebuilds after a restart from the saved state and the store's open calls.
   * The store is written on every change and the state document a moment
   * later, so after a crash the store may be ahead: a call the store has
   * further along (answered, ended) is taken out of the engine and followed
   * here, and a call the engine does not know is queued again. Nobody's
   * desktop is connected yet, so agents are logged out, except those on a
   * live call, who wait for their desktop "parked".
   */
  restore(
    saved: { engine: unknown; calls: Record<string, CallMeta>; parked: Record<string, 'available' | 'away'>; outbound: Record<string, OutboundState>; capacities: Record<string, number> } | null,
    storeOpen: readonly Call[],
    metaFor: (call: Call) => CallMeta,
    warn: (message: string) => void,
    /** A cluster's new authority: agents stay as saved (their desktops are connected elsewhere) until told otherwise. */
    options: { keepAgentsOnline?: boolean } = {},
  ): void {
    if (saved) {
      try {
        this.engine.restore(saved.engine);
      } catch (error) {
        // Starting empty would soon write the empty state over the learnt statistics: stop instead.
        throw new Error(`The saved routing state could not be restored (${error instanceof Error ? error.message : String(error)}); not starting, so that it is not overwritten`, { cause: error });
      }
      for (const [id, capacity] of Object.entries(saved.capacities)) this.capacities.set(id, capacity);
    }
    const now = this.now();
    const metas = saved?.calls ?? {};
    const stored = new Map(storeOpen.map((call) => [call.id, call]));
    const events: RoutingEventInput[] = [];
    const touched: string[] = [];

    for (const active of this.engine.snapshot().calls) {
      const record = stored.get(active.id);
      stored.delete(active.id);
      const engineState = stateOfPhase(active.phase);
      if (!record || STATE_RANK[record.state] > STATE_RANK[engineState]) {
        events.push(active.phase === 'connected' || active.phase === 'accepted' ? { type: 'callEnded', callId: active.id } : { type: 'callAbandoned', callId: active.id });
        if (record) this.open.set(record.id, { call: record, meta: { ...(metas[record.id] ?? metaFor(record)), tracked: false } });
        continue;
      }
      // The store's last offer went to someone the saved engine does not hold it for (made after the save): withdrawn.
      if (record.state === 'offered' && record.agentId && !(active.phase === 'reserved' && active.agentId === record.agentId)) {
        this.hooks.revoke(record.agentId, record.id, 'timeout');
      }
      this.open.set(active.id, { call: record, meta: { ...(metas[active.id] ?? metaFor(record)), tracked: true } });
      touched.push(active.id);
    }
    for (const record of stored.values()) {
      const meta = metas[record.id] ?? metaFor(record);
      const done = this.engine.call(record.id);
      if (done && (done.phase === 'ended' || done.phase === 'abandoned')) {
        if (done.phase === 'abandoned') this.hooks.persist({ ...record, state: 'abandoned', endedAt: record.endedAt ?? new Date(now).toISOString() });
        else this.open.set(record.id, { call: { ...record, state: 'wrap_up', agentId: done.agentId, endedAt: record.endedAt ?? new Date(now).toISOString() }, meta: { ...meta, tracked: false } });
        continue;
      }
      if (meta.kind === 'inbound' && (record.state === 'queued' || record.state === 'offered')) {
        // An offer the engine no longer holds (made after its last save) is withdrawn before the call is offered again.
        if (record.state === 'offered' && record.agentId) this.hooks.revoke(record.agentId, record.id, 'timeout');
        this.open.set(record.id, { call: { ...record, state: 'queued', agentId: null }, meta: { ...meta, tracked: true } });
        events.push({
          type: 'callArrived', callId: record.id, language: meta.language, intent: record.intent, requiredSkills: meta.requiredSkills,
          customerId: record.customerId ?? '', segment: meta.segment, churnRisk: meta.churnRisk, clv: meta.clv, valueAtRisk: meta.valueAtRisk, arrivedAt: meta.arrivedAt,
        });
        touched.push(record.id);
        continue;
      }
      this.open.set(record.id, { call: record, meta: { ...meta, tracked: false } });
    }
    for (const [agentId, state] of Object.entries(saved?.outbound ?? {})) {
      if (this.open.get(state.callId)) this.outbound.set(agentId, { ...state });
    }
    const decisions: Reservation[] = [];
    const applyAll = (batch: RoutingEventInput[]): void => {
      const result = this.engine.applyBatch(batch, now);
      decisions.push(...result.decisions);
      for (const { index, error } of result.errors) warn(`restore: ${JSON.stringify(batch[index])} refused: ${error.message}`);
    };
    applyAll(events);

    const agentEvents: RoutingEventInput[] = [];
    for (const agent of this.engine.snapshot().agents) {
      if (!agent.online || options.keepAgentsOnline) continue;
      const live = agent.slots.some((slot) => slot.phase === 'accepted' || slot.phase === 'connected');
      if (live) {
        this.parked.set(agent.id, saved?.parked[agent.id] ?? agent.availability);
        if (agent.availability === 'available') agentEvents.push({ type: 'agentPresence', agentId: agent.id, presence: 'away' });
      } else {
        agentEvents.push({ type: 'agentLogout', agentId: agent.id });
      }
    }
    applyAll(agentEvents);
    const rebalanced = this.engine.rebalance(now);
    this.sync([...decisions, ...rebalanced.decisions], { calls: [...this.open.keys(), ...touched] }, 'timeout');
    // Reservations the engine still holds (none unless an agent stayed online) get their timers back.
    for (const reservation of this.engine.reservations()) {
      if (!this.offers.has(reservation.callId)) this.holdOffer(reservation.callId, reservation.agentId, reservation.deadline);
    }
  }

  stop(): void {
    this.stopped = true;
    this.pendingFlush?.cancel();
    this.pendingFlush = null;
    for (const offer of this.offers.values()) clearTimeout(offer.timer);
    this.offers.clear();
    this.offersByAgent.clear();
  }

  // ---- the reconciliation ------------------------------------------------------

  /**
   * Stages engine events in order (each is checked, and a refused one throws
   * with the engine unchanged by it); whatever they did, even if a later one
   * is refused, is reconciled before the refusal is passed on. Routing them
   * waits for the flush, so everything staged in this turn is assigned together.
   */
  private run(events: RoutingEventInput[], touch: { calls?: string[]; agents?: string[] }, reason: RevokeReason): void {
    try {
      for (const event of events) this.engine.stage(event, this.now());
    } finally {
      this.sync([], touch, reason, true);
      this.scheduleFlush();
    }
  }

  private scheduleFlush(): void {
    if (this.pendingFlush !== null || this.stopped) return;
    if (!this.engine.hasStaged() && this.pendingAgents.size === 0) return;
    const fire = (): void => {
      this.pendingFlush = null;
      this.flush();
    };
    if (this.coalesceMs > 0) {
      const timer = setTimeout(fire, this.coalesceMs);
      this.pendingFlush = { cancel: () => clearTimeout(timer) };
    } else {
      const immediate = setImmediate(fire);
      this.pendingFlush = { cancel: () => clearImmediate(immediate) };
    }
  }

  /** Routes everything staged, jointly, and tells desktops the offers and presence that follow. */
  flush(): void {
    this.pendingFlush?.cancel();
    this.pendingFlush = null;
    if (this.stopped || (!this.engine.hasStaged() && this.pendingAgents.size === 0)) return;
    const agents = [...this.pendingAgents];
    this.pendingAgents.clear();
    const { decisions } = this.engine.flush(this.now());
    this.metrics.routed(decisions.length);
    this.sync(decisions, { agents }, 'timeout');
  }

  private sync(decisions: readonly Reservation[], touch: { calls?: string[]; agents?: string[] }, reason: RevokeReason, deferPresence = false): void {
    const calls = new Set(touch.calls ?? []);
    const agents = new Set(touch.agents ?? []);
    for (const agentId of touch.agents ?? []) for (const callId of this.offersByAgent.get(agentId) ?? []) calls.add(callId);
    for (const decision of decisions) {
      calls.add(decision.callId);
      agents.add(decision.agentId);
    }
    for (const callId of calls) this.reconcile(callId, reason, agents);
    for (const decision of decisions) this.offerCall(decision);
    if (deferPresence) for (const agentId of agents) this.pendingAgents.add(agentId);
    else for (const agentId of agents) this.emitPresence(agentId);
    this.hooks.changed();
  }

  private reconcile(callId: string, reason: RevokeReason, agents: Set<string>): void {
    const info = this.engine.call(callId);
    const held = this.offers.get(callId);
    if (held && !(info?.phase === 'reserved' && info.agentId === held.agentId)) {
      this.releaseOffer(callId, held);
      agents.add(held.agentId);
      const answered = info !== undefined && (info.phase === 'accepted' || info.phase === 'connected') && info.agentId === held.agentId;
      if (!answered) this.hooks.revoke(held.agentId, callId, info?.phase === 'abandoned' ? 'abandoned' : reason);
    }
    const open = this.open.get(callId);
    if (!open || !open.meta.tracked || !info) return;
    if (info.agentId) agents.add(info.agentId);
    const state = stateOfPhase(info.phase);
    const now = new Date(this.now()).toISOString();
    const patch: Partial<Call> = {};
    if (state !== open.call.state) patch.state = state;
    const agentId = state === 'queued' ? null : info.agentId;
    if (agentId !== open.call.agentId && !(state === 'abandoned' && agentId === null)) patch.agentId = agentId;
    if (state === 'connected' && open.call.answeredAt === null) patch.answeredAt = now;
    if ((state === 'wrap_up' || state === 'abandoned') && open.call.endedAt === null) patch.endedAt = now;
    if (Object.keys(patch).length > 0) this.patch(open, patch);
    if (state === 'abandoned') {
      this.open.delete(callId);
      this.remember(open);
      this.metrics.abandonedCall(this.now() - open.meta.arrivedAt);
    }
  }

  private offerCall(decision: Reservation): void {
    const open = this.open.get(decision.callId);
    if (!open || this.stopped) return;
    // Only a reservation that still stands (a later event of the same batch may have withdrawn it).
    const info = this.engine.call(decision.callId);
    if (info?.phase !== 'reserved' || info.agentId !== decision.agentId || this.offers.has(decision.callId)) return;
    this.holdOffer(decision.callId, decision.agentId, decision.deadline);
    this.hooks.reserved(decision.agentId);
    this.metrics.offered(decision.arm);
    if (open.meta.arm !== decision.arm) open.meta = { ...open.meta, arm: decision.arm };
    if (!open.meta.heldBy?.includes(decision.agentId)) open.meta = { ...open.meta, heldBy: [...(open.meta.heldBy ?? []), decision.agentId] };
    this.hooks.offer(decision.agentId, {
      call: open.call,
      reservationDeadline: decision.deadline,
      match: open.meta.match,
      offeredAt: performance.timeOrigin + performance.now(),
      ...(open.meta.offerDecision ? { offerDecision: open.meta.offerDecision } : {}),
    });
  }

  private holdOffer(callId: string, agentId: string, deadline: number): void {
    const timer = setTimeout(() => this.expire(callId, agentId), Math.max(0, deadline - this.now()));
    timer.unref?.();
    this.offers.set(callId, { agentId, timer });
    let set = this.offersByAgent.get(agentId);
    if (!set) {
      set = new Set();
      this.offersByAgent.set(agentId, set);
    }
    set.add(callId);
  }

  private releaseOffer(callId: string, held: HeldOffer): void {
    clearTimeout(held.timer);
    this.offers.delete(callId);
    const set = this.offersByAgent.get(held.agentId);
    set?.delete(callId);
    if (set?.size === 0) this.offersByAgent.delete(held.agentId);
  }

  private expire(callId: string, agentId: string): void {
    if (this.stopped || this.offers.get(callId)?.agentId !== agentId) return;
    try {
      this.run([{ type: 'reservationExpired', callId, agentId }], { calls: [callId], agents: [agentId] }, 'timeout');
    } catch (error) {
      // Accepted or withdrawn meanwhile: nothing lapsed (run reconciled what is there).
      if (isRoutingError(error)) return;
      throw error;
    }
    this.metrics.timedOut();
  }

  private emitPresence(agentId: string): void {
    const { presence, since } = this.presenceOf(agentId);
    const last = this.lastPresence.get(agentId) ?? 'offline';
    if (last === presence) return;
    if (presence === 'offline') this.lastPresence.delete(agentId);
    else this.lastPresence.set(agentId, presence);
    this.hooks.presenceChanged(agentId, presence, since);
    this.hooks.presence(agentId, presence);
  }

  private patch(open: OpenCall, patch: Partial<Call>): Call {
    open.call = { ...open.call, ...patch };
    this.hooks.persist(open.call);
    return open.call;
  }

  private finishOutbound(agentId: string, outbound: OutboundState): void {
    this.outbound.delete(agentId);
    const info = this.engine.agent(agentId);
    if (info?.online && outbound.resume === 'available' && !this.parked.has(agentId)) {
      this.run([{ type: 'agentPresence', agentId, presence: 'available' }], { agents: [agentId] }, 'timeout');
    } else {
      this.emitPresence(agentId);
    }
  }

  /** A parked agent (desktop gone) whose live call ended is logged out. */
  private releaseParkedIfIdle(agentId: string): void {
    if (!this.parked.has(agentId)) return;
    const info = this.engine.agent(agentId);
    if (info?.online && hasLiveCall(info)) return;
    this.parked.delete(agentId);
    if (info?.online) this.run([{ type: 'agentLogout', agentId }], { agents: [agentId] }, 'timeout');
  }

  private requireOpen(callId: string, action: string): OpenCall {
    const open = this.open.get(callId);
    if (open) return open;
    const done: CallInfo | undefined = this.engine.call(callId);
    if (done) throw new ServiceError('out_of_order', `${action}: call "${callId}" already ${done.phase === 'ended' ? 'ended' : done.phase}`);
    throw new ServiceError('unknown_call', `${action}: unknown call "${callId}"`);
  }
}

/** Who a call belongs to, for checking the wrap-ups sent for it. */
export interface CallParties {
  agents: ReadonlySet<string>;
  customerId: string | null;
  /** Customers the server matched an unidentified caller to: the ones an agent may pick. */
  candidates: readonly string[];
}

/** Calls closed lately whose parties are kept in memory (older ones are read from the store's call record). */
const RECENT_CLOSED_CALLS = 10_000;

function partiesOf(open: OpenCall): CallParties {
  const agents = new Set(open.meta.heldBy ?? []);
  if (open.call.agentId) agents.add(open.call.agentId);
  return { agents, customerId: open.call.customerId, candidates: open.meta.match.candidates.map((c) => c.customerId) };
}

function languagesOf(agent: Agent): Partial<Record<Language, number>> {
  const languages: Partial<Record<Language, number>> = {};
  for (const { code, proficiency } of agent.languages) languages[code] = Math.max(languages[code] ?? 0, proficiency);
  return languages;
}

function hasLiveCall(info: AgentInfo): boolean {
  return info.calls.some((slot) => slot.phase === 'accepted' || slot.phase === 'connected');
}

function stateOfPhase(phase: CallPhase): CallState {
  switch (phase) {
    case 'waiting':
      return 'queued';
    case 'reserved':
      return 'offered';
    case 'accepted':
    case 'connected':
      return 'connected';
    case 'ended':
      return 'wrap_up';
    case 'abandoned':
      return 'abandoned';
  }
}
