import type { Agent, Presence } from '@shared/domain/agent';
import type { Call } from '@shared/domain/call';
import type { CallOffer } from '@shared/contract/server-socket';

/**
 * The first matcher: among available agents who speak the caller's language,
 * the one idle longest gets a reservation. A reservation that is rejected or
 * lapses goes to the next eligible agent; the agent who let it go is not
 * offered the same call again while others can take it.
 */

export interface RouterHooks {
  offer(agentId: string, offer: CallOffer): void;
  revoke(agentId: string, callId: string, reason: 'timeout' | 'abandoned' | 'taken'): void;
  callEnded(agentId: string, callId: string): void;
  presenceChanged(agentId: string, presence: Presence, since: string): void;
  /** Something a supervisor sees changed. */
  changed(): void;
  persist(call: Call): void;
}

interface AgentState {
  agent: Agent;
  presence: Presence;
  since: number;
  /** When the agent last became free; the longest-idle rule orders by it. */
  idleSince: number;
  callId: string | null;
}

interface Reservation {
  agentId: string;
  deadline: number;
  timer: ReturnType<typeof setTimeout>;
}

export class RouterError extends Error {
  constructor(readonly code: 'unknown_call' | 'unknown_agent' | 'unknown_customer' | 'not_reserved' | 'bad_state', message: string) {
    super(message);
  }
}

export class CallRouter {
  private readonly agents = new Map<string, AgentState>();
  private readonly calls = new Map<string, Call>();
  private readonly reservations = new Map<string, Reservation>();
  private readonly declined = new Map<string, Set<string>>();
  private readonly matches = new Map<string, CallOffer['match']>();

  constructor(private readonly hooks: RouterHooks, private readonly reservationTimeoutMs: number, private readonly now: () => number = Date.now) {}

  /** Restores calls that were open when the server stopped. */
  restore(calls: readonly Call[]): void {
    for (const call of calls) {
      // A reservation or a live call cannot survive the agent's socket; queue it again.
      const restored: Call = call.state === 'offered' ? { ...call, state: 'queued', agentId: null } : call;
      this.calls.set(call.id, restored);
    }
  }

  agentOnline(agent: Agent): void {
    const existing = this.agents.get(agent.id);
    if (existing) {
      existing.agent = agent;
      return;
    }
    const now = this.now();
    const open = [...this.calls.values()].find((c) => c.agentId === agent.id && (c.state === 'connected' || c.state === 'wrap_up'));
    const presence: Presence = open ? (open.state === 'connected' ? 'on_call' : 'wrap_up') : 'away';
    this.agents.set(agent.id, { agent, presence, since: now, idleSince: now, callId: open?.id ?? null });
    this.hooks.presenceChanged(agent.id, presence, new Date(now).toISOString());
    this.hooks.changed();
  }

  agentOffline(agentId: string): void {
    const state = this.agents.get(agentId);
    if (!state) return;
    for (const [callId, reservation] of this.reservations) {
      if (reservation.agentId === agentId) this.releaseReservation(callId, 'timeout', false);
    }
    this.agents.delete(agentId);
    this.hooks.changed();
    this.match();
  }

  setPresence(agentId: string, presence: 'available' | 'away'): Presence {
    const state = this.requireAgent(agentId);
    if (state.presence === 'on_call' || state.presence === 'reserved') {
      throw new RouterError('bad_state', `Cannot change presence while ${state.presence.replace('_', ' ')}`);
    }
    if (presence === 'available' && state.presence === 'wrap_up') {
      throw new RouterError('bad_state', 'Save the wrap-up before taking the next call');
    }
    this.setAgentPresence(state, presence);
    if (presence === 'available') this.match();
    return state.presence;
  }

  enqueue(call: Call, match: CallOffer['match']): void {
    if (this.calls.has(call.id)) throw new RouterError('bad_state', `Call ${call.id} already exists`);
    this.calls.set(call.id, call);
    this.matches.set(call.id, match);
    this.hooks.persist(call);
    this.hooks.changed();
    this.match();
  }

