import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Presence } from '@shared/domain/agent';
import type { Call } from '@shared/domain/call';
import type { CustomerProfile, CustomerScores } from '@shared/domain/customer';
import type { Interaction } from '@shared/domain/interaction';
import type { OutreachListItem, OutreachResponse } from '@shared/contract/server-http';
import { OUTREACH_MATCH_METHOD, type OutreachTask } from '@shared/contract/server-socket';
import { createBlendedPlanner, type BlendedPlanner, type OutreachConfigInput, type OutreachCustomer, rankOutreach } from '@shared/routing';
import type { OutreachServerConfig } from '../config';
import type { CustomerStore } from '../store/roles/customer-store';
import type { FeedStore } from '../store/roles/feed-store';
import type { CallRouter } from './call-router';
import { segmentOf } from './call-attributes';
import type { RoutingMetrics } from './routing-metrics';
import { ServiceError } from './service-errors';

/** An outbound candidate with what the agent is shown besides the ranking. */
interface Candidate extends OutreachCustomer {
  name: string;
  phone: string | null;
  scores: CustomerScores;
  customer: CustomerProfile;
}

interface OpenTask {
  task: OutreachTask;
  candidate: Candidate;
  timer: ReturnType<typeof setTimeout>;
}

export interface OutreachEmitter {
  task(agentId: string, task: OutreachTask): void;
  revoked(agentId: string, taskId: string, reason: 'inbound' | 'timeout' | 'unavailable'): void;
  feedMoved(lastSeq: number): void;
  /** An outbound call was opened and passed the checks: telephony rings the agent's phone, then the customer's. */
  dial?(agentId: string, callId: string, customerNumber: string): void;
}

/** Interaction id of an outbound attempt; its wrap-up later replaces it with the outcome. */
export function attemptInteractionId(callId: string): string {
  return `I-${callId}`;
}

const DAY_MS = 86_400_000;
/** Idle agents asked per turn of the event loop in a sweep. */
const SWEEP_SLICE = 50;

/**
 * Proactive outreach: the ranked list of customers to call (by expected
 * value at risk, within consent, local calling hours, max attempts and a
 * cool-off after any contact), and the blended hook that hands an idle agent
 * a preview task when no inbound call waits for them.
 *
 * Attempts and cool-off come from the customer's history: accepting a task
 * appends an outbound call interaction, and the candidates are re-read from
 * the store after each attempt (and every `refreshMs`).
 */
export class OutreachService {
  private candidates: { at: number; list: Candidate[] } | null = null;
  private loading: Promise<Candidate[]> | null = null;
  private readonly tasks = new Map<string, OpenTask>();
  /** agentId -> customerId -> until: customers an agent skipped (or let lapse) are not offered to them again for a while. */
  private readonly skips = new Map<string, Map<string, number>>();
  /** Customers on an outbound call right now. */
  private readonly inProgress = new Set<string>();
  private readonly planner: BlendedPlanner;
  private readonly rankConfig: OutreachConfigInput;
  private plannerAgent: string | null = null;
  private sweepTimer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  private sweeping = false;

  constructor(
    private readonly store: CustomerStore & FeedStore,
    private readonly router: CallRouter,
    private readonly config: OutreachServerConfig,
    private readonly emit: OutreachEmitter,
    private readonly metrics: RoutingMetrics,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.rankConfig = {
      callingHours: config.callingHours,
      maxAttempts: config.maxAttempts,
      coolOffMs: config.coolOffHours * 3_600_000,
    };
    this.planner = createBlendedPlanner({
      inbound: router.engine,
      customers: () => this.candidatesFor(this.plannerAgent),
      config: this.rankConfig,
      previewHoldMs: config.taskTimeoutMs,
    });
  }

  start(): void {
    if (!this.config.blended) return;
    this.sweepTimer = setInterval(() => void this.sweep(), this.config.sweepMs);
    this.sweepTimer.unref?.();
  }

  stop(): void {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    for (const open of this.tasks.values()) clearTimeout(open.timer);
    this.tasks.clear();
  }

