import type { Language } from '@shared/domain/language';
import { assignArm } from './arms';
import { type QueueConfig, type RouterConfig, type RouterConfigInput, routerConfigSchema } from './config';
import { isEligible } from './eligibility';
import { RoutingError } from './errors';
import { describeIssues, type Outcome, outcomeSchema, type RoutingEvent, type RoutingEventInput, routingEventSchema } from './events';
import { FreeAgentIndex, WaitingCallIndex } from './indexes';
import { type Estimate, OutcomeStats } from './learning';
import { Matcher } from './matching';
import { builtInPolicies } from './policies';
import { decayOccupancy, isHighRisk } from './policies/guards';
import type { MatchPolicy } from './policies/types';
import { priorityAt, priorityKey } from './priority';
import { type RouterSnapshot, routerSnapshotSchema } from './snapshot';
import {
  type AgentPresence,
  type AgentSlot,
  type AgentState,
  type Arm,
  type CallPhase,
  type CallState,
  type CompletedCall,
  type SlotPhase,
  derivePresence,
  isRoutable,
} from './state';

/**
 * The routing engine: an in-memory, event-driven state machine.
 *
 * Pure and deterministic: no timers, no clock, no I/O. The server passes each
 * event with the current time `now` (ms); the engine returns the reservations
 * it made ("offer call C to agent A until deadline D"). The server schedules
 * a reservationExpired event at each deadline, and feeds back accept, reject,
 * connect, end, wrap-up, abandon and transfer as they happen.
 *
 * Every event is validated (zod) and checked against the state before
 * anything changes, so a refused event throws a RoutingError and leaves the
 * state exactly as it was. Time never runs backwards: a `now` earlier than the
 * last one is treated as the last one (clock adjustments must not reorder
 * queue priority).
 *
 * After each event the engine routes what the event touched (calls that
 * became waiting, agents that became free), jointly when several are touched
 * at once (matching.ts). Routing is work-conserving: no call is left waiting
 * while a free agent is eligible for it.
 */
export interface Reservation {
  callId: string;
  agentId: string;
  /** When the offer lapses; the server fires reservationExpired then. */
  deadline: number;
  arm: Arm;
  /** Policy that chose this agent. */
  policy: string;
  queue: string;
  /** The pair score in priority points (for audit and tuning). */
  score: number;
}

export interface ApplyResult {
  decisions: Reservation[];
}

export interface BatchResult extends ApplyResult {
  /** Events refused (each one atomically; the rest of the batch still applied). */
  errors: Array<{ index: number; error: RoutingError }>;
}

export type TryApplyResult = { ok: true; decisions: Reservation[] } | { ok: false; error: RoutingError };

export interface AgentInfo {
  id: string;
  presence: AgentPresence;
  presenceSince: number;
  availability: 'available' | 'away';
  online: boolean;
  languages: Partial<Record<Language, number>>;
  skills: string[];
  capacity: number;
  calls: AgentSlot[];
  readySince: number;
  /** Recent occupancy as of the last event. */
  occupancy: number;
  consecutiveHighRisk: number;
}

export interface CallInfo {
  id: string;
  phase: CallPhase;
  agentId: string | null;
  deadline: number | null;
  arm: Arm;
  queue: string;
  language: Language | null;
  segment: string | null;
  requiredSkills: string[];
  arrivedAt: number | null;
  valueAtRisk: number | null;
  churnRisk: number | null;
  /** Priority points as of the last event (waiting calls only). */
  priority: number | null;
  offers: number;
  transfers: number;
  excluded: string[];
}

export interface QueueStats {
  agentsOnline: number;
  agentsFree: number;
  waiting: number;
  reserved: number;
  accepted: number;
  connected: number;
}

export interface Router {
  readonly config: RouterConfig;
  /** Applies one event at time `now` (ms). Throws RoutingError if refused; state is then unchanged. */
  apply(event: RoutingEventInput | unknown, now: number): ApplyResult;
  /** apply() without throwing. */
  tryApply(event: RoutingEventInput | unknown, now: number): TryApplyResult;
  /** Applies events in order, then routes everything they touched jointly. */
  applyBatch(events: ReadonlyArray<RoutingEventInput | unknown>, now: number): BatchResult;
  /**
   * Applies one event like apply() (throws, atomically, if refused) but does
   * not route: what it touched waits for the next flush() (or apply()), so
   * events that arrive together are assigned jointly, not greedily one by
   * one. Until then a waiting call may sit beside a free agent.
   */
  stage(event: RoutingEventInput | unknown, now: number): void;
  /** Whether staged events wait for a flush(). */
  hasStaged(): boolean;
  /** Routes everything staged since the last routing step, jointly. */
  flush(now: number): ApplyResult;
  /** Routes every waiting call and free agent jointly (after restore() or a config change). */
  rebalance(now: number): ApplyResult;
  /** Learning: one call's result for an agent in a segment. */
  recordOutcome(outcome: Outcome | unknown): void;
  /** Moves the saves counted for an earlier outcome by `delta` (its claim was verified since). */
  reviseOutcome(agentId: string, segment: string, delta: number): void;
  estimate(agentId: string, segment: string): Estimate;
  reservations(): Array<Pick<Reservation, 'callId' | 'agentId' | 'deadline' | 'arm' | 'queue'>>;
  agent(agentId: string): AgentInfo | undefined;
  call(callId: string): CallInfo | undefined;
  /** Waiting calls, highest priority first. */
  waitingCalls(): CallInfo[];
  /** Waiting calls this agent could take (an empty inbound queue for the blended outreach hook). */
  waitingEligibleFor(agentId: string): number;
  stats(): QueueStats;
  snapshot(): RouterSnapshot;
  /** Replaces the whole state with a snapshot. Throws RoutingError('invalid_snapshot') and keeps the old state if it is unusable. */
  restore(snapshot: unknown): void;
  /** Consistency checks (empty when sound). `workConservation` also checks no waiting call has an eligible free agent. */
  checkInvariants(options?: { workConservation?: boolean }): string[];
}