  accept(agentId: string, callId: string): Call {
    const reservation = this.reservations.get(callId);
    if (!this.calls.has(callId)) throw new RouterError('unknown_call', `No call ${callId}`);
    if (!reservation || reservation.agentId !== agentId) throw new RouterError('not_reserved', `Call ${callId} is not reserved for you`);
    clearTimeout(reservation.timer);
    this.reservations.delete(callId);
    const call = this.updateCall(callId, { state: 'connected', agentId, answeredAt: new Date(this.now()).toISOString() });
    const state = this.requireAgent(agentId);
    state.callId = callId;
    this.setAgentPresence(state, 'on_call');
    return call;
  }

  reject(agentId: string, callId: string): void {
    const reservation = this.reservations.get(callId);
    if (!this.calls.has(callId)) throw new RouterError('unknown_call', `No call ${callId}`);
    if (!reservation || reservation.agentId !== agentId) throw new RouterError('not_reserved', `Call ${callId} is not reserved for you`);
    this.releaseReservation(callId, 'taken', true);
    // An agent who declines is set away, as in most ACDs, so the next call does not bounce too.
    const state = this.agents.get(agentId);
    if (state) this.setAgentPresence(state, 'away');
    this.match();
  }

  /** Ends a call from telephony or the agent; the agent moves to wrap-up. */
  end(callId: string): Call {
    const call = this.calls.get(callId);
    if (!call) throw new RouterError('unknown_call', `No call ${callId}`);
    if (call.state === 'completed' || call.state === 'abandoned') return call;
    if (call.state === 'queued' || call.state === 'offered') {
      const reservation = this.reservations.get(callId);
      if (reservation) this.releaseReservation(callId, 'abandoned', false);
      const ended = this.updateCall(callId, { state: 'abandoned', endedAt: new Date(this.now()).toISOString() });
      this.forget(callId);
      this.match();
      return ended;
    }
    const ended = this.updateCall(callId, { state: 'wrap_up', endedAt: call.endedAt ?? new Date(this.now()).toISOString() });
    if (call.agentId) {
      const state = this.agents.get(call.agentId);
      if (state && state.callId === callId) this.setAgentPresence(state, 'wrap_up');
      this.hooks.callEnded(call.agentId, callId);
    }
    return ended;
  }

  /** The wrap-up for a call arrived: the call is complete and the agent free again. */
  wrappedUp(agentId: string, callId: string): void {
    const call = this.calls.get(callId);
    if (call && call.state !== 'completed') {
      this.updateCall(callId, { state: 'completed', endedAt: call.endedAt ?? new Date(this.now()).toISOString() });
      this.forget(callId);
    }
    const state = this.agents.get(agentId);
    if (state && (state.callId === callId || state.callId === null) && (state.presence === 'wrap_up' || state.presence === 'on_call')) {
      state.callId = null;
      state.idleSince = this.now();
      this.setAgentPresence(state, 'available');
      this.match();
    }
  }

  snapshot(): { agents: { agent: Agent; presence: Presence; since: string; callId: string | null }[]; queue: Call[] } {
    return {
      agents: [...this.agents.values()].map((s) => ({ agent: s.agent, presence: s.presence, since: new Date(s.since).toISOString(), callId: s.callId })),
      queue: [...this.calls.values()].filter((c) => c.state === 'queued' || c.state === 'offered').sort((a, b) => b.priority - a.priority || a.createdAt.localeCompare(b.createdAt)),
    };
  }

  call(callId: string): Call | undefined {
    return this.calls.get(callId);
  }

  offerFor(agentId: string): CallOffer | null {
    for (const [callId, reservation] of this.reservations) {
      const call = this.calls.get(callId);
      if (reservation.agentId === agentId && call) return { call, reservationDeadline: reservation.deadline, match: this.matchFor(callId) };
    }
    return null;
  }

