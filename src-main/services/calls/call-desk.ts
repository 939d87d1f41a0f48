import { performance } from 'node:perf_hooks';
import type { callMethods, CallEnd, CallPhase, CallState, CurrentCall } from '@shared/contract/desktop-api';
import type { PopView } from '@shared/contract/pop';
import type { CallLine, CallOffer, OutreachTask } from '@shared/contract/server-socket';
import type { Change } from '@shared/contract/sync';
import type { Handlers, MethodsOf } from '../desk/desk';
import type { DesktopEventBus } from '../desk/event-bus';
import type { PreferencesDesk } from '../preferences/preferences-desk';
import type { ServerHttpClient } from '../server-link/server-http-client';
import { request } from '../server-link/server-socket';
import type { Session, SessionHolder } from '../session/session';
import { fetchCustomerIntoCache } from './customer-fetch';
import type { PlaybookScript } from '@shared/domain/playbook';
import { answerStep, nextStep, startScript, stepBack, type CallScriptState } from '@shared/playbook/scripts';
import { BackendError } from '../desk/backend-error';
import { buildPop, type Summariser } from './pop-builder';

/** Offers whose paint time is still awaited, at most. */
const PENDING_PAINTS = 100;

/**
 * The call desk: the only owner of the call on screen, its phase, pop and
 * brief. Every change is a new versioned state sent whole as `call.changed`;
 * other desks change it only through the methods here.
 */
export class CallDesk {
  private state: CallState = { version: 0, current: null, last: null };
  private readonly offerReceivedAt = new Map<string, number>();
  /** Offer-to-paint times, for the pop benchmark. */
  readonly popLatenciesMs: number[] = [];
  private readonly offerListeners = new Set<() => void>();
  private readonly customerListeners = new Set<(session: Session, callId: string) => void>();

  constructor(
    private readonly sessions: SessionHolder,
    private readonly events: DesktopEventBus,
    private readonly preferences: PreferencesDesk,
    private readonly http: ServerHttpClient,
    private readonly summarise: Summariser,
  ) {
    sessions.onEnded(() => this.update(null, null));
  }

  readonly handlers: Handlers<MethodsOf<typeof callMethods>> = {
    'call.accept': async ({ callId }) => {
      await request(this.sessions.require().socket, 'call:accept', { callId });
      this.setPhase(callId, 'connected');
      return { ok: true as const };
    },
    'call.reject': async ({ callId }) => {
      await request(this.sessions.require().socket, 'call:reject', { callId });
      if (this.onScreen(callId)) this.update(null, { callId, outcome: 'revoked', reason: 'rejected' });
      return { ok: true as const };
    },
    'call.hangUp': async ({ callId }) => {
      await request(this.sessions.require().socket, 'call:hangUp', { callId });
      this.setPhase(callId, 'wrap_up');
      return { ok: true as const };
    },
    'call.current': () => this.state,
    'call.scriptAnswer': ({ callId, answerId }) => this.moveScript(callId, (script, state) => answerStep(script, state, answerId)),
    'call.scriptNext': ({ callId }) => this.moveScript(callId, nextStep),
    'call.scriptBack': ({ callId }) => this.moveScript(callId, (_script, state) => stepBack(state)),
    'call.scriptSwitch': ({ callId, scriptId }) => {
      const script = this.sessions.require().cache.reference.playbook()?.scripts.find((s) => s.id === scriptId);
      if (!script) throw new BackendError('invalid_input', `The playbook has no script "${scriptId}"`);
      return this.moveScript(callId, () => startScript(script));
    },
    'call.popPainted': ({ callId }) => {
      const started = this.offerReceivedAt.get(callId);
      if (started !== undefined) {
        this.popLatenciesMs.push(performance.now() - started);
        this.offerReceivedAt.delete(callId);
      }
      return { ok: true as const };
    },
  };

  get current(): CurrentCall | null {
    return this.state.current;
  }

  onScreen(callId: string): boolean {
    return this.state.current?.pop.call.id === callId;
  }

