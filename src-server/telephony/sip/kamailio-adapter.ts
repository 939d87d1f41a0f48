import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { intentSchema } from '@shared/domain/call';
import { languageSchema } from '@shared/domain/language';
import type { TelephonyEventInput } from '@shared/contract/server-http';
import { asServiceError } from '../../routing/service-errors';
import type { Assignment, OutboundDial, TelephonyAdapter, TelephonyCalls } from '../telephony-adapter';
import { EvapiConnection } from './evapi-connection';

const sipCallIdSchema = z.string().min(1).max(512);
const transaction = { tindex: z.number().int().nonnegative(), tlabel: z.number().int().nonnegative() };

/** What resources/telephony/kamailio.cfg sends over evapi. */
const kamailioEventSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('invite'), sipCallId: sipCallIdSchema, ...transaction, from: z.string().max(128), queue: z.string().max(128), intent: z.string().max(64), language: z.string().max(16) }),
  z.object({ event: z.literal('agent_failed'), sipCallId: sipCallIdSchema, ...transaction, code: z.union([z.string(), z.number()]).optional() }),
  z.object({ event: z.enum(['cancel', 'agent_ringing', 'agent_answered', 'queue_timeout', 'gone']), sipCallId: sipCallIdSchema }),
  z.object({ event: z.literal('bye'), sipCallId: sipCallIdSchema, by: z.enum(['caller', 'agent']) }),
]);
type KamailioEvent = z.infer<typeof kamailioEventSchema>;

interface SipCall {
  id: string;
  sipCallId: string;
  /** The suspended INVITE transaction in Kamailio (valid while stage is 'waiting'). */
  tindex: number;
  tlabel: number;
  /** waiting: held in Kamailio for Holdfast; ringing: sent to an agent's phone; connected: answered. */
  stage: 'waiting' | 'ringing' | 'connected';
}

export interface KamailioAdapterOptions {
  /** evapi host:port */
  evapi: string;
  /** Domain of agents' phones given as an extension or by user name. */
  domain: string;
  defaultIntent: z.infer<typeof intentSchema>;
  defaultLanguage: string;
}

/** Holdfast's call id for a SIP Call-ID: the same INVITE always maps to the same call (a repeat is refused as a duplicate). */
export function callIdForSip(sipCallId: string): string {
  return `SIP-${createHash('sha256').update(sipCallId).digest('hex').slice(0, 24)}`;
}

/**
 * The SIP adapter: Kamailio (resources/telephony/kamailio.cfg) holds each
 * caller's INVITE suspended while the call waits in Holdfast's queue, and
 * talks to this adapter over its evapi socket: calls and phone events in,
 * "connect to this phone" and "reject" out. Calls still held when the
 * connection drops (Kamailio stopped or restarted) are lost with it and are
 * marked abandoned; answered calls carry on (their BYE is record-routed).
 */
export class KamailioAdapter implements TelephonyAdapter {
  readonly kind = 'sip' as const;
  private readonly connection: EvapiConnection;
  private readonly bySip = new Map<string, SipCall>();
  private readonly byId = new Map<string, SipCall>();
  private calls: TelephonyCalls | null = null;
  private firstUp: (() => void) | null = null;

  constructor(private readonly options: KamailioAdapterOptions, private readonly log: Logger) {
    const [host, port] = splitHostPort(options.evapi);
    this.connection = new EvapiConnection(host, port, {
      message: (payload) => this.receive(payload),
      up: () => {
        this.log.info({ evapi: options.evapi }, 'connected to Kamailio');
        this.firstUp?.();
        this.firstUp = null;
      },
      down: () => this.lostKamailio(),
      warn: (message) => this.log.warn(message),
    });
  }

  get connected(): boolean {
    return this.connection.connected;
  }

