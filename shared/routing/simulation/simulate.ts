import { createRandom } from '@shared/util/random';
import { createRouter, type Reservation, type Router } from '../engine';
import type { RoutingEventInput } from '../events';
import { upliftReport, type ArmOutcome, type UpliftReport } from '../uplift';
import type { BankCall } from './bank-calls';
import { createCustomerFactory, SEGMENTS, type SyntheticCustomer } from './customers';
import { EventQueue } from './event-queue';
import { createGroundTruth } from './ground-truth';
import { drawPatienceS, fitPatience, type WeibullFit } from './patience';
import { createRoster, requiredSkillsFor } from './roster';

/**
 * Discrete-event replay of a real call log through the routing engine.
 * Simulated clock only: events come off a time-ordered queue and are applied
 * to the router with their timestamp.
 *
 * Per call: arrival at its real time, its real service time (for callers who
 * hung up in reality, one drawn from the served calls of the same type), a
 * patience (patience.ts), a synthetic customer (customers.ts). Agents answer
 * an offer after `responseDelayS`; a share rejects it or lets it lapse (then
 * goes away for `awayAfterNoAnswerS`). After each call the hidden ground truth
 * (ground-truth.ts) decides whether the customer was saved, and only that
 * outcome is reported to the router (recordOutcome).
 *
 * Random draws are per call (common random numbers): the same call gets the
 * same patience, service time and agent responses under both policies, and
 * one uniform u per call decides the save for whichever agent takes it
 * (saved when u < p(agent, segment)). So the same agent saves the same
 * customer or not under both policies, and an agent with a higher hidden
 * probability saves whenever a weaker one would have: the policies are
 * compared on identical traffic and luck and differ only by their decisions
 * (the save probabilities themselves are unchanged; only the noise of the
 * comparison shrinks).
 */
export interface SimulationOptions {
  policy: 'baseline' | 'predictive';
  agents: number;
  seed: number;
  /** Predictive only: share of calls routed longest-idle as an in-run control arm. */
  baselineShare: number;
  wrapUpS: number;
  responseDelayS: number;
  rejectRate: number;
  noAnswerRate: number;
  awayAfterNoAnswerS: number;
}

export const DEFAULT_SIMULATION: Omit<SimulationOptions, 'policy'> = {
  agents: 6,
  seed: 1,
  baselineShare: 0.1,
  wrapUpS: 0,
  responseDelayS: 1,
  rejectRate: 0.02,
  noAnswerRate: 0.005,
  awayAfterNoAnswerS: 60,
};

export interface SimulationResult {
  calls: number;
  mean_wait_s: number;
  service_level_20s: number;
  abandon_rate: number;
  saves: number;
  /** saves / served calls */
  save_rate: number;
  value_saved: number;
  policy: string;
  seed: number;
  agents: number;
  served: number;
  abandoned: number;
  /** Average speed of answer: mean wait of served calls. */
  asa_s: number;
  /** Sum of the hidden save probabilities of the served pairs: saves without the coin-flip noise. */
  expected_saves: number;
  utilisation: number;
  offers: number;
  /** Routing steps that assigned several calls at once (joint assignment), and the offers they made. */
  joint_steps: number;
  joint_offers: number;
}

export interface SimulationReport {
  result: SimulationResult;
  patience: WeibullFit;
  /** In-run arms (predictive with a baseline share). */
  uplift: UpliftReport | null;
}

type SimEvent =
  | { kind: 'arrival'; index: number }
  | { kind: 'patience'; callId: string }
  | { kind: 'respond'; callId: string; agentId: string; offer: number; accept: boolean }
  | { kind: 'expire'; callId: string; agentId: string; offer: number }
  | { kind: 'end'; callId: string; agentId: string }
  | { kind: 'wrap'; callId: string; agentId: string }
  | { kind: 'back'; agentId: string };

interface LiveCall {
  id: string;
  source: BankCall;
  customer: SyntheticCustomer;
  phase: 'waiting' | 'reserved' | 'connected' | 'done';
  agentId: string | null;
  offer: number;
  arm: 'policy' | 'baseline';
  serviceS: number;
}

