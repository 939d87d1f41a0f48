import type { Logger } from 'pino';
import type { Call } from '@shared/domain/call';
import type { CallLine } from '@shared/contract/server-socket';
import { telephonyEventSchema, type CreateCallRequest, type TelephonyEventInput } from '@shared/contract/server-http';
import type { RoutingService } from '../routing/routing-service';
import { ServiceError } from '../routing/service-errors';
import type { AgentStore } from '../store/roles/agent-store';
import type { TelephonyStore } from '../store/roles/telephony-store';
import type { OutboundDial, TelephonyAdapter, TelephonyCalls } from './telephony-adapter';

export interface TelephonyServiceOptions {
  /** How long an agent's phone may ring before the call moves on, if the phone system never reports. */
  ringTimeoutMs: number;
}

/**
 * Joins the routing server to the phone system: calls in (into the routing
 * service), decisions out (an accepted call to the agent's phone, through
 * the adapter), call events in (the agent's phone ringing, answered, not
 * answered; the call ended, abandoned, transferred), and the real line state
 * out to the agent's desktop (`call:line`).
 *
 * With no adapter (the default) the same events still come in on the HTTP
 * API, and accepting a call connects it at once, as before.
 */
export class TelephonyService implements TelephonyCalls {
  private phones: Map<string, string> | null = null;
  /** Agent id -> user name, read once (an assignment must not wait on a read of every agent). */
  private readonly usernames = new Map<string, string>();
  private readonly ringTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private stopped = false;

  constructor(
    private readonly routing: RoutingService,
    private readonly store: TelephonyStore & AgentStore,
    private readonly adapter: TelephonyAdapter | null,
    private readonly pushLine: (agentId: string, line: CallLine) => void,
    private readonly options: TelephonyServiceOptions,
    private readonly log: Logger,
  ) {}

  get attached(): boolean {
    return this.adapter !== null;
  }

  /** A phone system is attached and its link is up. */
  get connected(): boolean {
    return this.adapter?.connected ?? false;
  }