  /** Connects (and keeps reconnecting); resolves once connected, or after 2 s with Kamailio not there yet. */
  async start(calls: TelephonyCalls): Promise<void> {
    this.calls = calls;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2_000);
      timer.unref?.();
      this.firstUp = () => {
        clearTimeout(timer);
        resolve();
      };
      this.connection.start();
    });
  }

  async stop(): Promise<void> {
    this.connection.stop();
  }

  assign(assignment: Assignment): void {
    const call = this.byId.get(assignment.callId);
    if (!call || call.stage !== 'waiting') {
      this.later(assignment.callId, { type: 'failed' }, 'assignment for a call Kamailio no longer holds');
      return;
    }
    const target = this.sipTarget(assignment.phoneAddress, assignment.agentUsername);
    call.stage = 'ringing';
    const sent = this.connection.send(JSON.stringify({ action: 'connect', tindex: call.tindex, tlabel: call.tlabel, target, sipCallId: call.sipCallId }));
    if (!sent) this.later(assignment.callId, { type: 'failed' }, 'Kamailio is not connected');
  }

  hangUp(callId: string): void {
    // This Kamailio configuration keeps no dialog state, so it cannot send BYE itself: the phones end the call.
    if (this.byId.has(callId)) this.log.info({ callId }, 'hang-up from the desktop: the phone call ends when a phone hangs up');
  }

  dial(dial: OutboundDial): void {
    this.log.warn({ callId: dial.callId }, 'outbound calls are not placed through Kamailio (it is a proxy, not a B2BUA); use the webhook adapter with a PBX that dials');
  }

  /** sip:... as given; an extension or no address at all: sip:<extension or user name>@<domain>. */
  sipTarget(phoneAddress: string | null, username: string): string {
    if (phoneAddress && /^sips?:/i.test(phoneAddress)) return phoneAddress;
    return `sip:${phoneAddress ?? username}@${this.options.domain}`;
  }

  private receive(payload: string): void {
    let event: KamailioEvent;
    try {
      event = kamailioEventSchema.parse(JSON.parse(payload));
    } catch (error) {
      this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'unreadable message from Kamailio');
      return;
    }
    if (event.event === 'invite') {
      void this.invite(event);
      return;
    }
    const call = this.bySip.get(event.sipCallId);
    if (!call) return; // a call this adapter never queued (or one already closed)
    switch (event.event) {
      case 'agent_ringing':
        if (call.stage === 'ringing') this.apply(call.id, { type: 'ringing' });
        return;
      case 'agent_answered':
        if (call.stage === 'connected') return;
        call.stage = 'connected';
        this.apply(call.id, { type: 'answered' });
        return;
      case 'agent_failed':
        call.tindex = event.tindex;
        call.tlabel = event.tlabel;
        call.stage = 'waiting';
        this.apply(call.id, { type: String(event.code) === '486' ? 'busy' : String(event.code) === '603' ? 'rejected' : 'no_answer' });
        return;
      case 'cancel':
      case 'queue_timeout':
      case 'gone':
        if (call.stage === 'waiting') this.connection.send(JSON.stringify({ action: 'reject', tindex: call.tindex, tlabel: call.tlabel, code: 487 }));
        this.forget(call);
        this.apply(call.id, { type: 'abandoned' });
        return;
      case 'bye':
        this.forget(call);
        this.apply(call.id, { type: 'ended', by: event.by });
        return;
    }
  }

  private async invite(event: Extract<KamailioEvent, { event: 'invite' }>): Promise<void> {
    if (this.bySip.has(event.sipCallId)) return;
    const id = callIdForSip(event.sipCallId);
    const call: SipCall = { id, sipCallId: event.sipCallId, tindex: event.tindex, tlabel: event.tlabel, stage: 'waiting' };
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
      this.connection.send(JSON.stringify({ action: 'reject', tindex: event.tindex, tlabel: event.tlabel, code: 480 }));
    }
  }

  /** Kamailio went away: the INVITEs it held in suspense went with it; answered calls carry on. */
  private lostKamailio(): void {
    const lost = [...this.byId.values()].filter((c) => c.stage !== 'connected');
    this.log.warn({ lost: lost.length }, 'connection to Kamailio lost; calls it was holding are abandoned');
    for (const call of lost) {
      this.forget(call);
      this.apply(call.id, { type: 'abandoned' });
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
  return [value.slice(0, at), Number(value.slice(at + 1))];
}