export type CreateRouterOptions = RouterConfigInput & {
  /** Extra matching policies, selectable by name in queue configs. */
  policies?: Record<string, MatchPolicy>;
};

export function createRouter(options: CreateRouterOptions = {}): Router {
  const { policies: extra, ...rest } = options;
  const parsed = routerConfigSchema.safeParse(rest);
  if (!parsed.success) throw new RoutingError('invalid_config', `router config: ${describeIssues(parsed.error)}`);
  const registry: Record<string, MatchPolicy> = { ...builtInPolicies, ...extra };
  const queues = [['defaultQueue', parsed.data.defaultQueue] as const, ...Object.entries(parsed.data.queues)];
  for (const [name, queue] of queues) {
    if (registry[queue.policy] === undefined) {
      throw new RoutingError('invalid_config', `queue "${name}" uses unknown policy "${queue.policy}" (known: ${Object.keys(registry).join(', ')})`);
    }
  }
  return new RouterEngine(parsed.data, registry);
}

interface EngineState {
  agents: Map<string, AgentState>;
  calls: Map<string, CallState>;
  completed: Map<string, CompletedCall>;
  /** Completed ids oldest first from completedHead: evicting through Map.keys().next() is O(deleted entries) in V8. */
  completedOrder: string[];
  completedHead: number;
  free: FreeAgentIndex;
  waiting: WaitingCallIndex;
  stats: OutcomeStats;
  seq: number;
  lastNow: number;
}

class RouterEngine implements Router {
  private state: EngineState;
  private matcher: Matcher;
  private readonly touchedCalls = new Set<CallState>();
  private readonly touchedAgents = new Set<AgentState>();

  constructor(
    readonly config: RouterConfig,
    private readonly policies: Record<string, MatchPolicy>,
  ) {
    this.state = this.emptyState();
    this.matcher = this.createMatcher(this.state);
  }

  // ---- public API -------------------------------------------------------

  // The touched sets are empty after every routing step; only stage() leaves them filled, and
  // apply()/applyBatch() then route what was staged too. handle() checks before it changes
  // anything, so a refused event adds nothing to them.
  apply(event: unknown, now: number): ApplyResult {
    const time = this.clock(now);
    const parsed = this.parse(event);
    this.handle(parsed, time);
    this.state.lastNow = time;
    const decisions: Reservation[] = [];
    this.route(time, decisions);
    return { decisions };
  }

  tryApply(event: unknown, now: number): TryApplyResult {
    try {
      return { ok: true, decisions: this.apply(event, now).decisions };
    } catch (error) {
      if (error instanceof RoutingError) return { ok: false, error };
      throw error;
    }
  }

  stage(event: unknown, now: number): void {
    const time = this.clock(now);
    this.handle(this.parse(event), time);
    this.state.lastNow = time;
  }

  hasStaged(): boolean {
    return this.touchedCalls.size > 0 || this.touchedAgents.size > 0;
  }

  flush(now: number): ApplyResult {
    const time = this.clock(now);
    this.state.lastNow = time;
    const decisions: Reservation[] = [];
    this.route(time, decisions);
    return { decisions };
  }

  applyBatch(events: readonly unknown[], now: number): BatchResult {
    const time = this.clock(now);
    const errors: BatchResult['errors'] = [];
    events.forEach((event, index) => {
      try {
        this.handle(this.parse(event), time);
      } catch (error) {
        if (error instanceof RoutingError) errors.push({ index, error });
        else throw error;
      }
    });
    this.state.lastNow = time;
    const decisions: Reservation[] = [];
    this.route(time, decisions);
    return { decisions, errors };
  }

  rebalance(now: number): ApplyResult {
    const time = this.clock(now);
    for (const call of this.state.waiting.calls()) this.touchedCalls.add(call);
    for (const agent of this.state.free.agents()) this.touchedAgents.add(agent);
    this.state.lastNow = time;
    const decisions: Reservation[] = [];
    this.route(time, decisions);
    return { decisions };
  }

  recordOutcome(outcome: unknown): void {
    const parsed = outcomeSchema.safeParse(outcome);
    if (!parsed.success) throw new RoutingError('invalid_event', `recordOutcome: ${describeIssues(parsed.error)}`);
    this.state.stats.record(parsed.data.agentId, parsed.data.segment, parsed.data.saved);
  }

  reviseOutcome(agentId: string, segment: string, delta: number): void {
    this.state.stats.revise(agentId, segment, delta);
  }

  estimate(agentId: string, segment: string): Estimate {
    return this.state.stats.estimate(agentId, segment);
  }

  reservations(): Array<Pick<Reservation, 'callId' | 'agentId' | 'deadline' | 'arm' | 'queue'>> {
    const out: Array<Pick<Reservation, 'callId' | 'agentId' | 'deadline' | 'arm' | 'queue'>> = [];
    for (const call of this.state.calls.values()) {
      if (call.phase === 'reserved' && call.agentId !== null && call.deadline !== null) {
        out.push({ callId: call.id, agentId: call.agentId, deadline: call.deadline, arm: call.arm, queue: call.queue });
      }
    }
    return out;
  }

