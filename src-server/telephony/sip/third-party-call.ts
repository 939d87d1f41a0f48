import type { TelephonyEventInput } from '@shared/contract/server-http';
import { randomToken, type ClientTransaction, type SipEndpoint } from './sip-endpoint';
import { cseqOf, headerOf, headersOf, paramOf, refusingAnswer, uriOf, type SipHeaders, type SipRequest, type SipResponse } from './sip-message';

interface Leg {
  role: 'agent' | 'customer';
  sipCallId: string;
  /** Request-URI of the INVITE. */
  uri: string;
  from: string;
  /** To, with the phone's tag once it answered. */
  to: string;
  cseq: number;
  tx: ClientTransaction | null;
  remoteTarget: string | null;
  routes: string[];
  state: 'calling' | 'confirmed' | 'ended';
  /** The ACK of the 2xx, kept to answer a retransmitted 2xx; null until sent. */
  ack: Buffer | null;
}

interface OutboundCall {
  callId: string;
  agent: Leg;
  customer: Leg | null;
  /** The agent's phone's SDP offer (in its 200), sent on to the customer. */
  offer: string;
  rang: boolean;
  /** Hung up from the desktop, or already reported ended: no more events. */
  closed: boolean;
}

export interface ThirdPartyCallsOptions {
  /** Domain for From and for numbers dialled (sip:<number>@domain). */
  domain: string;
  /** Sent as X-Holdfast-Key so Kamailio lets Holdfast's own INVITEs out (and removes it before relaying). */
  key: string;
  onEvent(callId: string, event: TelephonyEventInput): void;
}

/** What a failed INVITE means for the call. */
function failureOf(status: number): TelephonyEventInput {
  if (status === 486 || status === 600) return { type: 'busy' };
  if (status === 603) return { type: 'rejected' };
  if (status === 408 || status === 480 || status === 487) return { type: 'no_answer' };
  return { type: 'failed' };
}

/**
 * Outbound calls by third-party call control (RFC 3725, flow I): Kamailio is
 * a proxy and cannot place a call itself, so Holdfast does, as a SIP user
 * agent through it. The agent's phone is called first with no SDP; its 200
 * carries an offer, which goes to the customer's number in a second INVITE;
 * the customer's answer goes back to the agent's phone in its ACK. A BYE on
 * either leg ends the other one. The customer must answer within the agent
 * phone's 2xx retransmission window (32 s) for the agent's side to hold.
 */
export class ThirdPartyCalls {
  private readonly calls = new Map<string, OutboundCall>();
  private readonly bySip = new Map<string, { call: OutboundCall; leg: Leg }>();

  constructor(private readonly endpoint: SipEndpoint, private readonly options: ThirdPartyCallsOptions) {
    endpoint.onStray = (response) => this.stray(response);
  }

  has(callId: string): boolean {
    return this.calls.has(callId);
  }

  /** Rings the agent's phone (`agentUri`); once answered, the customer's number. */
  dial(callId: string, agentUri: string, customerNumber: string): void {
    const agent = this.leg('agent', agentUri, `<sip:${customerNumber}@${this.options.domain}>;tag=${randomToken()}`);
    const call: OutboundCall = { callId, agent, customer: null, offer: '', rang: false, closed: false };
    this.calls.set(callId, call);
    this.invite(call, agent, '', (response) => this.agentAnswered(call, response, customerNumber));
  }

  /** Requests from the phones: a BYE ends the call on both legs. */
  handle(request: SipRequest, reply: (status: number, reason: string, headers?: SipHeaders) => void): void {
    const found = this.bySip.get(headerOf(request, 'call-id') ?? '');
    if (request.method === 'ACK') return;
    if (request.method === 'OPTIONS') return reply(200, 'OK', [['allow', 'INVITE, ACK, BYE, CANCEL, OPTIONS']]);
    if (!found) return reply(481, 'Call/Transaction Does Not Exist');
    if (request.method === 'BYE') {
      reply(200, 'OK');
      const { call, leg } = found;
      if (leg.state === 'ended') return;
      leg.state = 'ended';
      const other = leg.role === 'agent' ? call.customer : call.agent;
      if (other) this.end(call, other);
      this.close(call, { type: 'ended', by: leg.role === 'agent' ? 'agent' : 'caller' });
      return;
    }
    // Re-INVITEs (hold, codec changes) would need the other leg's consent: refused, the call stays as it is.
    reply(488, 'Not Acceptable Here');
  }

  /** The agent ended the call on the desktop: both legs are hung up (or cancelled), with no event back. */
  hangUp(callId: string): void {
    const call = this.calls.get(callId);
    if (!call) return;
    call.closed = true;
    this.end(call, call.agent);
    if (call.customer) this.end(call, call.customer);
    this.forget(call);
  }

  stop(): void {
    for (const callId of [...this.calls.keys()]) this.hangUp(callId);
  }

  private agentAnswered(call: OutboundCall, response: SipResponse, customerNumber: string): void {
    const { agent } = call;
    if (response.status < 200) {
      if (response.status >= 180 && !call.rang) {
        call.rang = true;
        this.event(call, { type: 'ringing' });
      }
      return;
    }
    if (response.status >= 300) {
      agent.state = 'ended';
      this.close(call, failureOf(response.status));
      return;
    }
    this.confirm(agent, response);
    if (call.closed || !response.body) {
      // Hung up meanwhile, or a phone that made no offer: it still gets its ACK, then the BYE.
      this.ack(agent, response.body ? refusingAnswer(response.body) : '');
      this.end(call, agent);
      if (!call.closed) this.close(call, { type: 'failed' });
      return;
    }
    call.offer = response.body;
    const customer = this.leg('customer', `sip:${customerNumber}@${this.options.domain}`, `<sip:holdfast@${this.options.domain}>;tag=${randomToken()}`);
    call.customer = customer;
    this.invite(call, customer, call.offer, (answer) => this.customerAnswered(call, answer));
  }