  /** The ranked outbound list, best first, with why this customer and why now. */
  async list(limit: number): Promise<OutreachResponse> {
    const now = this.now();
    const candidates = (await this.loadCandidates(now)).filter((c) => !this.inProgress.has(c.customerId));
    const { ranked, skipped } = rankOutreach(candidates, now, this.rankConfig);
    const byId = new Map(candidates.map((c) => [c.customerId, c]));
    const items: OutreachListItem[] = ranked.slice(0, limit).map((item) => {
      const candidate = byId.get(item.customerId) as Candidate;
      return {
        customerId: item.customerId,
        customerName: candidate.name,
        phone: candidate.phone,
        score: item.score,
        valueAtRisk: item.valueAtRisk,
        churnRisk: candidate.churnRisk ?? null,
        language: item.language,
        timezone: item.timezone,
        localTime: item.localTime,
        attempts: candidate.attempts,
        lastContactAt: candidate.lastContactAt === null ? null : new Date(candidate.lastContactAt).toISOString(),
        whyThisCustomer: item.whyThisCustomer,
        whyNow: item.whyNow,
      };
    });
    const counts: Record<string, number> = {};
    for (const skip of skipped) counts[skip.reason] = (counts[skip.reason] ?? 0) + 1;
    return { generatedAt: new Date(now).toISOString(), items, skipped: counts };
  }

  /** Called whenever an agent's presence changes. */
  onPresence(agentId: string, presence: Presence): void {
    if (presence === 'available') {
      void this.offerTask(agentId);
      return;
    }
    // Reserved means an inbound offer took the agent: the reserved hook already said so.
    if (presence !== 'reserved') this.revoke(agentId, 'unavailable');
  }

  /** An inbound call was reserved for the agent: inbound always comes first. */
  onInboundReserved(agentId: string): void {
    this.revoke(agentId, 'inbound');
  }

  /** The open task of an agent (for a desktop that connects while it stands). */
  taskFor(agentId: string): OutreachTask | null {
    return this.tasks.get(agentId)?.task ?? null;
  }

  /** The agent takes the task: an outbound call opens and the attempt goes into the customer's history. */
  async accept(agentId: string, taskId: string): Promise<{ taskId: string; callId: string; customerId: string }> {
    const open = this.requireTask(agentId, taskId);
    const { candidate } = open;
    const now = this.now();
    // Checked again, fresh from the store, before anything is dialled: the task may be minutes old, and
    // the customer may have asked not to be called, been called by someone else, or left calling hours.
    const bundle = await this.store.customerBundle(candidate.customerId);
    if (!bundle?.scores) throw new ServiceError('unknown_customer', `No customer ${candidate.customerId}`);
    const fresh = candidateOf(bundle.customer, bundle.scores, bundle, now - this.config.attemptWindowDays * DAY_MS);
    const refused = rankOutreach([fresh], now, this.rankConfig).skipped[0];
    if (refused) {
      this.closeTask(agentId, open);
      this.candidates = null;
      throw new ServiceError('out_of_order', `outreach: not calling ${candidate.customerId} now (${refused.reason}: ${refused.detail})`);
    }
    if (!fresh.phone) {
      this.closeTask(agentId, open);
      throw new ServiceError('out_of_order', `outreach: ${candidate.customerId} has no phone number on record to call`);
    }
    const callId = `OUT-${randomUUID()}`;
    const call: Call = {
      id: callId,
      callerNumber: candidate.phone ?? '',
      accountId: candidate.customer.accountId,
      language: candidate.customer.language,
      intent: 'cancellation',
      customerId: candidate.customerId,
      state: 'connected',
      agentId,
      createdAt: new Date(now).toISOString(),
      answeredAt: new Date(now).toISOString(),
      endedAt: null,
      priority: candidate.valueAtRisk,
    };
    // Throws (and the task stays open) if an inbound offer reached the agent meanwhile.
    this.router.startOutbound(agentId, call, {
      kind: 'outreach',
      arm: null,
      segment: segmentOf(candidate.scores),
      requiredSkills: [],
      language: candidate.customer.language,
      valueAtRisk: Math.max(0, candidate.valueAtRisk),
      churnRisk: candidate.churnRisk ?? 0,
      clv: Math.max(0, candidate.scores.clv),
      arrivedAt: now,
      tracked: false,
      answered: true,
      match: { method: OUTREACH_MATCH_METHOD, confidence: 1, candidates: [{ customerId: candidate.customerId, confidence: 1 }] },
    });
    this.closeTask(agentId, open);
    this.inProgress.add(candidate.customerId);
    this.metrics.outreach('accepted');
    const attempt: Interaction = {
      id: attemptInteractionId(callId),
      customerId: candidate.customerId,
      channel: 'call',
      direction: 'outbound',
      occurredAt: new Date(now).toISOString(),
      agentId,
      topic: 'cancellation',
      sentiment: 0,
      summary: 'Outbound retention call (outreach attempt)',
      ticketStatus: null,
      offer: null,
      promise: null,
    };
    await this.store.appendInteraction(attempt);
    this.candidates = null;
    this.emit.feedMoved(await this.store.lastSeq());
    this.emit.dial?.(agentId, callId, fresh.phone);
    return { taskId, callId, customerId: candidate.customerId };
  }