  agent(agentId: string): AgentInfo | undefined {
    const agent = this.state.agents.get(agentId);
    if (agent === undefined) return undefined;
    return {
      id: agent.id,
      presence: agent.presence,
      presenceSince: agent.presenceSince,
      availability: agent.availability,
      online: agent.online,
      languages: { ...agent.languages },
      skills: [...agent.skills],
      capacity: agent.capacity,
      calls: agent.slots.map((slot) => ({ ...slot })),
      readySince: agent.readySince,
      occupancy: decayOccupancy(agent.occupancy, agent.slots.length > 0, this.state.lastNow - agent.occupancyAt, this.config.occupancyWindowMs),
      consecutiveHighRisk: agent.consecutiveHighRisk,
    };
  }

  call(callId: string): CallInfo | undefined {
    const call = this.state.calls.get(callId);
    if (call !== undefined) return this.callInfo(call);
    const done = this.state.completed.get(callId);
    if (done === undefined) return undefined;
    return {
      id: done.callId,
      phase: done.phase,
      agentId: done.agentId,
      deadline: null,
      arm: done.arm,
      queue: done.queue,
      language: null,
      segment: null,
      requiredSkills: [],
      arrivedAt: null,
      valueAtRisk: null,
      churnRisk: null,
      priority: null,
      offers: 0,
      transfers: 0,
      excluded: [],
    };
  }

  waitingCalls(): CallInfo[] {
    return [...this.state.waiting.calls()]
      .map((call) => this.callInfo(call))
      .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
  }

  waitingEligibleFor(agentId: string): number {
    const agent = this.state.agents.get(agentId);
    if (agent === undefined || !agent.online) return 0;
    let count = 0;
    for (const language of agent.languageList) {
      const proficiency = agent.languages[language] ?? 0;
      for (const group of this.state.waiting.groupsFor(language)) {
        if (proficiency < group.minProficiency) continue;
        for (const bucket of group.buckets) {
          if (!bucket.requiredSkills.every((skill) => agent.skills.has(skill))) continue;
          for (const call of bucket.calls) if (!call.excluded.has(agent.id)) count++;
        }
      }
    }
    return count;
  }

  stats(): QueueStats {
    const stats: QueueStats = { agentsOnline: 0, agentsFree: this.state.free.size, waiting: this.state.waiting.size, reserved: 0, accepted: 0, connected: 0 };
    for (const agent of this.state.agents.values()) if (agent.online) stats.agentsOnline++;
    for (const call of this.state.calls.values()) {
      if (call.phase === 'reserved') stats.reserved++;
      else if (call.phase === 'accepted') stats.accepted++;
      else if (call.phase === 'connected') stats.connected++;
    }
    return stats;
  }

  snapshot(): RouterSnapshot {
    const s = this.state;
    return {
      format: 'holdfast-router',
      version: 1,
      lastNow: s.lastNow,
      seq: s.seq,
      agents: [...s.agents.values()].map((agent) => ({
        id: agent.id,
        languages: { ...agent.languages },
        skills: [...agent.skills],
        capacity: agent.capacity,
        online: agent.online,
        availability: agent.availability,
        presence: agent.presence,
        presenceSince: agent.presenceSince,
        readySince: agent.readySince,
        readySeq: agent.readySeq,
        slots: agent.slots.map((slot) => ({ ...slot })),
        occupancy: agent.occupancy,
        occupancyAt: agent.occupancyAt,
        consecutiveHighRisk: agent.consecutiveHighRisk,
      })),
      calls: [...s.calls.values()].map((call) => ({
        id: call.id,
        language: call.language,
        intent: call.intent,
        requiredSkills: [...call.requiredSkills],
        customerId: call.customerId,
        segment: call.segment,
        churnRisk: call.churnRisk,
        clv: call.clv,
        valueAtRisk: call.valueAtRisk,
        arrivedAt: call.arrivedAt,
        queue: call.queue,
        arm: call.arm,
        phase: call.phase as 'waiting' | 'reserved' | 'accepted' | 'connected',
        phaseSince: call.phaseSince,
        agentId: call.agentId,
        deadline: call.deadline,
        excluded: [...call.excluded],
        enqueueSeq: call.enqueueSeq,
        offers: call.offers,
        transfers: call.transfers,
      })),
      completed: [...s.completed.values()].map((done) => ({ ...done })),
      stats: s.stats.snapshot(),
    };
  }