  private customerAnswered(call: OutboundCall, response: SipResponse): void {
    const customer = call.customer!;
    if (response.status < 200) return;
    if (response.status >= 300 || !response.body) {
      if (response.status < 300) {
        this.confirm(customer, response);
        this.ack(customer, '');
        this.end(call, customer);
      }
      customer.state = 'ended';
      // The agent's phone is waiting for its ACK: an answer refusing the media, then the BYE.
      if (call.agent.state === 'confirmed' && !call.agent.ack) this.ack(call.agent, refusingAnswer(call.offer));
      this.end(call, call.agent);
      this.close(call, response.status >= 300 ? failureOf(response.status) : { type: 'failed' });
      return;
    }
    this.confirm(customer, response);
    this.ack(customer, '');
    if (call.closed) {
      this.end(call, customer);
      return;
    }
    this.ack(call.agent, response.body);
    this.event(call, { type: 'answered' });
  }

  private leg(role: Leg['role'], uri: string, from: string): Leg {
    return { role, sipCallId: `${randomToken()}@holdfast`, uri, from, to: `<${uri}>`, cseq: 1, tx: null, remoteTarget: null, routes: [], state: 'calling', ack: null };
  }

  private invite(call: OutboundCall, leg: Leg, sdp: string, onResponse: (response: SipResponse) => void): void {
    this.bySip.set(leg.sipCallId, { call, leg });
    const headers: SipHeaders = [
      ['from', leg.from], ['to', leg.to], ['call-id', leg.sipCallId], ['cseq', `${leg.cseq} INVITE`],
      ['contact', `<sip:holdfast@${this.endpoint.hostPort}>`], ['x-holdfast-key', this.options.key], ['allow', 'INVITE, ACK, BYE, CANCEL, OPTIONS'],
      ...(sdp ? [['content-type', 'application/sdp'] as [string, string]] : []),
    ];
    const tx = this.endpoint.request('INVITE', leg.uri, headers, sdp, (response) => {
      // A failure is acknowledged hop by hop, on the INVITE's own branch (RFC 3261 section 17.1.1.3).
      if (response.status >= 300 && response.headers.length > 0) {
        this.endpoint.sendRaw('ACK', leg.uri, [['from', leg.from], ['to', headerOf(response, 'to') ?? leg.to], ['call-id', leg.sipCallId], ['cseq', `${leg.cseq} ACK`]], '', tx.via);
      }
      onResponse(response);
    });
    leg.tx = tx;
  }

  /** The leg's phone answered: its tag, its Contact and the route set (Record-Route, reversed for the caller's side). */
  private confirm(leg: Leg, response: SipResponse): void {
    leg.state = 'confirmed';
    leg.to = headerOf(response, 'to') ?? leg.to;
    leg.remoteTarget = uriOf(headerOf(response, 'contact') ?? leg.uri);
    leg.routes = headersOf(response, 'record-route').reverse();
  }

  private ack(leg: Leg, sdp: string): void {
    leg.ack = this.endpoint.sendRaw('ACK', leg.remoteTarget ?? leg.uri, [
      ...leg.routes.map((r): [string, string] => ['route', r]),
      ['from', leg.from], ['to', leg.to], ['call-id', leg.sipCallId], ['cseq', `${leg.cseq} ACK`],
      ...(sdp ? [['content-type', 'application/sdp'] as [string, string]] : []),
    ], sdp);
  }

  /** Hangs a leg up: BYE when answered, CANCEL while it rings. */
  private end(call: OutboundCall, leg: Leg): void {
    if (leg.state === 'calling') {
      leg.tx?.cancel();
      leg.state = 'ended';
      return;
    }
    if (leg.state !== 'confirmed') return;
    if (!leg.ack) this.ack(leg, leg.role === 'agent' && call.offer ? refusingAnswer(call.offer) : '');
    leg.state = 'ended';
    leg.cseq += 1;
    this.endpoint.request('BYE', leg.remoteTarget ?? leg.uri, [
      ...leg.routes.map((r): [string, string] => ['route', r]),
      ['from', leg.from], ['to', leg.to], ['call-id', leg.sipCallId], ['cseq', `${leg.cseq} BYE`],
    ], '', () => undefined);
  }

  /** A 2xx that came again (its ACK was lost, or not sent yet): the ACK again, once there is one. */
  private stray(response: SipResponse): void {
    const found = this.bySip.get(headerOf(response, 'call-id') ?? '');
    if (!found || response.status < 200 || response.status >= 300) return;
    try {
      if (cseqOf(response).method !== 'INVITE') return;
    } catch {
      return;
    }
    if (found.leg.ack) this.endpoint.send(found.leg.ack);
    else if (paramOf(headerOf(response, 'to') ?? '', 'tag') && found.leg.state === 'ended') this.ack(found.leg, '');
  }

  private event(call: OutboundCall, event: TelephonyEventInput): void {
    if (!call.closed) this.options.onEvent(call.callId, event);
  }

  private close(call: OutboundCall, event: TelephonyEventInput): void {
    this.event(call, event);
    call.closed = true;
    this.forget(call);
  }

  private forget(call: OutboundCall): void {
    this.calls.delete(call.callId);
    // Kept a little longer: a retransmitted 2xx or BYE still finds its leg.
    const timer = setTimeout(() => {
      this.bySip.delete(call.agent.sipCallId);
      if (call.customer) this.bySip.delete(call.customer.sipCallId);
    }, 40_000);
    timer.unref?.();
  }
}