  /** The agent passes on the task; the next candidate is offered. */
  skip(agentId: string, taskId: string): { taskId: string } {
    const open = this.requireTask(agentId, taskId);
    this.closeTask(agentId, open);
    this.quiet(agentId, open.candidate.customerId);
    this.metrics.outreach('skipped');
    void this.offerTask(agentId);
    return { taskId };
  }

  /** An outbound call was wrapped up: the customer leaves the in-progress set. */
  outboundDone(customerId: string): void {
    this.inProgress.delete(customerId);
    this.candidates = null;
  }

  /** Billing says these customers left: the list is read again without them. */
  customersLeft(customerIds: readonly string[]): void {
    if (customerIds.length === 0) return;
    this.candidates = null;
  }

  private async offerTask(agentId: string): Promise<void> {
    if (!this.config.blended || this.stopped || this.tasks.has(agentId)) return;
    try {
      await this.loadCandidates(this.now());
    } catch (error) {
      this.log.warn({ err: error }, 'outreach candidates could not be read');
      return;
    }
    if (this.stopped || this.tasks.has(agentId)) return;
    const now = this.now();
    this.plannerAgent = agentId;
    let preview;
    try {
      preview = this.planner.idleAgentTask(agentId, now);
    } finally {
      this.plannerAgent = null;
    }
    if (!preview) return;
    const candidate = this.candidates?.list.find((c) => c.customerId === preview.customerId);
    if (!candidate) return;
    const item = rankOutreach([candidate], now, this.rankConfig).ranked[0];
    const task: OutreachTask = {
      taskId: `T-${randomUUID()}`,
      customerId: candidate.customerId,
      customerName: candidate.name,
      phone: candidate.phone,
      language: candidate.language ?? null,
      valueAtRisk: candidate.valueAtRisk,
      churnRisk: candidate.churnRisk ?? null,
      localTime: item?.localTime ?? '',
      timezone: candidate.timezone,
      whyThisCustomer: preview.whyThisCustomer,
      whyNow: preview.whyNow,
      deadline: now + this.config.taskTimeoutMs,
    };
    const timer = setTimeout(() => this.lapse(agentId, task.taskId), this.config.taskTimeoutMs);
    timer.unref?.();
    this.tasks.set(agentId, { task, candidate, timer });
    this.metrics.outreach('offered');
    this.emit.task(agentId, task);
  }

  private lapse(agentId: string, taskId: string): void {
    const open = this.tasks.get(agentId);
    if (!open || open.task.taskId !== taskId) return;
    this.closeTask(agentId, open);
    this.quiet(agentId, open.candidate.customerId);
    this.metrics.outreach('expired');
    this.emit.revoked(agentId, taskId, 'timeout');
  }

  private revoke(agentId: string, reason: 'inbound' | 'unavailable'): void {
    const open = this.tasks.get(agentId);
    if (!open) return;
    this.closeTask(agentId, open);
    this.metrics.outreach('revoked');
    this.emit.revoked(agentId, open.task.taskId, reason);
  }

  private closeTask(agentId: string, open: OpenTask): void {
    clearTimeout(open.timer);
    this.tasks.delete(agentId);
  }

  private quiet(agentId: string, customerId: string): void {
    let map = this.skips.get(agentId);
    if (!map) {
      map = new Map();
      this.skips.set(agentId, map);
    }
    map.set(customerId, this.now() + this.config.skipQuietMs);
  }

  private requireTask(agentId: string, taskId: string): OpenTask {
    const open = this.tasks.get(agentId);
    if (!open || open.task.taskId !== taskId) throw new ServiceError('unknown_task', `outreach: no open task "${taskId}" for you (it lapsed, was revoked, or was never yours)`);
    return open;
  }