  restore(snapshot: unknown): void {
    const parsed = routerSnapshotSchema.safeParse(snapshot);
    if (!parsed.success) throw new RoutingError('invalid_snapshot', `snapshot: ${describeIssues(parsed.error)}`);
    const data = parsed.data;
    const next = this.emptyState();
    next.seq = data.seq;
    next.lastNow = data.lastNow;
    next.stats = OutcomeStats.restore(data.stats, this.config.learning);
    for (const a of data.agents) {
      if (next.agents.has(a.id)) throw new RoutingError('invalid_snapshot', `snapshot: agent "${a.id}" appears twice`);
      next.agents.set(a.id, { ...a, languages: { ...a.languages }, languageList: Object.keys(a.languages) as Language[], skills: new Set(a.skills), slots: a.slots.map((slot) => ({ ...slot })), inFreeIndex: false });
    }
    for (const c of data.calls) {
      if (next.calls.has(c.id)) throw new RoutingError('invalid_snapshot', `snapshot: call "${c.id}" appears twice`);
      const call: CallState = { ...c, requiredSkills: [...c.requiredSkills], excluded: c.excluded.length > 0 ? new Set(c.excluded) : NO_EXCLUSIONS, priorityKey: 0, bucketKey: null };
      call.priorityKey = priorityKey(call, this.queueConfig(call.queue).priority);
      next.calls.set(c.id, call);
    }
    for (const done of data.completed) {
      next.completed.set(done.callId, { ...done });
      next.completedOrder.push(done.callId);
    }
    // Rebuild indexes in the order they were built originally.
    for (const agent of [...next.agents.values()].filter(isRoutable).sort((x, y) => x.readySeq - y.readySeq)) {
      next.free.add(agent);
      agent.inFreeIndex = true;
    }
    for (const call of [...next.calls.values()].filter((c) => c.phase === 'waiting').sort((x, y) => x.enqueueSeq - y.enqueueSeq)) {
      next.waiting.add(call, this.queueConfig(call.queue).minProficiency);
    }
    const problems = checkState(next, this, false);
    if (problems.length > 0) throw new RoutingError('invalid_snapshot', `snapshot is inconsistent: ${problems.slice(0, 3).join('; ')}`);
    this.state = next;
    this.matcher = this.createMatcher(next);
    // Staged work refers to the replaced state's objects; rebalance() routes the restored one.
    this.touchedCalls.clear();
    this.touchedAgents.clear();
  }

  checkInvariants(options: { workConservation?: boolean } = {}): string[] {
    return checkState(this.state, this, options.workConservation ?? false);
  }

  // ---- configuration ------------------------------------------------------

  queueConfig(queue: string): QueueConfig {
    return this.config.queues[queue] ?? this.config.defaultQueue;
  }

  isEligible(call: CallState, agent: AgentState): boolean {
    return isEligible(call, agent, this.queueConfig(call.queue).minProficiency, call.excluded);
  }

  private policyFor(queue: QueueConfig): MatchPolicy {
    return this.policies[queue.policy] as MatchPolicy;
  }

  private resolveQueue(queue: string | undefined, intent: string): string {
    if (queue !== undefined) return queue;
    return this.config.queues[intent] !== undefined ? intent : 'default';
  }

  private emptyState(): EngineState {
    return {
      agents: new Map(),
      calls: new Map(),
      completed: new Map(),
      completedOrder: [],
      completedHead: 0,
      free: new FreeAgentIndex(),
      waiting: new WaitingCallIndex(),
      stats: new OutcomeStats(this.config.learning),
      seq: 0,
      lastNow: 0,
    };
  }

  private createMatcher(state: EngineState): Matcher {
    return new Matcher({
      config: this.config,
      free: state.free,
      waiting: state.waiting,
      stats: state.stats,
      queueConfig: (queue) => this.queueConfig(queue),
      policyFor: (queue) => this.policyFor(queue),
    });
  }

  private clock(now: number): number {
    if (typeof now !== 'number' || !Number.isFinite(now)) throw new RoutingError('invalid_event', `now must be a finite number of ms, got ${String(now)}`);
    return Math.max(now, this.state.lastNow);
  }

  private parse(event: unknown): RoutingEvent {
    const parsed = routingEventSchema.safeParse(event);
    if (!parsed.success) {
      const type = typeof event === 'object' && event !== null && 'type' in event ? String((event as { type: unknown }).type) : '(no type)';
      throw new RoutingError('invalid_event', `malformed ${type} event: ${describeIssues(parsed.error)}`);
    }
    return parsed.data;
  }

  // ---- event handlers: every check happens before the first change ---------

  private handle(event: RoutingEvent, now: number): void {
    switch (event.type) {
      case 'agentLogin':
        return this.onLogin(event, now);
      case 'agentLogout':
        return this.onLogout(event.agentId, now);
      case 'agentPresence':
        return this.onPresence(event.agentId, event.presence, now);
      case 'callArrived':
        return this.onArrived(event, now);
      case 'offerAccepted':
        return this.onAccepted(event.callId, event.agentId, now);
      case 'offerRejected':
        return this.onDeclined(event.callId, event.agentId, 'offerRejected', now);
      case 'reservationExpired':
        return this.onDeclined(event.callId, event.agentId, 'reservationExpired', now);
      case 'callConnected':
        return this.onConnected(event.callId, event.agentId, now);
      case 'connectFailed':
        return this.onConnectFailed(event.callId, event.agentId, now);
      case 'callEnded':
        return this.onEnded(event.callId, event.agentId, now);
      case 'wrapUpDone':
        return this.onWrapUpDone(event.agentId, event.callId, now);
      case 'callAbandoned':
        return this.onAbandoned(event.callId, now);
      case 'callTransferred':
        return this.onTransferred(event, now);
    }
  }

  private onLogin(event: Extract<RoutingEvent, { type: 'agentLogin' }>, now: number): void {
    const existing = this.state.agents.get(event.agentId);
    if (existing?.online) throw new RoutingError('duplicate_agent', `agentLogin: agent "${event.agentId}" is already logged in`);
    const agent: AgentState = {
      id: event.agentId,
      languages: { ...event.languages },
      languageList: Object.keys(event.languages) as Language[],
      skills: new Set(event.skills),
      capacity: event.capacity,
      online: true,
      availability: event.presence,
      presence: 'offline',
      presenceSince: now,
      readySince: now,
      readySeq: 0,
      slots: [],
      occupancy: existing ? decayOccupancy(existing.occupancy, false, now - existing.occupancyAt, this.config.occupancyWindowMs) : 0,
      occupancyAt: now,
      consecutiveHighRisk: existing?.consecutiveHighRisk ?? 0,
      inFreeIndex: false,
    };
    this.state.agents.set(agent.id, agent);
    this.finishAgentChange(agent, now, true);
  }

