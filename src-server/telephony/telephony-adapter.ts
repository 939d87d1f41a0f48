import type { Call } from '@shared/domain/call';
import type { CreateCallRequest, TelephonyEventInput } from '@shared/contract/server-http';

/** Where an accepted call goes: the agent's phone. */
export interface Assignment {
  callId: string;
  agentId: string;
  /** The agent's phone: a SIP URI, an extension, or null when none is set (the adapter may derive one). */
  phoneAddress: string | null;
  /** The agent's user name (a SIP adapter's default phone is sip:<username>@<domain>). */
  agentUsername: string;
  callerNumber: string;
}

/** An outbound call: the agent's phone rings first, then the customer's. Checked by the server before it gets here. */
export interface OutboundDial {
  callId: string;
  agentId: string;
  phoneAddress: string | null;
  agentUsername: string;
  customerNumber: string;
}

/** The server's side as an adapter sees it: calls in, call events in. */
export interface TelephonyCalls {
  /** A call reached the queue. Refused (duplicate_call) if the id was received before. */
  arrived(request: CreateCallRequest): Promise<Call>;
  /** Something happened to a call on the phone side. */
  event(callId: string, event: TelephonyEventInput): Call;
}

/**
 * One phone system behind Holdfast. Calls come in through `TelephonyCalls`;
 * decisions go out through `assign` (an agent accepted: ring their phone),
 * `hangUp` and `dial`. An adapter owns its connection to the phone system
 * (reconnecting, retrying) and never throws into the routing path: a
 * decision it cannot carry out comes back as an event (e.g. `failed`).
 */
export interface TelephonyAdapter {
  readonly kind: 'sip' | 'webhook';
  /** Whether the link to the phone system is up now (a webhook adapter is always ready to queue). */
  readonly connected: boolean;
  start(calls: TelephonyCalls): Promise<void>;
  stop(): Promise<void>;
  assign(assignment: Assignment): void;
  /** The agent hung up from the desktop. */
  hangUp(callId: string, agentId: string): void;
  /** Places an outbound call from the agent's phone to the customer. */
  dial(dial: OutboundDial): void;
}