  /**
   * Hands what nobody holds to idle agents who have no task. On a floor of 5,000 idle agents, asking the
   * planner about each in one go held the routing node for 100-300 ms every sweep, and every call arriving
   * meanwhile waited. So the sweep stops once every candidate is held, lets the event loop run between
   * slices of agents, and asks once per set of languages: with no inbound call waiting for them, nothing
   * skipped and nothing held, agents who speak the same languages may be given the same candidates, so
   * when one of them gets none, none of them does.
   */
  private async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const agents = this.router.availableAgents();
      const fruitless = new Set<string>();
      let holders = new Set<string>();
      for (let i = 0; i < agents.length && !this.stopped; i++) {
        if (i % SWEEP_SLICE === 0) {
          if (i > 0) await new Promise((resolve) => setImmediate(resolve));
          await this.loadCandidates(this.now());
          if (this.planner.unheldCount(this.now()) === 0) return;
          holders = this.planner.holders(this.now());
        }
        const agentId = agents[i]!;
        if (this.tasks.has(agentId)) continue;
        const alike = this.languagesIfPlain(agentId, holders);
        if (alike !== null && fruitless.has(alike)) continue;
        await this.offerTask(agentId);
        if (alike !== null && !this.tasks.has(agentId)) fruitless.add(alike);
      }
    } catch (error) {
      this.log.warn({ err: error }, 'outreach candidates could not be read');
    } finally {
      this.sweeping = false;
    }
  }

  /**
   * The agent's languages as a key, when the planner's answer for them depends on nothing else: no inbound call
   * waits for them, they skipped no candidate lately and hold none. Else null.
   */
  private languagesIfPlain(agentId: string, holders: ReadonlySet<string>): string | null {
    if (holders.has(agentId) || (this.skips.get(agentId)?.size ?? 0) > 0) return null;
    if (this.router.engine.waitingEligibleFor(agentId) > 0) return null;
    const agent = this.router.engine.agent(agentId);
    if (!agent) return null;
    return JSON.stringify(Object.entries(agent.languages).sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Candidates the planner may hand this agent: not on a call now, not skipped by them lately. */
  private candidatesFor(agentId: string | null): Candidate[] {
    const list = this.candidates?.list ?? [];
    const now = this.now();
    const skipped = agentId ? this.skips.get(agentId) : undefined;
    if (skipped) for (const [customerId, until] of skipped) if (until <= now) skipped.delete(customerId);
    return list.filter((c) => !this.inProgress.has(c.customerId) && !(skipped?.has(c.customerId) ?? false));
  }

  private async loadCandidates(now: number): Promise<Candidate[]> {
    if (this.candidates && now - this.candidates.at < this.config.refreshMs) return this.candidates.list;
    this.loading ??= this.readCandidates(now).finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async readCandidates(now: number): Promise<Candidate[]> {
    const rows = await this.store.customersByValueAtRisk(this.config.candidates);
    const windowStart = now - this.config.attemptWindowDays * DAY_MS;
    const list: Candidate[] = [];
    for (const { customer, scores } of rows) {
      // Billing says they have gone: a retention call is too late (win-back is another campaign).
      if (customer.accountStatus?.state === 'left') continue;
      list.push(candidateOf(customer, scores, await this.store.customerBundle(customer.id), windowStart));
    }
    this.candidates = { at: now, list };
    return list;
  }
}

/** One customer as outreach ranks them: consent, attempts in the window, last contact, value at risk. */
function candidateOf(customer: CustomerProfile, scores: CustomerScores, bundle: { interactions: readonly Interaction[] } | null, windowStart: number): Candidate {
  let lastContactAt: number | null = null;
  let attempts = 0;
  for (const interaction of bundle?.interactions ?? []) {
    const at = Date.parse(interaction.occurredAt);
    if (!Number.isFinite(at)) continue;
    if (lastContactAt === null || at > lastContactAt) lastContactAt = at;
    if (interaction.channel === 'call' && interaction.direction === 'outbound' && at >= windowStart) attempts++;
  }
  return {
    customerId: customer.id,
    valueAtRisk: Math.max(0, Number.isFinite(scores.valueAtRisk) ? scores.valueAtRisk : 0),
    timezone: customer.timezone,
    doNotCall: customer.doNotCall,
    attempts,
    lastContactAt,
    churnRisk: Math.min(1, Math.max(0, scores.churnProbability)),
    language: customer.language,
    ...(scores.reasons[0] ? { topReason: scores.reasons[0].phrase } : {}),
    name: `${customer.givenName} ${customer.familyName}`.trim(),
    phone: customer.phones[0] ?? null,
    scores,
    customer,
  };
}
