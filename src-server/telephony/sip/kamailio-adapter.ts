import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { intentSchema } from '@shared/domain/call';
import { languageSchema } from '@shared/domain/language';
import type { TelephonyEventInput } from '@shared/contract/server-http';
import { asServiceError } from '../../routing/service-errors';
import type { Assignment, OutboundDial, TelephonyAdapter, TelephonyCalls } from '../telephony-adapter';
import { KamailioClient, type KamailioDecision } from './kamailio-client';
import type { KamailioEvent, KamailioEventResult, KamailioEventSink } from './kamailio-events';
import { KamailioWatch } from './kamailio-watch';
import { SipEndpoint } from './sip-endpoint';
import { queueOf, type QueueTarget } from './sip-queues';
import { SipTransfers, type PendingTransfer } from './sip-transfers';
import { ThirdPartyCalls } from './third-party-call';

interface SipCall {
  id: string;
  sipCallId: string;
  /** The Kamailio run holding the call: a restart loses the calls it held. */
  boot: string;
  /** The suspended INVITE transaction in Kamailio (valid while stage is 'waiting'). */
  tindex: number;
  tlabel: number;
  /** The phone the call was last sent to (tells a repeated agent_failed from a new one). */
  target: string | null;
  rang: boolean;
  /** waiting: held in Kamailio for Holdfast; ringing: sent to an agent's phone; connected: answered. */
  stage: 'waiting' | 'ringing' | 'connected';
}

export interface KamailioAdapterOptions {
  /** Kamailio's xhttp base URL (decisions and health). */
  kamailioUrl: string;
  /** The telephony key: sent to Kamailio with every decision, and what Kamailio sends with every event. */
  key: string;
  /** Domain of agents' phones given as an extension or by user name. */
  domain: string;
  defaultIntent: z.infer<typeof intentSchema>;
  defaultLanguage: string;
  /** How often Kamailio's health is read. */
  healthMs: number;
  /** Kamailio's SIP host:port, the outbound proxy of Holdfast's own calls. */
  proxy: string;
  /** host:port of Holdfast's SIP user agent (outbound calls). */
  listen: string;
  /** Holdfast's queue numbers: a REFER to one of them is a transfer back to the queue (else out of Holdfast). */
  queues: Readonly<Record<string, QueueTarget>>;
  /** How long the caller's INVITE may take to follow a transfer to the queue. */
  transferWaitMs: number;
}

/** Holdfast's call id for a SIP Call-ID: the same INVITE always maps to the same call (a repeat is refused as a duplicate). */
export function callIdForSip(sipCallId: string): string {
  return `SIP-${createHash('sha256').update(sipCallId).digest('hex').slice(0, 24)}`;
}

/**
 * The SIP adapter: Kamailio (resources/telephony/kamailio.cfg) holds each
 * caller's INVITE suspended while the call waits in Holdfast's queue. Both
 * ways are HTTP: Kamailio POSTs call events to /api/telephony/sip/events
 * (this adapter's `receive`), and the adapter POSTs "connect to this phone"
 * and "reject" to Kamailio's xhttp. Calls held by a Kamailio that restarted
 * (a new boot id) or stayed unreachable are lost with it and are marked
 * abandoned; answered calls carry on (their BYE is record-routed).
 */
export class KamailioAdapter implements TelephonyAdapter, KamailioEventSink {
  readonly kind = 'sip' as const;
  private readonly client: KamailioClient;
  private readonly watch: KamailioWatch;
  private readonly bySip = new Map<string, SipCall>();
  private readonly byId = new Map<string, SipCall>();
  private calls: TelephonyCalls | null = null;
  private readonly endpoint: SipEndpoint;
  /** Outreach "Call now": the agent's phone, then the customer's, by third-party call control. */
  private readonly outbound: ThirdPartyCalls;
  private readonly transfers: SipTransfers;
  /** Hosts a Refer-To must name to reach Holdfast's queue: the agents' domain and Kamailio's own address. */
  private readonly ownHosts: ReadonlySet<string>;