export function simulate(calls: readonly BankCall[], options: SimulationOptions): SimulationReport {
  if (calls.length === 0) throw new Error('no calls to simulate');
  if (!Number.isInteger(options.agents) || options.agents < 1) throw new Error(`agents must be a positive integer, got ${options.agents}`);
  const { seed } = options;
  const patienceFit = fitPatience(calls);
  const customerOf = createCustomerFactory(seed);
  const customers = calls.map(customerOf);
  const roster = createRoster(options.agents, seed);
  const truth = createGroundTruth(seed, roster.map((a) => a.id), SEGMENTS);
  const servicePool = buildServicePool(calls);
  const valueScale = median(customers.map((c) => c.valueAtRisk));

  const router: Router = createRouter({
    armSeed: `sim-${seed}`,
    defaultQueue:
      options.policy === 'baseline'
        ? { policy: 'longestIdle', priority: { valueWeight: 0 } }
        : { policy: 'predictive', baselineShare: options.baselineShare, priority: { valueScale } },
  });

  const queue = new EventQueue<SimEvent>();
  const live = new Map<string, LiveCall>();
  const ids = new Set<string>();
  const callIds = calls.map((call) => {
    let id = `bank-${call.callId}`;
    for (let n = 2; ids.has(id); n++) id = `bank-${call.callId}#${n}`;
    ids.add(id);
    return id;
  });
  const start = (calls[0] as BankCall).arrivalMs - 1000;
  let lastTime = start;
  const metric = { served: 0, abandoned: 0, waitSum: 0, servedWaitSum: 0, within20: 0, saves: 0, valueSaved: 0, expected: 0, busyMs: 0, offers: 0, jointSteps: 0, jointOffers: 0 };
  const armOutcomes: ArmOutcome[] = [];

  const handle = (decisions: readonly Reservation[], now: number): void => {
    for (const decision of decisions) {
      const call = live.get(decision.callId);
      if (call === undefined) throw new Error(`router offered unknown call ${decision.callId}`);
      call.phase = 'reserved';
      call.agentId = decision.agentId;
      call.offer++;
      call.arm = decision.arm;
      metric.offers++;
      const roll = createRandom(`${seed}:offer:${call.id}:${call.offer}`).next();
      if (roll < options.noAnswerRate) {
        queue.push(decision.deadline, { kind: 'expire', callId: call.id, agentId: decision.agentId, offer: call.offer });
      } else {
        const accept = roll >= options.noAnswerRate + options.rejectRate;
        queue.push(now + options.responseDelayS * 1000, { kind: 'respond', callId: call.id, agentId: decision.agentId, offer: call.offer, accept });
      }
    }
  };
  // Events of one instant are staged, then routed together (flush), as the server does with the events of one
  // event-loop turn: several calls waiting while several agents are free are assigned jointly, not one by one.
  const apply = (event: RoutingEventInput, now: number): void => router.stage(event, now);
  const flush = (now: number): void => {
    const { decisions } = router.flush(now);
    if (decisions.length > 1) {
      metric.jointSteps++;
      metric.jointOffers += decisions.length;
    }
    handle(decisions, now);
  };

  for (const agent of roster) {
    apply({ type: 'agentLogin', agentId: agent.id, languages: agent.languages, skills: agent.skills, capacity: 1 }, start);
  }
  flush(start);
  calls.forEach((call, index) => queue.push(call.arrivalMs, { kind: 'arrival', index }));

  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    const now = next.at;
    lastTime = now;
    step(next.item, now);
    while (queue.peekAt() === now) step((queue.pop() as { item: SimEvent }).item, now);
    flush(now);
  }

  function step(event: SimEvent, now: number): void {
    switch (event.kind) {
      case 'arrival': {
        const source = calls[event.index] as BankCall;
        const customer = customers[event.index] as SyntheticCustomer;
        const id = callIds[event.index] as string;
        const random = createRandom(`${seed}:call:${id}`);
        const serviceS = source.serviceS ?? random.pick(servicePool.get(source.type) ?? servicePool.get('*') ?? [180]);
        const call: LiveCall = { id, source, customer, phase: 'waiting', agentId: null, offer: 0, arm: 'policy', serviceS };
        live.set(id, call);
        queue.push(now + drawPatienceS(source, patienceFit, random) * 1000, { kind: 'patience', callId: id });
        apply(
          {
            type: 'callArrived',
            callId: id,
            language: customer.language,
            intent: source.type,
            requiredSkills: requiredSkillsFor(source.type),
            customerId: source.customerId,
            segment: customer.segment,
            churnRisk: customer.churnRisk,
            clv: customer.clv,
            valueAtRisk: customer.valueAtRisk,
            arrivedAt: now,
          },
          now,
        );
        break;
      }
      case 'patience': {
        const call = live.get(event.callId);
        if (call === undefined || (call.phase !== 'waiting' && call.phase !== 'reserved')) break;
        call.phase = 'done';
        metric.abandoned++;
        metric.waitSum += now - call.source.arrivalMs;
        apply({ type: 'callAbandoned', callId: call.id }, now);
        break;
      }
      case 'respond': {
        const call = live.get(event.callId);
        if (call === undefined || call.phase !== 'reserved' || call.agentId !== event.agentId || call.offer !== event.offer) break;
        if (event.accept) {
          call.phase = 'connected';
          const wait = now - call.source.arrivalMs;
          metric.served++;
          metric.waitSum += wait;
          metric.servedWaitSum += wait;
          if (wait <= 20_000) metric.within20++;
          apply({ type: 'offerAccepted', callId: call.id, agentId: event.agentId }, now);
          apply({ type: 'callConnected', callId: call.id, agentId: event.agentId }, now);
          queue.push(now + call.serviceS * 1000, { kind: 'end', callId: call.id, agentId: event.agentId });
        } else {
          call.phase = 'waiting';
          call.agentId = null;
          apply({ type: 'offerRejected', callId: call.id, agentId: event.agentId }, now);
        }
        break;
      }
      case 'expire': {
        const call = live.get(event.callId);
        if (call === undefined || call.phase !== 'reserved' || call.agentId !== event.agentId || call.offer !== event.offer) break;
        call.phase = 'waiting';
        call.agentId = null;
        queue.push(now + options.awayAfterNoAnswerS * 1000, { kind: 'back', agentId: event.agentId });
        apply({ type: 'reservationExpired', callId: call.id, agentId: event.agentId }, now);
        break;
      }
      case 'end': {
        const call = live.get(event.callId);
        if (call === undefined) break;
        call.phase = 'done';
        metric.busyMs += call.serviceS * 1000 + options.wrapUpS * 1000;
        const saved = truth.drawSaved(event.agentId, call.customer.segment, createRandom(`${seed}:outcome:${call.id}`));
        metric.expected += truth.probability(event.agentId, call.customer.segment);
        if (saved) {
          metric.saves++;
          metric.valueSaved += call.customer.valueAtRisk;
        }
        armOutcomes.push({ arm: call.arm, saved });
        apply({ type: 'callEnded', callId: call.id, agentId: event.agentId }, now);
        router.recordOutcome({ agentId: event.agentId, segment: call.customer.segment, saved });
        queue.push(now + options.wrapUpS * 1000, { kind: 'wrap', callId: call.id, agentId: event.agentId });
        break;
      }
      case 'wrap':
        apply({ type: 'wrapUpDone', agentId: event.agentId, callId: event.callId }, now);
        break;
      case 'back':
        if (router.agent(event.agentId)?.availability === 'away') apply({ type: 'agentPresence', agentId: event.agentId, presence: 'available' }, now);
        break;
    }
  }

  const problems = router.checkInvariants({ workConservation: true });
  if (problems.length > 0) throw new Error(`router state inconsistent after the run: ${problems.slice(0, 3).join('; ')}`);
  const total = calls.length;
  const round = (x: number, digits = 4): number => Number(x.toFixed(digits));
  const result: SimulationResult = {
    calls: total,
    mean_wait_s: round(metric.waitSum / 1000 / total, 2),
    service_level_20s: round(metric.within20 / total),
    abandon_rate: round(metric.abandoned / total),
    saves: metric.saves,
    save_rate: round(metric.served > 0 ? metric.saves / metric.served : 0),
    value_saved: Math.round(metric.valueSaved),
    policy: options.policy,
    seed,
    agents: options.agents,
    served: metric.served,
    abandoned: metric.abandoned,
    asa_s: round(metric.served > 0 ? metric.servedWaitSum / 1000 / metric.served : 0, 2),
    expected_saves: round(metric.expected, 1),
    utilisation: round(metric.busyMs / (options.agents * Math.max(1, lastTime - start))),
    offers: metric.offers,
    joint_steps: metric.jointSteps,
    joint_offers: metric.jointOffers,
  };
  const hasBothArms = armOutcomes.some((o) => o.arm === 'baseline') && armOutcomes.some((o) => o.arm === 'policy');
  return { result, patience: patienceFit, uplift: hasBothArms ? upliftReport(armOutcomes) : null };
}

function buildServicePool(calls: readonly BankCall[]): Map<string, number[]> {
  const pool = new Map<string, number[]>([['*', []]]);
  for (const call of calls) {
    if (call.serviceS === null) continue;
    pool.get('*')?.push(call.serviceS);
    let list = pool.get(call.type);
    if (list === undefined) {
      list = [];
      pool.set(call.type, list);
    }
    list.push(call.serviceS);
  }
  // Types with too few served calls borrow the overall distribution.
  for (const [type, list] of pool) if (type !== '*' && list.length < 30) pool.delete(type);
  return pool;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 1;
}
