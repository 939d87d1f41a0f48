import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Agent, AgentStatus } from '@shared/domain/agent';
import type { Call } from '@shared/domain/call';
import type { AgentRoutingView, CreateCallRequest, ReadyAgent, TransferCallRequest, UpdateAgentRequest } from '@shared/contract/server-http';
import { intentSchema } from '@shared/domain/call';
import { SUPPORTED_LANGUAGES } from '@shared/domain/language';
import { createCallRequestSchema } from '@shared/contract/server-http';
import type { OutreachTask, SupervisorState } from '@shared/contract/server-socket';
import type { OutcomeRecord, WrapUp } from '@shared/domain/wrap-up';
import type { Interaction } from '@shared/domain/interaction';
import type { UpliftReport } from '@shared/routing';
import { offerSegment, primaryDriver } from '@shared/playbook/select';
import { DEFAULT_MAX_HLC_DRIFT_MS, hlcExcessDrift, HybridLogicalClock } from '@shared/sync/hlc';
import type { EditableField } from '@shared/sync/profile-edits';
import type { OutreachServerConfig, RoutingConfig } from '../config';
import type { AgentStore } from '../store/roles/agent-store';
import type { CallStore } from '../store/roles/call-store';
import type { CustomerBundle, CustomerStore } from '../store/roles/customer-store';
import type { DocumentStore } from '../store/roles/document-store';
import type { FeedStore } from '../store/roles/feed-store';
import type { OutcomeStore, OutcomeWrite } from '../store/roles/outcome-store';
import type { ScoringStore } from '../store/roles/scoring-store';
import type { AccountEventStore } from '../store/roles/account-event-store';
import { readChurnReview } from '../scoring/champion-challenger';
import { DEFAULT_OFFER_LEARNING, OfferLearner, type OfferLearningConfig } from '../offers/offer-learner';
import type { OfferDecisionStore } from '../store/roles/offer-decision-store';
import type { PlaybookStore } from '../store/roles/playbook-store';
import type { ReviewStore } from '../store/roles/review-store';
import { DEFAULT_VERIFICATION, type OutcomeVerificationConfig, VerifiedOutcomes } from '../outcomes/verified-outcomes';
import { resolveCaller, type CallerIndex } from '../ingest/resolve-caller';
import { callAttributes, INTENT_SKILLS, outboundSegment, UNSCORED_SEGMENT } from './call-attributes';
import { CallRouter, engineOptions, type RouterHooks } from './call-router';
import type { DecisionWriter } from './decision-writer';
import { attemptInteractionId, OutreachService } from './outreach-service';
import { type CallMeta, DebouncedWriter, ROUTER_STATE_DOCUMENT, type RouterState, routerStateSchema } from './router-state';
import { RoutingMetrics } from './routing-metrics';
import { Rescorer } from '../scoring/rescorer';
import { ServiceError, type ServiceErrorCode } from './service-errors';
import { UpliftTally } from './uplift-tally';
import { reviewFact } from '../review/review-fact';

export interface RoutingEvents {
  offer: RouterHooks['offer'];
  revoke: RouterHooks['revoke'];
  callEnded: RouterHooks['callEnded'];
  presenceChanged: RouterHooks['presenceChanged'];
  supervisorState(state: SupervisorState): void;
  outcome(outcome: OutcomeRecord): void;
  feedMoved(lastSeq: number): void;
  outreachTask(agentId: string, task: OutreachTask): void;
  outreachRevoked(agentId: string, taskId: string, reason: 'inbound' | 'timeout' | 'unavailable'): void;
  /** The agent accepted a call: telephony sends it to their phone (absent: no phone system). */
  accepted?: RouterHooks['accepted'];
  /** The agent hung up from the desktop: telephony ends the phone call. */
  hungUp?: RouterHooks['hungUp'];
  /** An outbound call passed the server's checks: telephony rings the agent's phone, then the customer's. */
  dial?(agentId: string, callId: string, customerNumber: string): void;
}

/** Agents' phone addresses (kept by telephony), shown and edited with the agent's routing attributes. */
export interface PhoneBook {
  allPhones(): Promise<ReadonlyMap<string, string>>;
  setPhone(agentId: string, address: string | null): Promise<void>;
}

/** How one wrap-up was taken: applied, a duplicate of one applied before, or rejected (nothing stored). */
export interface WrapUpResult {
  id: string;
  duplicate: boolean;
  rejected?: { reason: ServiceErrorCode; message: string };
}

export interface RoutingServiceOptions {
  reservationTimeoutMs: number;
  defaultRegion: string;
  routing: RoutingConfig;
  outreach: OutreachServerConfig;
  /** Desktop sockets connected now (for metrics). */
  connectedDesktops?: () => number;
  /** How far ahead of the server's clock a desktop's HLC stamp may be (default 5 minutes). */
  maxClockDriftMs?: number;
  /** Horizons of verified outcomes and how often they are verified again (besides on every batch of account events). */
  verification?: OutcomeVerificationConfig & { refreshMs: number };
  /** Offers that learn: exploration share and guardrails. */
  offers?: OfferLearningConfig;
  /** A phone system is attached: an accepted call is connected when the agent's phone answers. */
  awaitPhone?: boolean;
  /**
   * The authority of a cluster: decisions go through this fenced writer, and what they tell desktops
   * waits until they are stored. On a restore, agents stay signed in as saved (their desktops are still
   * connected to other nodes) until `dropAgentsNotOnline` says who is not.
   */
  decisions?: DecisionWriter;
}