  async start(): Promise<void> {
    await this.adapter?.start(this);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.ringTimers.values()) clearTimeout(timer);
    this.ringTimers.clear();
    await this.adapter?.stop();
  }

  // ---- calls and events in --------------------------------------------------------

  arrived(request: CreateCallRequest): Promise<Call> {
    return this.routing.createCall(request);
  }

  event(callId: string, input: TelephonyEventInput): Call {
    const event = telephonyEventSchema.parse(input);
    const router = this.routing.router;
    const before = router.call(callId);
    if (!before) {
      // A late event for a call already closed (a BYE after an abandon, a repeat): nothing to change.
      const done = router.engine.call(callId);
      if (done) throw new ServiceError('out_of_order', `${event.type}: call "${callId}" already ${done.phase === 'ended' ? 'ended' : done.phase}`);
      throw new ServiceError('unknown_call', `${event.type}: unknown call "${callId}"`);
    }
    const agentId = before.agentId;
    // An outreach call Holdfast placed: already the agent's (connected in routing) while the phones ring.
    const outbound = router.meta(callId)?.kind === 'outreach';
    switch (event.type) {
      case 'ringing':
        if (agentId && (outbound || router.phaseOf(callId) === 'accepted')) this.line(agentId, callId, 'ringing', null);
        return before;
      case 'answered': {
        this.clearRing(callId);
        const call = router.phoneAnswered(callId);
        if (call.agentId) this.line(call.agentId, callId, 'connected', null);
        return call;
      }
      case 'no_answer':
      case 'busy':
      case 'rejected':
      case 'failed':
        this.clearRing(callId);
        if (outbound) {
          // Nobody else can take an outbound call: it ends, and the agent's wrap-up records the attempt.
          this.log.info({ callId, agentId, reason: event.type }, 'outbound call not connected');
          if (agentId && before.state === 'connected') this.line(agentId, callId, 'ended', 'system');
          return before.state === 'connected' ? this.routing.endCall(callId) : before;
        }
        this.log.info({ callId, agentId, reason: event.type }, 'agent phone did not answer; call goes to the next agent');
        return router.phoneFailed(callId);
      case 'ended': {
        this.clearRing(callId);
        const answered = before.state === 'connected' && router.phaseOf(callId) !== 'accepted';
        if (answered && agentId) this.line(agentId, callId, 'ended', event.by);
        return this.routing.endCall(callId);
      }
      case 'abandoned':
        this.clearRing(callId);
        return this.routing.abandonCall(callId);
      case 'transferred': {
        this.clearRing(callId);
        if (event.to === 'out') {
          // Sent to a number Holdfast does not route: the call is over here, and the agent's wrap-up opens.
          this.log.info({ callId, agentId }, 'call transferred out of Holdfast; it ends here');
          const answered = before.state === 'connected' && router.phaseOf(callId) !== 'accepted';
          if (answered && agentId) this.line(agentId, callId, 'transferred_out', null);
          return this.routing.endCall(callId);
        }
        const call = this.routing.transferCall(callId, { ...(event.language ? { language: event.language } : {}), ...(event.skill ? { skill: event.skill } : {}) });
        // The agent who had it is in wrap-up (call:ended); their desktop says where the call went.
        if (agentId) this.line(agentId, callId, 'transferred', null);
        return call;
      }
    }
  }

  // ---- decisions out ----------------------------------------------------------------

  /** The agent accepted: the adapter sends the call to their phone; a phone that never reports is given up after the ring timeout. */
  accepted(agentId: string, call: Call): void {
    if (!this.adapter || this.stopped) return;
    this.startRing(call.id);
    void this.assignmentFor(agentId)
      .then(({ phoneAddress, agentUsername }) => {
        this.adapter?.assign({ callId: call.id, agentId, phoneAddress, agentUsername, callerNumber: call.callerNumber });
      })
      .catch((error: unknown) => {
        this.log.error({ err: error, callId: call.id }, 'could not send the call to the agent\'s phone');
        this.giveUp(call.id, 'failed');
      });
  }

  hungUp(agentId: string, call: Call): void {
    this.clearRing(call.id);
    this.adapter?.hangUp(call.id, agentId);
  }

  /** An outbound call (outreach "Call now"), already checked by the server: the agent's phone, then the customer's. */
  async dial(agentId: string, callId: string, customerNumber: string): Promise<void> {
    if (!this.adapter) return;
    const { phoneAddress, agentUsername } = await this.assignmentFor(agentId);
    const dial: OutboundDial = { callId, agentId, phoneAddress, agentUsername, customerNumber };
    this.adapter.dial(dial);
  }

  // ---- agents' phones ---------------------------------------------------------------

  async phoneOf(agentId: string): Promise<string | null> {
    if (!this.phones) this.phones = new Map(Object.entries(await this.store.agentPhones()));
    return this.phones.get(agentId) ?? null;
  }

  async setPhone(agentId: string, address: string | null): Promise<void> {
    await this.store.setAgentPhone(agentId, address);
    if (!this.phones) return;
    if (address === null) this.phones.delete(agentId);
    else this.phones.set(agentId, address);
  }

  async allPhones(): Promise<Map<string, string>> {
    if (!this.phones) this.phones = new Map(Object.entries(await this.store.agentPhones()));
    return this.phones;
  }

  private async assignmentFor(agentId: string): Promise<{ phoneAddress: string | null; agentUsername: string }> {
    const phoneAddress = await this.phoneOf(agentId);
    if (!this.usernames.has(agentId)) for (const agent of await this.store.listAgents()) this.usernames.set(agent.id, agent.username);
    return { phoneAddress, agentUsername: this.usernames.get(agentId) ?? agentId };
  }

  private line(agentId: string, callId: string, status: CallLine['status'], endedBy: CallLine['endedBy']): void {
    this.pushLine(agentId, { callId, status, endedBy });
  }

  private startRing(callId: string): void {
    this.clearRing(callId);
    const timer = setTimeout(() => {
      this.ringTimers.delete(callId);
      this.giveUp(callId, 'no_answer');
    }, this.options.ringTimeoutMs);
    timer.unref?.();
    this.ringTimers.set(callId, timer);
  }

  private clearRing(callId: string): void {
    const timer = this.ringTimers.get(callId);
    if (timer) clearTimeout(timer);
    this.ringTimers.delete(callId);
  }

  private giveUp(callId: string, type: 'no_answer' | 'failed'): void {
    if (this.stopped || this.routing.router.phaseOf(callId) !== 'accepted') return;
    try {
      this.event(callId, { type });
    } catch (error) {
      this.log.warn({ err: error, callId }, 'could not move the call on from the agent\'s phone');
    }
  }
}