  stop(): void {
    for (const reservation of this.reservations.values()) clearTimeout(reservation.timer);
    this.reservations.clear();
  }

  private match(): void {
    const waiting = [...this.calls.values()]
      .filter((c) => c.state === 'queued')
      .sort((a, b) => b.priority - a.priority || a.createdAt.localeCompare(b.createdAt));
    for (const call of waiting) {
      const agent = this.pickAgent(call);
      if (agent) this.reserve(call, agent);
    }
  }

  private pickAgent(call: Call): AgentState | null {
    const eligible = [...this.agents.values()].filter(
      (s) => s.presence === 'available' && s.agent.role === 'agent' && s.agent.languages.some((l) => l.code === call.language),
    );
    const declined = this.declined.get(call.id);
    const fresh = eligible.filter((s) => !declined?.has(s.agent.id));
    const pool = fresh.length > 0 ? fresh : eligible;
    pool.sort((a, b) => a.idleSince - b.idleSince || a.agent.id.localeCompare(b.agent.id));
    return pool[0] ?? null;
  }

  private reserve(call: Call, state: AgentState): void {
    const deadline = this.now() + this.reservationTimeoutMs;
    const timer = setTimeout(() => this.expire(call.id), this.reservationTimeoutMs);
    timer.unref?.();
    this.reservations.set(call.id, { agentId: state.agent.id, deadline, timer });
    const offered = this.updateCall(call.id, { state: 'offered', agentId: state.agent.id });
    this.setAgentPresence(state, 'reserved');
    this.hooks.offer(state.agent.id, { call: offered, reservationDeadline: deadline, match: this.matchFor(call.id) });
  }

  private expire(callId: string): void {
    const reservation = this.reservations.get(callId);
    if (!reservation) return;
    this.releaseReservation(callId, 'timeout', true);
    const state = this.agents.get(reservation.agentId);
    if (state) this.setAgentPresence(state, 'away');
    this.match();
  }

  private releaseReservation(callId: string, reason: 'timeout' | 'abandoned' | 'taken', remember: boolean): void {
    const reservation = this.reservations.get(callId);
    if (!reservation) return;
    clearTimeout(reservation.timer);
    this.reservations.delete(callId);
    if (remember) {
      const declined = this.declined.get(callId) ?? new Set<string>();
      declined.add(reservation.agentId);
      this.declined.set(callId, declined);
    }
    const call = this.calls.get(callId);
    if (call && call.state === 'offered') this.updateCall(callId, { state: 'queued', agentId: null });
    const state = this.agents.get(reservation.agentId);
    if (state && state.presence === 'reserved') this.setAgentPresence(state, 'available');
    this.hooks.revoke(reservation.agentId, callId, reason);
  }

  private updateCall(callId: string, patch: Partial<Call>): Call {
    const call = { ...(this.calls.get(callId) as Call), ...patch };
    this.calls.set(callId, call);
    this.hooks.persist(call);
    this.hooks.changed();
    return call;
  }

  private forget(callId: string): void {
    this.calls.delete(callId);
    this.declined.delete(callId);
    this.matches.delete(callId);
  }

  private matchFor(callId: string): CallOffer['match'] {
    return this.matches.get(callId) ?? { method: 'unknown', confidence: 0, candidates: [] };
  }

  private setAgentPresence(state: AgentState, presence: Presence): void {
    if (state.presence === presence) return;
    state.presence = presence;
    state.since = this.now();
    if (presence === 'available') state.idleSince = Math.max(state.idleSince, state.since);
    this.hooks.presenceChanged(state.agent.id, presence, new Date(state.since).toISOString());
    this.hooks.changed();
  }

  private requireAgent(agentId: string): AgentState {
    const state = this.agents.get(agentId);
    if (!state) throw new RouterError('unknown_agent', `Agent ${agentId} is not connected`);
    return state;
  }
}