const SUPERVISOR_BROADCAST_MS = 150;
/** Added to the broadcast's interval per agent on the floor (see scheduleSupervisorBroadcast). */
const SUPERVISOR_BROADCAST_MS_PER_AGENT = 0.3;
const VERIFY_SOON_MS = 2_000;
const CALL_SAVE_FIRST_RETRY_MS = 50;
const CALL_SAVE_MAX_RETRY_MS = 5_000;
const CALL_SAVE_TRIES_AFTER_STOP = 5;

/** The saved routing state is there but cannot be read: the server does not start (and so overwrites nothing). */
export class RouterStateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RouterStateError';
  }
}

/**
 * What the call flow keeps: calls, outcomes, agents, the router's state; customers for callers and outreach; scoring for the
 * rescorer; the playbook for what an accepted offer costs (the review's offer cost).
 */
export type RoutingStore = AgentStore & CustomerStore & CallStore & OutcomeStore & DocumentStore & FeedStore & ScoringStore & AccountEventStore & PlaybookStore & OfferDecisionStore
  & Pick<ReviewStore, 'recordVerdicts'>;

/**
 * The server's call flow in one place: calls in (with the caller's scores
 * as routing attributes), the routing engine's offers out, wrap-ups applied
 * exactly once and fed back to the engine's learning and the uplift
 * measurement, outreach, the router's state kept across restarts, and the
 * supervisor's live picture. HTTP and socket handlers stay thin and call into this.
 */
export class RoutingService {
  readonly router: CallRouter;
  readonly outreach: OutreachService;
  readonly metrics: RoutingMetrics;
  /** Rescores customers whose data changed (wrap-ups, identity ingest) from the change feed. */
  readonly rescorer: Rescorer;
  /** Claims verified by billing's account events: supervisors' figures and routing's learning move to them. */
  readonly verified: VerifiedOutcomes;
  /** Chooses each inbound call's retention offer (Thompson sampling on verified stays) and logs its propensity. */
  readonly offers: OfferLearner;
  private readonly uplift = new UpliftTally();
  private verifyTimer: ReturnType<typeof setInterval> | null = null;
  private verifySoonTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly stateWriter: DebouncedWriter;
  private broadcastTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly clock = new HybridLogicalClock('server');
  private stopped = false;
  private started = false;
  /** A cluster authority's state as it stood when routing stopped: the last one it writes (see stop()). */
  private finalState: RouterState | null = null;
  private persistChain: Promise<void> = Promise.resolve();
  /** The floor's agents as the supervisors' broadcast last read them. */
  private floorCache: { at: number; agents: Agent[] } | null = null;
  private connectedDesktops: () => number;
  private phoneBook: PhoneBook | null = null;

  constructor(
    private readonly store: RoutingStore,
    /** Identity resolution's caller index, asked first who is calling. */
    private readonly identity: CallerIndex,
    private readonly events: RoutingEvents,
    private readonly options: RoutingServiceOptions,
    private readonly log: Logger,
  ) {
    this.connectedDesktops = options.connectedDesktops ?? (() => 0);
    this.metrics = new RoutingMetrics(
      {
        queue: () => this.router.engine.stats(),
        presenceCounts: () => this.router.presenceCounts(),
        connectedDesktops: () => this.connectedDesktops(),
      },
      options.routing.serviceLevelSeconds,
    );
    // In a cluster, a message follows the decision it tells of only once that is stored under the fence.
    const told = (send: () => void): void => (options.decisions ? options.decisions.afterSaved(send) : send());
    this.router = new CallRouter(
      {
        offer: (agentId, offer) => told(() => events.offer(agentId, offer)),
        revoke: (agentId, callId, reason) => told(() => events.revoke(agentId, callId, reason)),
        callEnded: (agentId, callId) => told(() => events.callEnded(agentId, callId)),
        presenceChanged: (agentId, presence, since) => told(() => events.presenceChanged(agentId, presence, since)),
        changed: () => this.changed(),
        persist: (call) => this.persist(call),
        reserved: (agentId) => this.outreach.onInboundReserved(agentId),
        presence: (agentId, presence) => this.outreach.onPresence(agentId, presence),
        accepted: (agentId, call) => events.accepted?.(agentId, call),
        hungUp: (agentId, call) => events.hungUp?.(agentId, call),
      },
      engineOptions(options.reservationTimeoutMs, options.routing),
      this.metrics,
      Date.now,
      options.routing.coalesceMs,
      options.awaitPhone ?? false,
    );
    this.outreach = new OutreachService(
      store,
      this.router,
      options.outreach,
      {
        task: (agentId, task) => events.outreachTask(agentId, task),
        revoked: (agentId, taskId, reason) => events.outreachRevoked(agentId, taskId, reason),
        feedMoved: (lastSeq) => events.feedMoved(lastSeq),
        dial: (agentId, callId, customerNumber) => events.dial?.(agentId, callId, customerNumber),
      },
      this.metrics,
      log,
    );
    this.stateWriter = new DebouncedWriter(() => this.saveState(), options.routing.stateSaveDebounceMs, log);
    this.verified = new VerifiedOutcomes(store, options.verification ?? DEFAULT_VERIFICATION, {
      revise: (agentId, segment, delta) => {
        this.router.engine.reviseOutcome(agentId, segment, delta);
        this.changed();
      },
    });
    this.offers = new OfferLearner(store, this.verified, options.offers ?? DEFAULT_OFFER_LEARNING);
    this.rescorer = new Rescorer(store, { feedMoved: (lastSeq) => events.feedMoved(lastSeq), log: (message) => log.info({ component: 'rescorer' }, message) });
  }