  private onLogout(agentId: string, now: number): void {
    const agent = this.requireOnlineAgent(agentId, 'agentLogout');
    const busy = agent.slots.find((slot) => slot.phase === 'accepted' || slot.phase === 'connected');
    if (busy) throw new RoutingError('agent_busy', `agentLogout: agent "${agentId}" is on call "${busy.callId}" (${busy.phase}); end or transfer it first`);
    this.startAgentChange(agent, now);
    this.releaseReservations(agent, now);
    agent.slots = [];
    agent.online = false;
    this.finishAgentChange(agent, now, false);
  }

  private onPresence(agentId: string, presence: 'available' | 'away', now: number): void {
    const agent = this.requireOnlineAgent(agentId, 'agentPresence');
    this.startAgentChange(agent, now);
    agent.availability = presence;
    if (presence === 'away') this.releaseReservations(agent, now);
    this.finishAgentChange(agent, now, presence === 'available');
  }

  private onArrived(event: Extract<RoutingEvent, { type: 'callArrived' }>, now: number): void {
    if (this.state.calls.has(event.callId) || this.state.completed.has(event.callId)) {
      throw new RoutingError('duplicate_call', `callArrived: call "${event.callId}" was already received`);
    }
    const queue = this.resolveQueue(event.queue, event.intent);
    const call: CallState = {
      id: event.callId,
      language: event.language,
      intent: event.intent,
      requiredSkills: [...new Set(event.requiredSkills)],
      customerId: event.customerId,
      segment: event.segment,
      churnRisk: event.churnRisk,
      clv: event.clv,
      valueAtRisk: event.valueAtRisk,
      arrivedAt: event.arrivedAt,
      queue,
      arm: assignArm(this.config.armSeed, event.callId, this.queueConfig(queue).baselineShare),
      phase: 'waiting',
      phaseSince: now,
      agentId: null,
      deadline: null,
      excluded: NO_EXCLUSIONS,
      enqueueSeq: 0,
      priorityKey: 0,
      offers: 0,
      transfers: 0,
      bucketKey: null,
    };
    this.state.calls.set(call.id, call);
    this.enqueue(call, now);
  }

  private onAccepted(callId: string, agentId: string, now: number): void {
    const call = this.requireCall(callId, 'offerAccepted');
    const agent = this.requireAgent(agentId, 'offerAccepted');
    this.requirePhase(call, 'reserved', agentId, 'offerAccepted');
    this.startAgentChange(agent, now);
    this.setCallPhase(call, 'accepted', now);
    call.deadline = null;
    this.setSlotPhase(agent, callId, 'accepted', now);
    this.finishAgentChange(agent, now, false);
  }

  private onDeclined(callId: string, agentId: string, kind: 'offerRejected' | 'reservationExpired', now: number): void {
    const call = this.requireCall(callId, kind);
    const agent = this.requireAgent(agentId, kind);
    this.requirePhase(call, 'reserved', agentId, kind);
    this.startAgentChange(agent, now);
    this.removeSlot(agent, callId);
    exclude(call, agentId);
    const after = kind === 'offerRejected' ? this.config.onReject : this.config.onExpire;
    if (after === 'away') agent.availability = 'away';
    this.enqueue(call, now);
    this.finishAgentChange(agent, now, true);
  }

  private onConnected(callId: string, agentId: string, now: number): void {
    const call = this.requireCall(callId, 'callConnected');
    const agent = this.requireAgent(agentId, 'callConnected');
    this.requirePhase(call, 'accepted', agentId, 'callConnected');
    this.startAgentChange(agent, now);
    this.setCallPhase(call, 'connected', now);
    this.setSlotPhase(agent, callId, 'connected', now);
    agent.consecutiveHighRisk = isHighRisk(call, this.queueConfig(call.queue).guard) ? agent.consecutiveHighRisk + 1 : 0;
    this.finishAgentChange(agent, now, false);
  }

  private onConnectFailed(callId: string, agentId: string, now: number): void {
    const call = this.requireCall(callId, 'connectFailed');
    const agent = this.requireAgent(agentId, 'connectFailed');
    this.requirePhase(call, 'accepted', agentId, 'connectFailed');
    this.startAgentChange(agent, now);
    this.removeSlot(agent, callId);
    exclude(call, agentId);
    if (this.config.onReject === 'away') agent.availability = 'away';
    this.enqueue(call, now);
    this.finishAgentChange(agent, now, true);
  }

  private onEnded(callId: string, agentId: string | undefined, now: number): void {
    const call = this.requireCall(callId, 'callEnded');
    if (call.phase !== 'connected' && call.phase !== 'accepted') {
      throw new RoutingError('out_of_order', `callEnded: call "${callId}" is not connected (it is ${describeCall(call)})`);
    }
    if (agentId !== undefined && agentId !== call.agentId) {
      throw new RoutingError('out_of_order', `callEnded: call "${callId}" is with agent "${call.agentId}", not "${agentId}"`);
    }
    const agent = this.agentOfCall(call);
    this.startAgentChange(agent, now);
    this.setSlotPhase(agent, callId, 'wrap_up', now);
    this.complete(call, 'ended', now);
    this.finishAgentChange(agent, now, false);
  }

