import type { CallState } from '@shared/contract/desktop-api';
import type { DesktopBackend } from '../../src-main/services/desktop-backend';
import type { RunningServer } from '../../src-server/routing-server';
import { BaresipUa, type KamailioProcess } from './sip';

/** A signed-in agent at a desk: the desktop backend and the SIP phone on it, with what the desktop showed. */
export interface AgentSeat {
  username: string;
  agentId: string;
  backend: DesktopBackend;
  phone: BaresipUa;
  /** Every call state the desktop showed, in order. */
  states: CallState[];
  /** Call ids offered to this desktop, one entry per offer. */
  offered: string[];
}

/**
 * Gives each signed-in desktop an auto-answering baresip phone registered at
 * Kamailio, accepts every offer on the desktop once (the phone then rings and
 * answers by itself), and makes the agent ready.
 */
export async function seatAgents(server: RunningServer, kamailio: KamailioProcess, backends: readonly DesktopBackend[], usernames: readonly string[]): Promise<AgentSeat[]> {
  const agents = await server.store.listAgents();
  const seats: AgentSeat[] = [];
  for (const [i, username] of usernames.entries()) {
    const backend = backends[i]!;
    const agentId = agents.find((a) => a.username === username)!.id;
    const seat: AgentSeat = { username, agentId, backend, phone: await BaresipUa.start(username, kamailio, 'auto'), states: [], offered: [] };
    backend.on('call.changed', (state) => {
      seat.states.push(state);
      const current = state.current;
      if (current?.phase === 'offered' && seat.offered.at(-1) !== current.pop.call.id) {
        seat.offered.push(current.pop.call.id);
        void backend.invoke('call.accept', { callId: current.pop.call.id });
      }
    });
    const ready = await backend.invoke('presence.set', { presence: 'available' });
    if (!ready.ok) throw new Error(`${username} could not go ready`);
    seats.push(seat);
  }
  return seats;
}

/** The seat whose desktop showed this caller's call connected, and the call's id. */
export function connectedAt(seats: readonly AgentSeat[], callerUser: string): { seat: AgentSeat; callId: string } | undefined {
  for (const seat of seats) {
    const shown = seat.states.find((s) => s.current?.pop.call.callerNumber === callerUser && s.current.phase === 'connected');
    if (shown?.current) return { seat, callId: shown.current.pop.call.id };
  }
  return undefined;
}

/** Saves the wrap-up a seat's desktop has open, if any (a plain "not a retention call"); throws if the desktop refuses it. */
export async function saveOpenWrapUp(seat: AgentSeat): Promise<void> {
  const current = await seat.backend.invoke('call.current', {});
  const call = current.ok ? current.value.current : null;
  if (!call || call.phase !== 'wrap_up') return;
  const saved = await seat.backend.invoke('wrapUp.save', {
    callId: call.pop.call.id, customerId: call.pop.call.customerId ?? call.pop.match.candidates[0]?.customerId ?? 'C1000007',
    disposition: 'not_retention', offerId: null, offerOutcome: 'no_offer', notes: '', summary: 'Test call',
  });
  if (!saved.ok) throw new Error(`${seat.username}'s wrap-up was refused: ${saved.error.message}`);
}