  /** A call is offered to this desk (before its pop is built). */
  onOffer(listener: () => void): void {
    this.offerListeners.add(listener);
  }

  /** The pop on screen now shows a known customer it did not show before: time for the brief. */
  onCustomerShown(listener: (session: Session, callId: string) => void): void {
    this.customerListeners.add(listener);
  }

  /** An offer from the server: the pop is built from the cache alone and painted at once. */
  receiveOffer(offer: CallOffer): void {
    const session = this.sessions.current;
    if (!session) return;
    this.offerReceivedAt.set(offer.call.id, performance.now());
    if (this.offerReceivedAt.size > PENDING_PAINTS) this.offerReceivedAt.delete(this.offerReceivedAt.keys().next().value as string);
    // Inbound calls always come first; the server revokes a preview task too, this just does not wait for it.
    for (const listener of this.offerListeners) listener();
    this.show(session, offer, 'offered', null);
  }

  /** An outbound call the server opened from an outreach task: connected at once, never ringing. */
  openOutbound(session: Session, offer: CallOffer, task: OutreachTask | null): void {
    this.show(session, offer, 'connected', task);
  }

  /**
   * The server took the call back: an offer that timed out, was abandoned or
   * taken; or, with a phone system, an accepted call whose phone did not
   * answer or whose caller hung up before it did. The server never revokes a
   * call whose line answered, and a call in wrap-up stays for its wrap-up.
   */
  revoked(callId: string, reason: 'timeout' | 'abandoned' | 'taken' | 'no_answer'): void {
    const phase = this.state.current?.phase;
    if (this.onScreen(callId) && (phase === 'offered' || phase === 'connected')) this.update(null, { callId, outcome: 'revoked', reason });
  }

  /** The phone system reported the line: ringing on the agent's phone, connected, or ended by someone. */
  lineChanged(line: CallLine): void {
    const current = this.state.current;
    if (current?.pop.call.id !== line.callId) return;
    const next = { status: line.status, endedBy: line.endedBy };
    if (current.line?.status === next.status && current.line.endedBy === next.endedBy) return;
    this.update({ ...current, line: next }, this.state.last);
  }

  /** The call ended (either side hung up): its wrap-up opens. */
  ended(callId: string): void {
    this.setPhase(callId, 'wrap_up');
  }

  /** The wrap-up was saved: the desk is free. */
  saved(callId: string): void {
    if (this.onScreen(callId)) this.update(null, { callId, outcome: 'saved', reason: null });
  }

  /**
   * Feed changes reached the cache (by push, pull or the end of a cold sync):
   * the pop is rebuilt when they touch its customer or what every pop shows
   * (the playbook, offer figures, models), so a call that rang while the
   * cache was still filling in gets its script and offers as they arrive.
   */
  feedApplied(changes: readonly Change[]): void {
    const customerId = this.state.current?.pop.call.customerId;
    if (customerId && changes.some((change) => touchesPop(change, customerId))) this.refreshPopFor(customerId);
  }

  /** The cache was filled by a cold sync: a pop painted before it is rebuilt with what arrived (script, offers, models). */
  cacheFilled(): void {
    const customerId = this.state.current?.pop.call.customerId;
    if (customerId) this.refreshPopFor(customerId);
  }

  /** Rebuilds the pop on screen when its customer changed underneath it (a feed change, an edit, an identity action). */
  refreshPopFor(customerId: string): void {
    const current = this.state.current;
    const session = this.sessions.current;
    if (!session || !current || current.pop.call.customerId !== customerId) return;
    this.replacePop(session, { call: current.pop.call, reservationDeadline: current.pop.reservationDeadline, match: current.pop.match });
  }