  private onWrapUpDone(agentId: string, callId: string | undefined, now: number): void {
    const agent = this.requireAgent(agentId, 'wrapUpDone');
    let slot: AgentSlot | undefined;
    for (const candidate of agent.slots) {
      if (candidate.phase === 'wrap_up' && (callId === undefined || candidate.callId === callId)) {
        slot = candidate;
        break;
      }
    }
    if (slot === undefined) {
      throw new RoutingError('out_of_order', `wrapUpDone: agent "${agentId}" has no wrap-up${callId === undefined ? '' : ` for call "${callId}"`}`);
    }
    this.startAgentChange(agent, now);
    agent.slots.splice(agent.slots.indexOf(slot), 1);
    this.finishAgentChange(agent, now, true);
  }

  private onAbandoned(callId: string, now: number): void {
    const call = this.requireCall(callId, 'callAbandoned');
    if (call.phase === 'connected') {
      throw new RoutingError('out_of_order', `callAbandoned: call "${callId}" is connected to agent "${call.agentId}"; send callEnded`);
    }
    if (call.phase === 'waiting') {
      this.complete(call, 'abandoned', now);
      return;
    }
    const agent = this.agentOfCall(call);
    this.startAgentChange(agent, now);
    this.removeSlot(agent, callId);
    this.complete(call, 'abandoned', now);
    this.finishAgentChange(agent, now, true);
  }

  private onTransferred(event: Extract<RoutingEvent, { type: 'callTransferred' }>, now: number): void {
    const call = this.requireCall(event.callId, 'callTransferred');
    if (call.phase !== 'connected') {
      throw new RoutingError('out_of_order', `callTransferred: call "${event.callId}" is not connected (it is ${describeCall(call)})`);
    }
    if (event.agentId !== undefined && event.agentId !== call.agentId) {
      throw new RoutingError('out_of_order', `callTransferred: call "${event.callId}" is with agent "${call.agentId}", not "${event.agentId}"`);
    }
    const agent = this.agentOfCall(call);
    this.startAgentChange(agent, now);
    this.setSlotPhase(agent, call.id, 'wrap_up', now);
    exclude(call, agent.id);
    if (event.targetSkill !== undefined) call.requiredSkills = [event.targetSkill];
    if (event.targetLanguage !== undefined) call.language = event.targetLanguage;
    call.transfers++;
    this.enqueue(call, now);
    this.finishAgentChange(agent, now, false);
  }

  // ---- preconditions -------------------------------------------------------

  private requireAgent(agentId: string, event: string): AgentState {
    const agent = this.state.agents.get(agentId);
    if (agent === undefined) throw new RoutingError('unknown_agent', `${event}: unknown agent "${agentId}"`);
    return agent;
  }

  private requireOnlineAgent(agentId: string, event: string): AgentState {
    const agent = this.requireAgent(agentId, event);
    if (!agent.online) throw new RoutingError('out_of_order', `${event}: agent "${agentId}" is logged out`);
    return agent;
  }

  private requireCall(callId: string, event: string): CallState {
    const call = this.state.calls.get(callId);
    if (call !== undefined) return call;
    const done = this.state.completed.get(callId);
    if (done !== undefined) throw new RoutingError('out_of_order', `${event}: call "${callId}" already ${done.phase}`);
    throw new RoutingError('unknown_call', `${event}: unknown call "${callId}"`);
  }

  private requirePhase(call: CallState, phase: CallPhase, agentId: string, event: string): void {
    if (call.phase !== phase || call.agentId !== agentId) {
      const wanted = phase === 'reserved' ? 'reserved to' : 'accepted by';
      throw new RoutingError('out_of_order', `${event}: call "${call.id}" is not ${wanted} agent "${agentId}" (it is ${describeCall(call)})`);
    }
  }

  private agentOfCall(call: CallState): AgentState {
    const agent = call.agentId === null ? undefined : this.state.agents.get(call.agentId);
    // Unreachable while invariants hold; a clear message if they ever do not.
    if (agent === undefined) throw new RoutingError('out_of_order', `call "${call.id}" has no agent record for "${String(call.agentId)}"`);
    return agent;
  }

  // ---- state changes ---------------------------------------------------------

  /** Brings occupancy up to `now` while the busy/idle state is still the old one. */
  private startAgentChange(agent: AgentState, now: number): void {
    agent.occupancy = decayOccupancy(agent.occupancy, agent.slots.length > 0, now - agent.occupancyAt, this.config.occupancyWindowMs);
    agent.occupancyAt = now;
  }

  /** Re-derives presence and keeps the free-agent index equal to isRoutable. */
  private finishAgentChange(agent: AgentState, now: number, capacityFreed: boolean): void {
    const presence = derivePresence(agent);
    if (presence !== agent.presence) {
      agent.presence = presence;
      agent.presenceSince = now;
    }
    const routable = isRoutable(agent);
    if (routable && !agent.inFreeIndex) {
      agent.readySince = now;
      agent.readySeq = ++this.state.seq;
      this.state.free.add(agent);
      agent.inFreeIndex = true;
      this.touchedAgents.add(agent);
    } else if (!routable && agent.inFreeIndex) {
      this.state.free.remove(agent);
      agent.inFreeIndex = false;
    } else if (routable && capacityFreed) {
      this.touchedAgents.add(agent);
    }
  }