  /** Agents' phone addresses, from telephony (set once it exists). */
  setPhoneBook(phoneBook: PhoneBook): void {
    this.phoneBook = phoneBook;
  }

  /** Counts desktop sockets for the metrics (set once the gateway exists). */
  setConnectedDesktops(count: () => number): void {
    this.connectedDesktops = count;
  }

  async start(): Promise<void> {
    const saved = await this.loadState();
    const openCalls = await this.store.openCalls();
    // Calls the saved state has no attributes for (written after its last save): rebuilt from the customer's scores.
    const rebuilt = new Map<string, CallMeta>();
    for (const call of openCalls) {
      if (saved?.calls[call.id]) continue;
      rebuilt.set(call.id, await this.metaFor(call, call.customerId, { method: 'restored', confidence: 0, candidates: [] }, Date.parse(call.createdAt)));
    }
    if (saved) this.uplift.load(saved.uplift);
    this.router.restore(saved, openCalls, (call) => rebuilt.get(call.id) as CallMeta, (message) => this.log.warn(message), { keepAgentsOnline: this.options.decisions !== undefined });
    this.started = true;
    await this.verified.refresh();
    const refreshMs = this.options.verification?.refreshMs ?? 3_600_000;
    this.verifyTimer = setInterval(() => void this.verifyOutcomes(), refreshMs);
    this.verifyTimer.unref?.();
    this.outreach.start();
    await this.rescorer.start();
    await this.stateWriter.flush();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.options.decisions) {
      // A stopped router stores no more call records, yet a request already on its way can still change it
      // (accept, hang up, a call arriving). Its last state document is therefore taken now, at the stop, so
      // that it holds no decision whose record is never written; and no answer after this one says "done".
      if (this.started) this.finalState = this.currentState();
      this.options.decisions.seal();
    }
    this.outreach.stop();
    if (this.verifyTimer) clearInterval(this.verifyTimer);
    if (this.verifySoonTimer) clearTimeout(this.verifySoonTimer);
    this.router.stop();
    await this.rescorer.stop();
    if (this.broadcastTimer) clearTimeout(this.broadcastTimer);
    await this.persistChain;
    await this.options.decisions?.drain();
    if (this.started) await this.stateWriter.close();
  }

  /**
   * A cluster's new authority restored agents as they were saved; the nodes then said whose desktops
   * are connected. Everyone else is signed out of routing (their offers go back to the queue).
   */
  dropAgentsNotOnline(online: ReadonlySet<string>): string[] {
    const dropped = this.router.onlineAgents().filter((agentId) => !online.has(agentId));
    for (const agentId of dropped) this.router.agentOffline(agentId);
    return dropped;
  }

  async createCall(input: CreateCallRequest): Promise<Call> {
    const request = createCallRequestSchema.parse(input);
    if (this.stopped && this.options.decisions) throw new ServiceError('not_authority', 'this node is stopping; send the call again');
    const id = request.callId ?? `CALL-${randomUUID()}`;
    if (this.router.call(id) || this.router.engine.call(id)) throw new ServiceError('duplicate_call', `call "${id}" was already received`);
    // The reads a call needs go out together where they can: each round trip to the store is time the caller waits.
    // The engine remembers only recent ids (its own write of a new call is queued on persistChain, and the
    // engine holds that id meanwhile); the store has every one, so an old id cannot overwrite its record.
    const [onRecord, { customerId, match }] = await Promise.all([
      this.store.callExists(id),
      resolveCaller(this.identity, this.store, request.callerNumber, request.accountId, this.options.defaultRegion),
    ]);
    if (onRecord) throw new ServiceError('duplicate_call', `call "${id}" was already received (it is on record)`);
    const now = Date.now();
    const call: Call = {
      id,
      callerNumber: request.callerNumber,
      accountId: request.accountId ?? null,
      language: request.language,
      intent: request.intent,
      customerId,
      state: 'queued',
      agentId: null,
      createdAt: new Date(now).toISOString(),
      answeredAt: null,
      endedAt: null,
      priority: 0,
    };
    const bundle = customerId ? await this.store.customerBundle(customerId) : null;
    const meta = await this.metaFor(call, customerId, match, now, bundle);
    let logged: Promise<void> = Promise.resolve();
    if (bundle) {
      // The offer is chosen as the call comes in, and its propensity logged while the call is routed (not before);
      // a failure here never holds up the call.
      try {
        const decision = await this.offers.choose(call.id, bundle);
        if (decision) {
          meta.offerDecision = { arm: decision.arm, propensity: decision.propensity, explored: decision.explored };
          logged = this.offers.record(decision).catch((error: unknown) => this.log.error({ err: error, callId: call.id }, 'the retention offer decision was not logged'));
        }
      } catch (error) {
        this.log.error({ err: error, callId: call.id }, 'choosing the retention offer failed; the pop ranks offers itself');
      }
    }
    // Value at risk orders the queue: the customer with most to lose waits least (with aging, so nobody starves).
    call.priority = meta.valueAtRisk;
    // Stopped while the caller was looked up: a stopped router would take the call without storing it.
    if (this.stopped && this.options.decisions) throw new ServiceError('not_authority', 'this node is stopping; send the call again');
    this.router.enqueue(call, meta);
    this.log.info({ callId: call.id, matched: match.method, confidence: match.confidence, segment: meta.segment }, 'call queued');
    // In a cluster telephony hears "taken" only once the call is stored: an authority that dies or is fenced
    // off just after cannot lose a call it acknowledged (telephony sends it again, to the next authority).
    if (this.options.decisions) {
      const notStored = new ServiceError('not_authority', `call "${call.id}" may not be stored: this node no longer routes; send it again`);
      await this.options.decisions.stored().catch(() => {
        throw notStored;
      });
      // Stopping meanwhile (a rolling restart): its record may have been dropped; the next authority takes the repeat
      // (or answers duplicate_call if it was stored).
      if (this.stopped) throw notStored;
    }
    await logged;
    return this.router.call(call.id) ?? call;
  }

  endCall(callId: string): Call {
    return this.router.end(callId);
  }

  abandonCall(callId: string): Call {
    return this.router.abandon(callId);
  }

  transferCall(callId: string, target: TransferCallRequest, byAgentId?: string): Call {
    return this.router.transfer(callId, target, byAgentId);
  }

  /** Applies a wrap-up once. A repeat of an applied id is acknowledged as a duplicate and changes nothing; one refused throws. */
  async applyWrapUp(agent: Agent, wrapUp: WrapUp): Promise<{ duplicate: boolean }> {
    const [result] = await this.applyWrapUps(agent, [wrapUp]);
    if (result?.rejected) throw new ServiceError(result.rejected.reason, result.rejected.message);
    return { duplicate: result?.duplicate ?? false };
  }

  /**
   * Applies a run of wrap-ups from one desktop in one durable commit, in the
   * order given (which keeps each customer's order). Each id is applied once;
   * a new retention outcome of a routed call teaches the router (agent x
   * segment) and counts toward the uplift of the arm that routed it.
   *
   * A wrap-up counts only for the sender's own call (one offered to or held by
   * that agent, or its outbound call), and is about the call's customer as the
   * server has it, whatever the payload says; a call with no customer takes the
   * agent's pick only from the candidates the server matched. Others are
   * returned with `rejected` and change nothing.
   */
  async applyWrapUps(agent: Agent, sent: readonly WrapUp[]): Promise<WrapUpResult[]> {
    if (sent.some((w) => w.agentId !== agent.id)) throw new ServiceError('forbidden', 'A wrap-up can only be saved by its own agent');
    // A wrap-up sent again (its answer was lost, say while a node restarted) is a duplicate before anything
    // else: what this router knows of its call now (freed, restored by another node) cannot turn it into a refusal.
    const applied = await this.store.appliedOutcomes(sent.map((w) => w.id));
    const verdicts: Array<WrapUp | { reason: ServiceErrorCode; message: string }> = [];
    for (const wrapUp of sent) {
      const before = applied.get(wrapUp.id);
      verdicts.push(before && before.agentId === agent.id && before.callId === wrapUp.callId ? wrapUp : await this.checkWrapUp(agent.id, wrapUp));
    }
    const wrapUps = verdicts.filter((v): v is WrapUp => 'id' in v);
    const results = await this.applyOwnWrapUps(agent, wrapUps);
    // The agent's own call with a pick the server cannot confirm: nothing is stored, but the agent's slot is
    // freed as by any wrap-up, so they are not left in wrap-up for good.
    verdicts.forEach((verdict, i) => {
      if (!('id' in verdict) && verdict.reason === 'not_a_candidate') this.router.wrappedUp(agent.id, sent[i]!.callId);
    });
    if (wrapUps.length < sent.length) this.changed();
    let next = 0;
    return verdicts.map((verdict, i) => ('id' in verdict ? results[next++]! : { id: sent[i]!.id, duplicate: false, rejected: verdict }));
  }

  /** The wrap-up as it counts (the call's customer), or why it does not. */
  private async checkWrapUp(agentId: string, wrapUp: WrapUp): Promise<WrapUp | { reason: ServiceErrorCode; message: string }> {
    let parties = this.router.callParties(wrapUp.callId);
    if (!parties) {
      const record = await this.store.callRecord(wrapUp.callId);
      if (record) parties = { agents: new Set(record.agentId ? [record.agentId] : []), customerId: record.customerId, candidates: [] };
    }
    if (!parties) return { reason: 'unknown_call', message: `No call "${wrapUp.callId}" on record` };
    if (!parties.agents.has(agentId)) return { reason: 'not_your_call', message: `Call "${wrapUp.callId}" was not offered to you: a wrap-up can only be saved for your own call` };
    if (parties.customerId) return parties.customerId === wrapUp.customerId ? wrapUp : { ...wrapUp, customerId: parties.customerId };
    if (parties.candidates.includes(wrapUp.customerId)) return wrapUp;
    return { reason: 'not_a_candidate', message: `Customer ${wrapUp.customerId} is not among the candidates of call "${wrapUp.callId}"` };
  }

  private async applyOwnWrapUps(agent: Agent, wrapUps: readonly WrapUp[]): Promise<WrapUpResult[]> {
    if (wrapUps.length === 0) return [];
    const receivedAt = new Date().toISOString();
    const bundles = new Map<string, CustomerBundle | null>();
    for (const wrapUp of wrapUps) {
      if (!bundles.has(wrapUp.customerId)) bundles.set(wrapUp.customerId, await this.store.customerBundle(wrapUp.customerId));
    }
    const offers = new Map(((await this.store.playbook())?.offers ?? []).map((o) => [o.id, o]));
    const writes: OutcomeWrite[] = wrapUps.map((wrapUp) => {
      const bundle = bundles.get(wrapUp.customerId) ?? null;
      const outcome: OutcomeRecord = {
        ...wrapUp,
        agentName: agent.displayName,
        customerName: bundle ? `${bundle.customer.givenName} ${bundle.customer.familyName}` : wrapUp.customerId,
        valueTier: bundle?.scores?.valueTier ?? null,
        clv: bundle?.scores?.clv ?? null,
        receivedAt,
      };
      const offered = bundle && wrapUp.offerId && wrapUp.offerOutcome !== 'no_offer';
      const meta = this.router.meta(wrapUp.callId);
      if (bundle) outcome.offerSegment = offerSegment(bundle.scores?.valueTier ?? 'low', primaryDriver(bundle.scores?.reasons ?? []));
      if (meta && (wrapUp.disposition === 'retained' || wrapUp.disposition === 'churned')) {
        // What routing counts now, kept with the outcome so a verdict later moves the count by the difference.
        outcome.routingSegment = meta.kind === 'outreach' ? outboundSegment(meta.segment) : meta.segment;
        outcome.learntSave = this.verified.claimWeight(outcome.routingSegment, wrapUp.disposition === 'retained');
      }
      return {
        review: reviewFact({ agent, scores: bundle?.scores ?? null, meta, offer: wrapUp.offerId ? offers.get(wrapUp.offerId) ?? null : null }),
        outcome,
        interaction: bundle ? this.interactionFor(wrapUp, this.router.meta(wrapUp.callId)?.kind === 'outreach') : null,
        offerStat: offered
          ? { offerId: wrapUp.offerId as string, segment: offerSegment(bundle.scores?.valueTier ?? 'low', primaryDriver(bundle.scores?.reasons ?? [])), accepted: wrapUp.offerOutcome === 'accepted' }
          : null,
      };
    });
    const inserted = await this.store.applyOutcomes(writes);
    const learnt = new Map(writes.map((w) => [w.outcome.id, w.outcome.learntSave]));
    writes.forEach((write, i) => {
      if (inserted[i]) this.events.outcome(write.outcome);
    });
    if (inserted.some(Boolean)) {
      this.verifySoon();
      this.events.feedMoved(await this.store.lastSeq());
      this.rescorer.poke();
    }
    wrapUps.forEach((wrapUp, i) => {
      const { meta, completed } = this.router.wrappedUp(agent.id, wrapUp.callId);
      if (!meta) return;
      const outbound = meta.kind === 'outreach';
      if (outbound && completed && wrapUp.customerId) this.outreach.outboundDone(wrapUp.customerId);
      if (!inserted[i] || wrapUp.disposition === 'not_retention') return;
      const saved = wrapUp.disposition === 'retained';
      // Outbound outcomes teach the same agent x segment learning in segments of their own, and count as
      // saves under their own label; the inbound uplift tally (policy vs baseline) never sees them.
      // A claimed save counts as the measured chance it will be verified in its segment (1 until claims are measured).
      this.router.engine.recordOutcome({ agentId: agent.id, segment: outbound ? outboundSegment(meta.segment) : meta.segment, saved: learnt.get(wrapUp.id) ?? saved });
      if (outbound) {
        if (completed) this.metrics.outcome('outreach', saved);
        return;
      }
      if (completed && meta.arm) {
        this.uplift.add(meta.arm, saved);
        this.metrics.outcome(meta.arm, saved);
      }
    });
    this.changed();
    return wrapUps.map((w, i) => ({ id: w.id, duplicate: !inserted[i] }));
  }

  /** A correction to an editable profile field, from a desktop (stamped there) or from the server side (stamped here). */
  async editProfile(edit: { customerId: string; field: EditableField; value: unknown; hlc?: string }): Promise<{ applied: boolean; hlc: string }> {
    if (edit.hlc) {
      // Refused before the clock sees it: folded in, a stamp from next year would move every later stamp there too.
      const maxDrift = this.options.maxClockDriftMs ?? DEFAULT_MAX_HLC_DRIFT_MS;
      const ahead = hlcExcessDrift(edit.hlc, Date.now(), maxDrift);
      if (ahead > 0) {
        throw new ServiceError('clock_ahead', `The edit's clock stamp is ${Math.ceil((ahead + maxDrift) / 1000)} s ahead of the server's clock (at most ${Math.round(maxDrift / 1000)} s allowed); check the desktop's clock`);
      }
      this.clock.receive(edit.hlc);
    }
    const hlc = edit.hlc ?? this.clock.tick();
    const { applied, customer } = await this.store.applyProfileEdit({ ...edit, hlc });
    if (!customer) throw new ServiceError('unknown_customer', `No customer ${edit.customerId}`);
    if (applied) this.events.feedMoved(await this.store.lastSeq());
    return { applied, hlc };
  }

  /**
   * Billing's account events were stored: customers who left leave the
   * outreach list, and every claim is verified again (routing's counts and
   * the supervisors' figures move with the verdicts).
   */
  async accountEventsApplied(changedCustomers: readonly string[]): Promise<void> {
    if (changedCustomers.length > 0) {
      this.outreach.customersLeft(changedCustomers);
      this.events.feedMoved(await this.store.lastSeq());
    }
    await this.verifyOutcomes();
  }

  /** New outcomes: verified (and learnt from by the offers) within a few seconds, one run for a burst of wrap-ups. */
  private verifySoon(): void {
    if (this.verifySoonTimer || this.stopped) return;
    this.verifySoonTimer = setTimeout(() => {
      this.verifySoonTimer = null;
      void this.verifyOutcomes();
    }, VERIFY_SOON_MS);
    this.verifySoonTimer.unref?.();
  }

  private async verifyOutcomes(): Promise<void> {
    try {
      await this.verified.refresh();
      this.offers.invalidate();
      this.changed();
    } catch (error) {
      if (!this.stopped) this.log.error({ err: error }, 'verifying outcomes failed');
    }
  }

  /** The churn model was retrained: supervisors see the new champion and challenger figures. */
  churnModelsChanged(): void {
    this.changed();
  }

  upliftReport(): UpliftReport {
    return this.uplift.report();
  }

  async supervisorState(options: { agentsMaxAgeMs?: number } = {}): Promise<SupervisorState> {
    const since = new Date();
    since.setUTCHours(0, 0, 0, 0);
    const totals = new Map((await this.store.outcomeTotals(since.toISOString())).map((t) => [t.agentId, t]));
    const agents: AgentStatus[] = (await this.floorAgents(options.agentsMaxAgeMs ?? 0))
      .map((agent) => {
        const live = this.router.presenceOf(agent.id);
        return {
          ...agent,
          presence: live.presence,
          presenceSince: live.presence === 'offline' ? since.toISOString() : live.since,
          currentCallId: this.router.currentCallOf(agent.id),
          savesToday: totals.get(agent.id)?.saves ?? 0,
          callsToday: totals.get(agent.id)?.calls ?? 0,
        };
      });
    const outcomes = await this.store.recentOutcomes(50);
    const attempts = [...totals.values()].reduce((sum, t) => sum + t.calls, 0);
    const saves = [...totals.values()].reduce((sum, t) => sum + t.saves, 0);
    return { agents, queue: this.router.queue(), outcomes, saveRate: { saves, attempts }, uplift: this.uplift.report(), verified: this.verified.figures(), churnModels: await readChurnReview(this.store) };
  }

  /** Agents with their routing attributes, live presence and what routing has learnt about them. */
  async agents(): Promise<AgentRoutingView[]> {
    const segments = this.knownSegments();
    const phones = await this.phoneBook?.allPhones();
    return (await this.store.listAgents()).map((agent) => this.agentView(agent, segments, phones));
  }

  /**
   * Agents signed in to routing who said they are ready (a call may hold them
   * now: the next one waits for them), with the languages and intents routing
   * would give them, by the engine's own rules: the language at the intent's
   * queue minimum proficiency and every skill the intent needs.
   */
  async readyAgents(): Promise<ReadyAgent[]> {
    const config = this.router.engine.config;
    const ready: ReadyAgent[] = [];
    for (const agent of await this.store.listAgents()) {
      const info = agent.role === 'agent' ? this.router.engine.agent(agent.id) : undefined;
      if (!info?.online || info.availability !== 'available') continue;
      const languages = SUPPORTED_LANGUAGES.flatMap((code) => {
        const proficiency = info.languages[code];
        if (proficiency === undefined) return [];
        const intents = intentSchema.options.filter((intent) =>
          proficiency >= (config.queues[intent] ?? config.defaultQueue).minProficiency && INTENT_SKILLS[intent].every((skill) => info.skills.includes(skill)));
        return intents.length > 0 ? [{ code, intents }] : [];
      });
      ready.push({ id: agent.id, presence: this.router.presenceOf(agent.id).presence, languages });
    }
    return ready;
  }

  /** A supervisor changes an agent's languages, skills, capacity, phone or team. */
  async updateAgent(agentId: string, patch: UpdateAgentRequest): Promise<AgentRoutingView> {
    const stored = (await this.store.listAgents()).find((a) => a.id === agentId);
    if (!stored) throw new ServiceError('unknown_agent', `No agent ${agentId}`);
    const withHash = await this.store.agentByUsername(stored.username);
    if (!withHash) throw new ServiceError('unknown_agent', `No agent ${agentId}`);
    const { team: _formerTeam, ...withoutTeam } = stored;
    const updated: Agent = {
      ...(patch.team === null ? withoutTeam : stored),
      ...(patch.languages ? { languages: patch.languages } : {}),
      ...(patch.skills ? { skills: [...new Set(patch.skills)] } : {}),
      ...(patch.team ? { team: patch.team } : {}),
    };
    if (patch.phoneAddress !== undefined) {
      if (!this.phoneBook) throw new ServiceError('invalid_event', 'This server keeps no phone addresses');
      await this.phoneBook.setPhone(agentId, patch.phoneAddress);
    }
    const capacity = patch.capacity ?? this.router.capacityOf(agentId);
    // The engine first: it refuses a capacity below the calls the agent holds, and then nothing is written.
    if (updated.role === 'agent') this.router.updateAgent(updated, capacity);
    await this.store.upsertAgent(updated, withHash.passwordHash);
    this.events.feedMoved(await this.store.lastSeq());
    this.changed();
    return this.agentView(updated, this.knownSegments(), await this.phoneBook?.allPhones());
  }

  private agentView(agent: Agent, segments: readonly string[], phones?: ReadonlyMap<string, string>): AgentRoutingView {
    const info = this.router.engine.agent(agent.id);
    const live = this.router.presenceOf(agent.id);
    const learnt = segments
      .map((segment) => {
        const estimate = this.router.engine.estimate(agent.id, segment);
        return { segment, calls: estimate.n, estimate: estimate.mean, priorMean: estimate.priorMean };
      })
      .filter((s) => s.calls > 0);
    return {
      ...agent,
      capacity: this.router.capacityOf(agent.id),
      phoneAddress: phones?.get(agent.id) ?? null,
      presence: agent.role === 'agent' ? live.presence : 'offline',
      presenceSince: info ? live.since : null,
      occupancy: info ? Math.min(1, Math.max(0, info.occupancy)) : 0,
      currentCallIds: info ? info.calls.map((slot) => slot.callId) : [],
      learnt,
    };
  }

  private knownSegments(): string[] {
    const names = new Set<string>([UNSCORED_SEGMENT]);
    for (const tier of ['high', 'mid', 'low']) for (const band of ['low', 'medium', 'high']) names.add(`${tier}-${band}`);
    for (const segment of this.router.engine.snapshot().stats.segments) names.add(segment.segment);
    return [...names];
  }

  private async metaFor(call: Call, customerId: string | null, match: CallMeta['match'], arrivedAt: number, read?: CustomerBundle | null): Promise<CallMeta> {
    const bundle = read !== undefined ? read : customerId ? await this.store.customerBundle(customerId) : null;
    const attributes = callAttributes(call.intent, bundle?.scores ?? null, bundle?.customer.accountStatus?.state === 'left');
    return {
      kind: 'inbound',
      arm: null,
      segment: attributes.segment,
      requiredSkills: attributes.requiredSkills,
      language: call.language,
      valueAtRisk: attributes.valueAtRisk,
      churnRisk: attributes.churnRisk,
      clv: attributes.clv,
      arrivedAt: Number.isFinite(arrivedAt) ? arrivedAt : Date.now(),
      tracked: true,
      answered: call.answeredAt !== null,
      match,
    };
  }

  private interactionFor(wrapUp: WrapUp, outbound: boolean): Interaction {
    return {
      // An outbound attempt's record is replaced by its outcome (one interaction per attempt).
      id: outbound ? attemptInteractionId(wrapUp.callId) : `I-${wrapUp.id}`,
      customerId: wrapUp.customerId,
      channel: 'call',
      direction: outbound ? 'outbound' : 'inbound',
      occurredAt: wrapUp.createdAt,
      agentId: wrapUp.agentId,
      topic: wrapUp.disposition === 'not_retention' ? 'general' : 'cancellation',
      sentiment: wrapUp.disposition === 'retained' ? 0.4 : wrapUp.disposition === 'churned' ? -0.6 : 0,
      summary: wrapUp.summary || `${outbound ? 'Outbound retention' : 'Retention'} call: ${wrapUp.disposition}`,
      ticketStatus: null,
      offer: wrapUp.offerId && wrapUp.offerOutcome !== 'no_offer' ? { offerId: wrapUp.offerId, result: wrapUp.offerOutcome === 'accepted' ? 'accepted' : 'declined' } : null,
      promise: null,
    };
  }

  /**
   * The saved state, or null when there is none. A state that cannot be read
   * (the store fails, or the document is not a router state) stops the start:
   * starting empty would soon write the empty state over the learnt statistics.
   */
  private async loadState(): Promise<RouterState | null> {
    let raw: unknown;
    try {
      raw = await this.store.document(ROUTER_STATE_DOCUMENT);
    } catch (error) {
      throw new RouterStateError(`The saved routing state could not be read (${error instanceof Error ? error.message : String(error)}); not starting, so that it is not overwritten`, { cause: error });
    }
    if (raw === null) return null;
    const parsed = routerStateSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RouterStateError(`The saved routing state is not readable (${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}); not starting, so that it is not overwritten. Restore it from a backup, or delete the "${ROUTER_STATE_DOCUMENT}" document to start with no learnt statistics`);
    }
    return parsed.data;
  }

  private currentState(): RouterState {
    return {
      format: 'holdfast-router-state',
      version: 1,
      savedAt: new Date().toISOString(),
      ...this.router.persistentState(),
      uplift: this.uplift.toJSON(),
    };
  }

  private async saveState(): Promise<void> {
    if (this.options.decisions) await this.options.decisions.saveState(ROUTER_STATE_DOCUMENT, this.finalState ?? this.currentState());
    else await this.store.putDocument(ROUTER_STATE_DOCUMENT, this.currentState());
  }

  private changed(): void {
    if (this.started) this.stateWriter.schedule();
    this.scheduleSupervisorBroadcast();
  }

  private persist(call: Call): void {
    if (this.stopped) return;
    if (this.options.decisions) {
      this.options.decisions.saveCall(call);
      return;
    }
    this.metrics.callSavePending(1);
    // Keep writes in order without blocking the router's synchronous decisions; a failed write is retried
    // (backoff up to 5 s) before any later one, so the store never holds an older state of a call than it had.
    this.persistChain = this.persistChain.then(() => this.saveCallUntilStored(call));
  }

  private async saveCallUntilStored(call: Call): Promise<void> {
    let delay = CALL_SAVE_FIRST_RETRY_MS;
    // After stop() a few more tries, so a shutdown is not held for ever by a database that is gone.
    let triesAfterStop = CALL_SAVE_TRIES_AFTER_STOP;
    for (;;) {
      try {
        await this.store.saveCall(call);
        this.metrics.callSavePending(-1);
        return;
      } catch (error) {
        this.metrics.callSaveFailed();
        if (this.stopped && --triesAfterStop <= 0) {
          this.metrics.callSavePending(-1);
          this.log.error({ err: error, callId: call.id }, 'call record not saved before shutdown');
          return;
        }
        this.log.error({ err: error, callId: call.id, retryInMs: delay }, 'failed to save call record; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, CALL_SAVE_MAX_RETRY_MS);
      }
    }
  }

  /** The floor's agents from the store, or as read at most `maxAgeMs` ago. */
  private async floorAgents(maxAgeMs: number): Promise<Agent[]> {
    const cached = this.floorCache;
    if (cached && Date.now() - cached.at <= maxAgeMs) return cached.agents;
    const agents = (await this.store.listAgents()).filter((a) => a.role === 'agent');
    this.floorCache = { at: Date.now(), agents };
    return agents;
  }

  /**
   * The supervisors' live picture goes out a moment after changes, not on each one. Its size grows with the floor, and
   * in a cluster every copy crosses Redis to every node: on a floor of thousands signing in, a broadcast every 150 ms
   * (each reading every agent from the store) kept the routing node busy enough to miss its lease renewals. The
   * interval grows with the floor (150 ms + 0.3 ms per agent: 180 ms for 100, 1.65 s for 5,000), and the agents' list
   * is read at most once per interval. At 0.1 ms per agent (650 ms for 5,000) the 1.25 MB picture cost every node
   * about 35 ms of event loop per copy, decoding and encoding it, and offers passing through waited behind it.
   */
  private scheduleSupervisorBroadcast(): void {
    if (this.broadcastTimer || this.stopped) return;
    const intervalMs = SUPERVISOR_BROADCAST_MS + Math.round((this.floorCache?.agents.length ?? 0) * SUPERVISOR_BROADCAST_MS_PER_AGENT);
    this.broadcastTimer = setTimeout(() => {
      this.broadcastTimer = null;
      this.supervisorState({ agentsMaxAgeMs: intervalMs })
        .then((state) => this.events.supervisorState(state))
        .catch((error: unknown) => {
          if (!this.stopped) this.log.error({ err: error }, 'supervisor broadcast failed');
        });
    }, intervalMs);
    this.broadcastTimer.unref?.();
  }
}