  /**
   * Rebuilds the pop on screen from the cache. A model brief (or one under
   * way) for the same customer is kept; a customer who has just become known
   * gets their brief started.
   */
  replacePop(session: Session, offer: CallOffer, script: CallScriptState | null = this.scriptState()): void {
    const current = this.state.current;
    if (!current || current.pop.call.id !== offer.call.id) return;
    let pop = this.buildPop(session, offer, script);
    const before = current.pop.summary;
    const sameCustomer = pop.customer !== null && pop.customer.id === current.pop.customer?.id;
    if (sameCustomer && (before.source === 'model' || before.status === 'pending' || before.status === 'streaming')) {
      pop = { ...pop, summary: before };
    } else if (sameCustomer) {
      pop = { ...pop, summary: { ...pop.summary, status: 'done', fallbackReason: before.fallbackReason ?? null } };
    }
    this.update({ ...current, pop }, this.state.last);
    if (!sameCustomer && pop.customer) this.customerShown(session, pop.call.id);
  }

  /** The brief desk's writing lands here: the pop's summary is part of the call state. */
  setSummary(callId: string, summary: PopView['summary']): void {
    const current = this.state.current;
    if (current?.pop.call.id === callId) this.update({ ...current, pop: { ...current.pop, summary } }, this.state.last);
  }

  /** A new call on screen: painted from the cache at once; a caller the cache lacks is fetched, then painted again. */
  private show(session: Session, offer: CallOffer, phase: CallPhase, outreach: OutreachTask | null): void {
    const pop = this.buildPop(session, offer);
    this.update({ pop, phase, outreach, line: null }, null);
    if (pop.customer) this.customerShown(session, offer.call.id);
    else if (offer.call.customerId) void this.fetchMissingCustomer(session, offer, offer.call.customerId);
  }

  private setPhase(callId: string, phase: CallPhase): void {
    const current = this.state.current;
    if (current?.pop.call.id === callId && current.phase !== phase) this.update({ ...current, phase }, this.state.last);
  }

  private update(current: CurrentCall | null, last: CallEnd | null): void {
    this.state = { version: this.state.version + 1, current, last };
    this.events.emit('call.changed', this.state);
  }

  private buildPop(session: Session, offer: CallOffer, script: CallScriptState | null = null): PopView {
    return buildPop(session.cache, offer, this.summarise, this.preferences.language, session.aiModel ? 'pending' : 'done', { agentName: session.agent.displayName, script });
  }

  /** The script's state on screen, as the pop shows it. */
  private scriptState(): CallScriptState | null {
    const script = this.state.current?.pop.script;
    return script ? { scriptId: script.scriptId, path: script.path, ended: script.ended } : null;
  }

  /** Moves the call along its script (or to another one) and repaints the pop; the step reached goes with the wrap-up. */
  private moveScript(callId: string, move: (script: PlaybookScript, state: CallScriptState) => CallScriptState): { ok: true } {
    const session = this.sessions.require();
    const current = this.state.current;
    if (current?.pop.call.id !== callId) throw new BackendError('no_such_call', `Call ${callId} is not on this desk`);
    const state = this.scriptState();
    const script = state ? findScript(session, state.scriptId) : null;
    if (!state || !script) throw new BackendError('invalid_input', 'This call has no script');
    const moved = move(script, state);
    if (moved !== state) this.replacePop(session, { call: current.pop.call, reservationDeadline: current.pop.reservationDeadline, match: current.pop.match }, moved);
    return { ok: true as const };
  }

  private customerShown(session: Session, callId: string): void {
    for (const listener of this.customerListeners) listener(session, callId);
  }

  private async fetchMissingCustomer(session: Session, offer: CallOffer, customerId: string): Promise<void> {
    // Offline or unknown: the pop already shows what the cache had.
    if (await fetchCustomerIntoCache(session, this.http, customerId)) this.replacePop(session, offer);
  }
}

function findScript(session: Session, scriptId: string): PlaybookScript | null {
  return session.cache.reference.playbook()?.scripts.find((s) => s.id === scriptId) ?? null;
}

function touchesPop(change: Change, customerId: string): boolean {
  switch (change.entity) {
    case 'customer':
      return change.data.id === customerId;
    case 'scores':
    case 'interaction':
      return change.data.customerId === customerId;
    case 'agent':
      return false;
    default:
      return true;
  }
}