  private releaseReservations(agent: AgentState, now: number): void {
    for (const slot of [...agent.slots]) {
      if (slot.phase !== 'reserved') continue;
      this.removeSlot(agent, slot.callId);
      const call = this.state.calls.get(slot.callId);
      if (call !== undefined) this.enqueue(call, now);
    }
  }

  private removeSlot(agent: AgentState, callId: string): void {
    const slot = activeSlot(agent, callId);
    if (slot !== undefined) agent.slots.splice(agent.slots.indexOf(slot), 1);
  }

  private setSlotPhase(agent: AgentState, callId: string, phase: SlotPhase, now: number): void {
    const slot = activeSlot(agent, callId);
    if (slot !== undefined) {
      slot.phase = phase;
      slot.since = now;
    }
  }

  private setCallPhase(call: CallState, phase: CallPhase, now: number): void {
    call.phase = phase;
    call.phaseSince = now;
  }

  private enqueue(call: CallState, now: number): void {
    const queue = this.queueConfig(call.queue);
    this.setCallPhase(call, 'waiting', now);
    call.agentId = null;
    call.deadline = null;
    call.priorityKey = priorityKey(call, queue.priority);
    call.enqueueSeq = ++this.state.seq;
    this.state.waiting.add(call, queue.minProficiency);
    this.touchedCalls.add(call);
  }

  private complete(call: CallState, phase: 'ended' | 'abandoned', now: number): void {
    if (call.phase === 'waiting') this.state.waiting.remove(call);
    this.setCallPhase(call, phase, now);
    this.state.calls.delete(call.id);
    const state = this.state;
    if (this.config.rememberCompletedCalls > 0) {
      state.completed.set(call.id, { callId: call.id, phase, agentId: call.agentId, at: now, arm: call.arm, queue: call.queue });
      state.completedOrder.push(call.id);
      while (state.completed.size > this.config.rememberCompletedCalls) {
        const oldest = state.completedOrder[state.completedHead++];
        if (oldest === undefined) break;
        state.completed.delete(oldest);
      }
      if (state.completedHead > 1024 && state.completedHead * 2 > state.completedOrder.length) {
        state.completedOrder.splice(0, state.completedHead);
        state.completedHead = 0;
      }
    }
  }

  private reserve(call: CallState, agent: AgentState, score: number, now: number, out: Reservation[]): void {
    const queue = this.queueConfig(call.queue);
    this.state.waiting.remove(call);
    this.startAgentChange(agent, now);
    this.setCallPhase(call, 'reserved', now);
    call.agentId = agent.id;
    call.deadline = now + queue.reservationTimeoutMs;
    call.offers++;
    agent.slots.push({ callId: call.id, phase: 'reserved', since: now });
    this.finishAgentChange(agent, now, false);
    out.push({
      callId: call.id,
      agentId: agent.id,
      deadline: call.deadline,
      arm: call.arm,
      policy: this.matcher.policyOf(call).name,
      queue: call.queue,
      score,
    });
  }

  // ---- routing -------------------------------------------------------------

  /**
   * Routes the calls and agents the last event(s) touched until no touched
   * call has an eligible free agent and no touched agent an eligible call.
   * Baseline-arm calls go first, to the longest-idle eligible agent, so the
   * holdout arm is not steered by the joint optimiser.
   */
  private route(now: number, out: Reservation[]): void {
    this.matcher.forgetEstimates();
    let calls: CallState[] = [];
    for (const call of this.touchedCalls) if (this.isWaiting(call)) calls.push(call);
    let agents: AgentState[] = [];
    for (const agent of this.touchedAgents) if (agent.inFreeIndex) agents.push(agent);
    this.touchedCalls.clear();
    this.touchedAgents.clear();
    if (calls.length === 0 && agents.length === 0) return;

    if (calls.length + agents.length > 1) {
      const baseline = calls.filter(isBaseline);
      if (baseline.length > 0) {
        baseline.sort(byPriority);
        for (const call of baseline) {
          const best = this.matcher.agentsFor(call, now, 1)[0];
          if (best !== undefined) this.reserve(call, best.agent, best.score, now, out);
        }
      }
    }

    // Each pass reserves at least one pair or stops, so this ends.
    for (;;) {
      calls = calls.filter((call) => this.isWaiting(call));
      agents = agents.filter(isFree);
      if (calls.length === 0 && agents.length === 0) return;
      if (calls.length === 1 && agents.length === 0) {
        const call = calls[0] as CallState;
        const best = this.matcher.agentsFor(call, now, 1)[0];
        if (best !== undefined) this.reserve(call, best.agent, best.score, now, out);
        return;
      }
      if (agents.length === 1 && calls.length === 0) {
        const agent = agents[0] as AgentState;
        const best = this.matcher.callsFor(agent, now, 1)[0];
        if (best !== undefined) this.reserve(best.call, agent, best.score, now, out);
        return; // one reservation at a time: the agent is out of the free index until it is answered
      }
      const pairs = this.matcher.jointPairs(calls, agents, now);
      let made = 0;
      for (const pair of pairs) {
        if (!this.isWaiting(pair.call) || !pair.agent.inFreeIndex) continue;
        this.reserve(pair.call, pair.agent, pair.score, now, out);
        made++;
      }
      if (made === 0) return;
    }
  }

  private isWaiting(call: CallState): boolean {
    return call.phase === 'waiting' && this.state.calls.get(call.id) === call;
  }