  constructor(private readonly options: KamailioAdapterOptions, private readonly log: Logger) {
    this.client = new KamailioClient({ baseUrl: options.kamailioUrl, key: options.key });
    this.watch = new KamailioWatch(this.client, { everyMs: options.healthMs, lostAfterMs: Math.max(3_000, 3 * options.healthMs) }, {
      restarted: (boot) => this.lostKamailio((call) => call.boot !== boot, 'Kamailio restarted'),
      lost: () => this.lostKamailio(() => true, 'Kamailio does not answer'),
    });
    const [proxyHost, proxyPort] = splitHostPort(options.proxy);
    const [listenHost, listenPort] = splitHostPort(options.listen);
    this.ownHosts = new Set([options.domain.toLowerCase(), proxyHost.toLowerCase()]);
    this.transfers = new SipTransfers(options.transferWaitMs, (transfer) => this.transferNotFollowed(transfer));
    this.endpoint = new SipEndpoint({ listenHost, listenPort, proxyHost, proxyPort },
      (request, reply) => this.outbound.handle(request, reply),
      (message) => this.log.warn(message));
    this.outbound = new ThirdPartyCalls(this.endpoint, {
      domain: options.domain,
      key: options.key,
      onEvent: (callId, event) => this.apply(callId, event),
    });
  }

  get connected(): boolean {
    return this.watch.connected;
  }

  /** Reads Kamailio's health once (it may not be there yet: the watch keeps trying). */
  async start(calls: TelephonyCalls): Promise<void> {
    this.calls = calls;
    await this.endpoint.start();
    await this.watch.start();
    if (this.watch.connected) this.log.info({ kamailio: this.options.kamailioUrl }, 'Kamailio answers');
    else this.log.warn({ kamailio: this.options.kamailioUrl }, 'Kamailio does not answer yet');
  }

  async stop(): Promise<void> {
    this.watch.stop();
    this.transfers.stop();
    this.client.stop();
    this.outbound.stop();
    this.endpoint.stop();
  }

  assign(assignment: Assignment): void {
    const call = this.byId.get(assignment.callId);
    if (!call || call.stage !== 'waiting') {
      this.later(assignment.callId, { type: 'failed' }, 'assignment for a call Kamailio no longer holds');
      return;
    }
    const target = this.sipTarget(assignment.phoneAddress, assignment.agentUsername);
    call.stage = 'ringing';
    call.target = target;
    call.rang = false;
    void this.client.decide({ action: 'connect', tindex: call.tindex, tlabel: call.tlabel, boot: call.boot, target }).then((outcome) => {
      if (outcome === 'done' || this.byId.get(call.id) !== call) return;
      if (outcome === 'gone') {
        // Kamailio no longer holds the INVITE: the caller hung up as the call was sent on, or Kamailio restarted.
        this.forget(call);
        this.apply(call.id, { type: 'abandoned' });
        return;
      }
      this.log.warn({ callId: call.id, outcome }, 'Kamailio did not take the call for the agent\'s phone');
      if (call.stage !== 'ringing' || call.target !== target) return;
      call.stage = 'waiting';
      this.apply(call.id, { type: 'failed' });
    });
  }

  hangUp(callId: string): void {
    // Holdfast's own (outbound) calls it hangs up itself, on both legs.
    if (this.outbound.has(callId)) {
      this.outbound.hangUp(callId);
      return;
    }
    // Inbound calls go through Kamailio, which keeps no dialog state and cannot send BYE: the phones end the call.
    if (this.byId.has(callId)) this.log.info({ callId }, 'hang-up from the desktop: the phone call ends when a phone hangs up');
  }

  /** Outreach "Call now", already checked by the server (consent, calling hours, attempts): the agent's phone rings, then the customer's. */
  dial(dial: OutboundDial): void {
    const number = dial.customerNumber.replace(/[\s().-]/g, '');
    if (!/^\+?\d{3,20}$/.test(number)) {
      this.later(dial.callId, { type: 'failed' }, 'outbound call not placed: the customer number is not a phone number');
      return;
    }
    this.outbound.dial(dial.callId, this.sipTarget(dial.phoneAddress, dial.agentUsername), number);
  }

  /** sip:... as given; an extension or no address at all: sip:<extension or user name>@<domain>. */
  sipTarget(phoneAddress: string | null, username: string): string {
    if (phoneAddress && /^sips?:/i.test(phoneAddress)) return phoneAddress;
    return `sip:${phoneAddress ?? username}@${this.options.domain}`;
  }