  private callInfo(call: CallState): CallInfo {
    return {
      id: call.id,
      phase: call.phase,
      agentId: call.agentId,
      deadline: call.deadline,
      arm: call.arm,
      queue: call.queue,
      language: call.language,
      segment: call.segment,
      requiredSkills: [...call.requiredSkills],
      arrivedAt: call.arrivedAt,
      valueAtRisk: call.valueAtRisk,
      churnRisk: call.churnRisk,
      priority: call.phase === 'waiting' ? priorityAt(call, this.queueConfig(call.queue).priority, this.state.lastNow) : null,
      offers: call.offers,
      transfers: call.transfers,
      excluded: [...call.excluded],
    };
  }
}

/**
 * Shared by every call nobody has declined yet (most calls), so arrivals do
 * not allocate a Set each; never mutated: exclude() swaps in a real one.
 */
const NO_EXCLUSIONS: Set<string> = new Set();

function exclude(call: CallState, agentId: string): void {
  if (call.excluded === NO_EXCLUSIONS) call.excluded = new Set();
  call.excluded.add(agentId);
}

function activeSlot(agent: AgentState, callId: string): AgentSlot | undefined {
  for (const slot of agent.slots) if (slot.callId === callId && slot.phase !== 'wrap_up') return slot;
  return undefined;
}

function isBaseline(call: CallState): boolean {
  return call.arm === 'baseline';
}

function isFree(agent: AgentState): boolean {
  return agent.inFreeIndex;
}

function byPriority(a: CallState, b: CallState): number {
  return b.priorityKey - a.priorityKey || a.enqueueSeq - b.enqueueSeq;
}

function describeCall(call: CallState): string {
  return call.phase === 'waiting' ? 'waiting' : `${call.phase} with agent "${call.agentId}"`;
}

/** Cross-checks calls, agents and indexes. */
function checkState(state: EngineState, engine: { isEligible(call: CallState, agent: AgentState): boolean }, workConservation: boolean): string[] {
  const problems: string[] = [];
  const holder = new Map<string, string>();
  for (const agent of state.agents.values()) {
    if (agent.slots.length > agent.capacity) problems.push(`agent ${agent.id} holds ${agent.slots.length} calls with capacity ${agent.capacity}`);
    const reservations = agent.slots.filter((slot) => slot.phase === 'reserved').length;
    if (reservations > 1) problems.push(`agent ${agent.id} holds ${reservations} reservations`);
    if (!agent.online && agent.slots.length > 0) problems.push(`agent ${agent.id} is offline with calls`);
    if (agent.inFreeIndex !== isRoutable(agent)) problems.push(`agent ${agent.id} free-index membership is wrong`);
    if (agent.presence !== derivePresence(agent)) problems.push(`agent ${agent.id} presence ${agent.presence} should be ${derivePresence(agent)}`);
    for (const slot of agent.slots) {
      if (slot.phase === 'wrap_up') continue;
      const other = holder.get(slot.callId);
      if (other !== undefined) problems.push(`call ${slot.callId} is held by agents ${other} and ${agent.id}`);
      holder.set(slot.callId, agent.id);
      const call = state.calls.get(slot.callId);
      if (call === undefined) problems.push(`agent ${agent.id} holds unknown or finished call ${slot.callId}`);
      else if (call.agentId !== agent.id || call.phase !== slot.phase) problems.push(`agent ${agent.id} slot ${slot.phase} disagrees with call ${call.id} (${call.phase}, ${call.agentId})`);
    }
  }
  let free = 0;
  for (const agent of state.free.agents()) {
    free++;
    if (!agent.inFreeIndex) problems.push(`agent ${agent.id} is in the free index but not flagged`);
  }
  let routable = 0;
  for (const agent of state.agents.values()) if (isRoutable(agent)) routable++;
  if (free !== routable) problems.push(`free index has ${free} agents, ${routable} are routable`);
  let waiting = 0;
  for (const call of state.calls.values()) {
    if (state.completed.has(call.id)) problems.push(`call ${call.id} is both active and completed`);
    if (call.phase === 'waiting') {
      waiting++;
      if (call.bucketKey === null) problems.push(`waiting call ${call.id} is not in the queue index`);
      if (call.agentId !== null) problems.push(`waiting call ${call.id} has agent ${call.agentId}`);
    } else {
      if (call.phase === 'ended' || call.phase === 'abandoned') problems.push(`finished call ${call.id} is still active`);
      if (call.agentId === null || holder.get(call.id) !== call.agentId) problems.push(`call ${call.id} is ${call.phase} but agent ${String(call.agentId)} does not hold it`);
      if (call.phase === 'reserved' && call.deadline === null) problems.push(`reserved call ${call.id} has no deadline`);
    }
  }
  let indexed = 0;
  for (const call of state.waiting.calls()) {
    indexed++;
    if (call.phase !== 'waiting' || state.calls.get(call.id) !== call) problems.push(`queue index holds call ${call.id} which is ${call.phase}`);
  }
  if (indexed !== waiting || state.waiting.size !== waiting) problems.push(`queue index has ${indexed} (size ${state.waiting.size}) calls, ${waiting} are waiting`);
  if (workConservation) {
    for (const call of state.waiting.calls()) {
      for (const agent of state.free.agents()) {
        if (engine.isEligible(call, agent)) problems.push(`call ${call.id} waits while eligible agent ${agent.id} is free`);
      }
    }
  }
  return problems;
}