  /**
   * One event from Kamailio (validated by the route). Kamailio retries an
   * event it got no answer to, so each is applied once: a repeat is answered
   * as taken and changes nothing.
   */
  receive(event: KamailioEvent): KamailioEventResult {
    this.watch.seen(event.boot);
    if (event.event === 'invite') {
      if (this.bySip.has(event.sipCallId)) return { result: 'repeat' };
      void this.invite(event);
      return { result: 'applied' };
    }
    if (event.event === 'refer') return this.refer(event);
    const call = this.bySip.get(event.sipCallId);
    if (!call) return { result: 'ignored' }; // a call this adapter never queued, or one already closed (a repeat)
    switch (event.event) {
      case 'agent_ringing':
        if (call.stage !== 'ringing' || call.rang) return { result: 'repeat' };
        call.rang = true;
        this.apply(call.id, { type: 'ringing' });
        return { result: 'applied' };
      case 'agent_answered':
        if (call.stage === 'connected') return { result: 'repeat' };
        call.stage = 'connected';
        this.apply(call.id, { type: 'answered' });
        return { result: 'applied' };
      case 'agent_failed': {
        if (call.stage !== 'ringing' || (event.target !== undefined && event.target !== call.target)) return { result: 'repeat' };
        call.tindex = event.tindex;
        call.tlabel = event.tlabel;
        call.stage = 'waiting';
        const code = String(event.code);
        this.apply(call.id, { type: code === '486' ? 'busy' : code === '603' ? 'rejected' : 'no_answer' });
        return { result: 'applied' };
      }
      case 'cancel':
      case 'queue_timeout':
        if (call.stage === 'waiting') this.reject(call, 487);
        this.forget(call);
        this.apply(call.id, { type: 'abandoned' });
        return { result: 'applied' };
      case 'bye': {
        // The agent's phone hung up after transferring the caller to the queue: the transfer decides what happens.
        const transfer = this.transfers.get(event.sipCallId);
        if (transfer) {
          if (transfer.endedBy) return { result: 'repeat' };
          transfer.endedBy = event.by;
          return { result: 'applied' };
        }
        this.forget(call);
        this.apply(call.id, { type: 'ended', by: event.by });
        return { result: 'applied' };
      }
    }
  }

  /**
   * The agent's phone sent a REFER (blind transfer). To one of Holdfast's
   * queue numbers: the caller's new INVITE is awaited and will join this
   * same call. Anywhere else: the call ends here, transferred out. Kamailio
   * reads `transfer` from the answer to send the new INVITE the right way.
   */
  private refer(event: Extract<KamailioEvent, { event: 'refer' }>): KamailioEventResult {
    if (this.transfers.isOut(event.sipCallId)) return { result: 'repeat', transfer: 'out' };
    if (this.transfers.get(event.sipCallId)) return { result: 'repeat', transfer: 'queue' };
    const call = this.bySip.get(event.sipCallId);
    // Only an agent's transfer of a connected call is Holdfast's business; a caller's REFER goes through untouched.
    if (!call || call.stage !== 'connected' || event.by !== 'agent') return { result: 'ignored' };
    const queue = queueOf(event.referTo, this.options.queues, this.ownHosts);
    if (queue) {
      this.transfers.expect(call.id, call.sipCallId, queue);
      this.log.info({ callId: call.id }, 'agent transferred the call to the queue; waiting for the caller');
      return { result: 'applied', transfer: 'queue' };
    }
    this.transfers.wentOut(event.sipCallId);
    this.forget(call);
    this.apply(call.id, { type: 'transferred', to: 'out' });
    return { result: 'applied', transfer: 'out' };
  }

  /**
   * The caller's INVITE following a transfer to the queue: the same
   * Holdfast call, now held by this new transaction, goes back to the queue
   * (the agent who transferred it goes to wrap-up). False when there is no
   * such transfer (any more): the INVITE is then a call of its own.
   */
  private attachTransfer(event: Extract<KamailioEvent, { event: 'invite' }>): boolean {
    const transfer = event.transferOf ? this.transfers.take(event.transferOf) : undefined;
    const old = transfer ? this.byId.get(transfer.callId) : undefined;
    if (!transfer || !old || old.sipCallId !== transfer.sipCallId) return false;
    const call: SipCall = { id: old.id, sipCallId: event.sipCallId, boot: event.boot, tindex: event.tindex, tlabel: event.tlabel, target: null, rang: false, stage: 'waiting' };
    this.bySip.delete(old.sipCallId);
    this.bySip.set(call.sipCallId, call);
    this.byId.set(call.id, call);
    try {
      this.calls?.event(call.id, { type: 'transferred', to: 'queue', ...transfer.target });
      this.log.info({ callId: call.id }, 'transferred caller is back in the queue');
      return true;
    } catch (error) {
      const refused = asServiceError(error);
      this.log.warn({ callId: call.id, reason: refused?.code ?? 'internal' }, 'transfer back to the queue not applied; the caller is queued as a new call');
      this.forget(call);
      return false;
    }
  }

  /** No INVITE followed a transfer to the queue: the call stays with the agent, or ends if its leg was hung up meanwhile. */
  private transferNotFollowed(transfer: PendingTransfer): void {
    const call = this.byId.get(transfer.callId);
    if (!call || call.sipCallId !== transfer.sipCallId) return;
    this.log.warn({ callId: call.id }, 'the caller did not follow the transfer to the queue');
    if (!transfer.endedBy) return;
    this.forget(call);
    this.apply(call.id, { type: 'ended', by: transfer.endedBy });
  }

  private async invite(event: Extract<KamailioEvent, { event: 'invite' }>): Promise<void> {
    if (this.attachTransfer(event)) return;
    const id = callIdForSip(event.sipCallId);
    const call: SipCall = { id, sipCallId: event.sipCallId, boot: event.boot, tindex: event.tindex, tlabel: event.tlabel, target: null, rang: false, stage: 'waiting' };
    this.bySip.set(event.sipCallId, call);
    this.byId.set(id, call);
    const intent = intentSchema.safeParse(event.intent.toLowerCase());
    const language = languageSchema.safeParse(event.language.toLowerCase() || this.options.defaultLanguage);
    try {
      await this.calls?.arrived({
        callId: id,
        callerNumber: event.from.length >= 3 ? event.from.slice(0, 32) : `sip-${event.from || 'anonymous'}`,
        intent: intent.success ? intent.data : this.options.defaultIntent,
        ...(language.success ? { language: language.data } : {}),
      });
    } catch (error) {
      const refused = asServiceError(error);
      this.log.warn({ callId: id, reason: refused?.code ?? 'internal' }, 'call from Kamailio not queued; rejected');
      this.forget(call);
      this.reject(call, 480);
    }
  }

  private reject(call: SipCall, code: 480 | 487, retryForMs?: number): void {
    const decision: KamailioDecision = { action: 'reject', tindex: call.tindex, tlabel: call.tlabel, boot: call.boot, code };
    void this.client.decide(decision, retryForMs);
  }

  /** Kamailio went away: the INVITEs it held in suspense went with it; answered calls carry on. */
  private lostKamailio(held: (call: SipCall) => boolean, why: string): void {
    const lost = [...this.byId.values()].filter((c) => c.stage !== 'connected' && held(c));
    if (lost.length === 0) return;
    this.log.warn({ lost: lost.length }, `${why}; calls it was holding are abandoned`);
    for (const call of lost) {
      this.forget(call);
      this.apply(call.id, { type: 'abandoned' });
      // If it was only out of reach, it still holds the caller: told to let go once it answers again.
      if (call.stage === 'waiting') this.reject(call, 480, 60_000);
    }
  }

  private forget(call: SipCall): void {
    this.bySip.delete(call.sipCallId);
    this.byId.delete(call.id);
  }

  private apply(callId: string, event: TelephonyEventInput): void {
    try {
      this.calls?.event(callId, event);
    } catch (error) {
      const refused = asServiceError(error);
      if (refused && refused.status < 500) this.log.info({ callId, event: event.type, reason: refused.code }, 'call event not applied');
      else this.log.error({ err: error, callId, event: event.type }, 'call event failed');
    }
  }

  /** Applied after the current routing step (an assignment is made inside one). */
  private later(callId: string, event: TelephonyEventInput, why: string): void {
    this.log.warn({ callId }, why);
    setImmediate(() => this.apply(callId, event));
  }
}

function splitHostPort(value: string): [string, number] {
  const at = value.lastIndexOf(':');
  return [value.slice(0, at).replace(/^\[|\]$/g, ''), Number(value.slice(at + 1))];
}
