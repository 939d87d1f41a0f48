import { offerSegment, rankOffers } from '../../playbook/select';
import type { OfferStat, Playbook } from '../../domain/playbook';
import { createRandom } from '../../util/random';
import { type EligibilityRules, NO_OFFER, type OfferArm, offerEligibility } from '../eligibility';
import { DEFAULT_THOMPSON, type ThompsonConfig, ThompsonOfferPolicy } from '../thompson';
import { type SimCustomer, SIM_OFFERS, generateCustomers, simArms, simRetentionOffers } from './truth';

/**
 * The offers simulator: one at-risk customer a round, drawn from a fixed
 * population; each policy picks an arm for them from the same eligible set
 * and their outcome comes from the same uniform draw (common random numbers),
 * so policies differ only by their choices. Outcomes reach the learners
 * `delay` rounds later. Net value = CLV of those who stay − offer costs
 * (paid whenever made), counted over the rounds after the first `warmupShare`.
 */
export interface OfferSimConfig {
  customers: number;
  rounds: number;
  seed: number;
  delay: number;
  warmupShare: number;
  /** Rounds a day, for the decline cool-down. */
  roundsPerDay: number;
  eligibility: EligibilityRules;
  thompson: ThompsonConfig;
}

export const DEFAULT_OFFER_SIM: OfferSimConfig = {
  customers: 20_000,
  rounds: 50_000,
  seed: 1,
  delay: 0,
  warmupShare: 0.1,
  roundsPerDay: 200,
  eligibility: { maxCostShare: 0.5, declineCooldownDays: 30 },
  thompson: DEFAULT_THOMPSON,
};

export type PolicyName = 'oracle' | 'random' | 'best_fixed' | 'greedy' | 'learner';
export const POLICY_NAMES: readonly PolicyName[] = ['oracle', 'random', 'best_fixed', 'greedy', 'learner'];

/** What a policy may see of a customer. */
export interface OfferLogContext {
  customer: number;
  segment: string;
  tier: SimCustomer['tier'];
  driver: SimCustomer['driver'];
  clv: number;
  /** The arms the policy could choose among (NO_OFFER first). */
  arms: { id: string; cost: number }[];
}

export interface OfferLogEntry {
  round: number;
  context: OfferLogContext;
  arm: string;
  propensity: number;
  /** Net value of the round: CLV if stayed, minus the offer's cost. */
  reward: number;
  stayed: boolean;
  accepted: boolean;
}

export interface PolicyTotals {
  net_value: number;
  saves: number;
  /** Expected (true) net value per round of the arms chosen, over all rounds. */
  expected_value_per_round: number;
  arm_counts: Record<string, number>;
}

export interface OfferSimResult {
  totals: Record<PolicyName, PolicyTotals>;
  measuredRounds: number;
}

interface Pending {
  at: number;
  arm: string;
  customer: SimCustomer;
  stayed: boolean;
  accepted: boolean;
}

interface Runner {
  choose(customer: SimCustomer, arms: readonly OfferArm[], round: number): { arm: string; propensity: number };
  learn?(p: Pending): void;
}

const ARM_COST = new Map<string, number>([[NO_OFFER, 0], ...SIM_OFFERS.map((o) => [o.id, o.cost] as const)]);
const ACCEPT_BUT_LEAVE = new Map(SIM_OFFERS.map((o) => [o.id, o.acceptButLeave] as const));

function expectedValue(customer: SimCustomer, arm: string): number {
  return (customer.stay[arm] as number) * customer.clv - (ARM_COST.get(arm) as number);
}

function argmaxArm(arms: readonly { id: string }[], value: (arm: string) => number): string {
  let best = NO_OFFER;
  let bestValue = value(NO_OFFER);
  for (const arm of arms) {
    const v = value(arm.id);
    if (v > bestValue) {
      bestValue = v;
      best = arm.id;
    }
  }
  return best;
}

/** Today's ranking (shared/playbook/select.ts): the offer most likely to be accepted in tier:driver, always one. */
function greedyRunner(): Runner {
  const offers = simRetentionOffers();
  const stats = new Map<string, OfferStat>();
  return {
    choose: (customer, arms) => {
      const allowed = new Set(arms.map((a) => a.id));
      const eligibleOffers = offers.filter((o) => allowed.has(o.id));
      if (eligibleOffers.length === 0) return { arm: NO_OFFER, propensity: 1 };
      const playbook: Playbook = { format: 2, version: 1, offers: eligibleOffers, scripts: [] };
      const segment = offerSegment(customer.tier, customer.driver);
      const segmentStats = eligibleOffers.flatMap((o) => stats.get(`${o.id}|${segment}`) ?? []);
      const ranked = rankOffers(playbook, customer.tier, customer.driver, segmentStats);
      return { arm: ranked[0]?.offer.id ?? NO_OFFER, propensity: 1 };
    },
    learn: (p) => {
      if (p.arm === NO_OFFER) return;
      const segment = offerSegment(p.customer.tier, p.customer.driver);
      const key = `${p.arm}|${segment}`;
      const stat = stats.get(key) ?? { offerId: p.arm, segment, made: 0, accepted: 0 };
      stat.made += 1;
      if (p.accepted) stat.accepted += 1;
      stats.set(key, stat);
    },
  };
}

function learnerRunner(config: OfferSimConfig): Runner & { policy: ThompsonOfferPolicy } {
  const policy = new ThompsonOfferPolicy(`learner-${config.seed}`, config.thompson);
  return {
    policy,
    choose: (customer, arms) => {
      const choice = policy.choose({ segment: customer.segment, clv: customer.clv }, arms);
      return { arm: choice.arm, propensity: choice.propensity };
    },
    learn: (p) => policy.observe(p.arm, p.customer.segment, { kind: 'verified', stayed: p.stayed }),
  };
}

/** The single arm best for the whole stream in expectation (hindsight), NO_OFFER where it is not eligible. */
function bestFixedArm(customers: readonly SimCustomer[], stream: readonly number[], eligibleOf: (c: SimCustomer) => OfferArm[]): string {
  let best = NO_OFFER;
  let bestTotal = -Infinity;
  for (const arm of [NO_OFFER, ...SIM_OFFERS.map((o) => o.id)]) {
    let total = 0;
    for (const index of stream) {
      const customer = customers[index] as SimCustomer;
      const usable = arm === NO_OFFER || eligibleOf(customer).some((a) => a.id === arm);
      total += expectedValue(customer, usable ? arm : NO_OFFER);
    }
    if (total > bestTotal) {
      bestTotal = total;
      best = arm;
    }
  }
  return best;
}

export function simulateOffers(config: OfferSimConfig, onLearnerDecision?: (entry: OfferLogEntry) => void): OfferSimResult {
  const customers = generateCustomers(config.customers, config.seed);
  const random = createRandom(config.seed).fork('offers-stream');
  const stream = Array.from({ length: config.rounds }, () => random.int(0, customers.length - 1));
  const outcomeDraws = Array.from({ length: config.rounds }, () => random.next());
  const acceptDraws = Array.from({ length: config.rounds }, () => random.next());
  const randomPolicy = createRandom(config.seed).fork('random-policy');
  const arms = simArms();
  const staticRules = { ...config.eligibility, declineCooldownDays: 0 };
  const fixedArm = bestFixedArm(customers, stream, (c) => offerEligibility(arms, { ...c, declined: [] }, staticRules).eligible);

  const learner = learnerRunner(config);
  const runners: Record<PolicyName, Runner> = {
    oracle: { choose: (c, eligible) => ({ arm: argmaxArm(eligible, (a) => expectedValue(c, a)), propensity: 1 }) },
    random: {
      choose: (_c, eligible) => {
        const candidates = [NO_OFFER, ...eligible.map((a) => a.id)];
        return { arm: randomPolicy.pick(candidates), propensity: 1 / candidates.length };
      },
    },
    best_fixed: { choose: (_c, eligible) => ({ arm: eligible.some((a) => a.id === fixedArm) ? fixedArm : NO_OFFER, propensity: 1 }) },
    greedy: greedyRunner(),
    learner,
  };

  const warmup = Math.floor(config.rounds * config.warmupShare);
  const totals = {} as Record<PolicyName, PolicyTotals>;
  for (const name of POLICY_NAMES) {
    const runner = runners[name];
    const declines = new Map<number, Map<string, number>>();
    const queue: Pending[] = [];
    let head = 0;
    const t: PolicyTotals = { net_value: 0, saves: 0, expected_value_per_round: 0, arm_counts: {} };
    for (let round = 0; round < config.rounds; round++) {
      while (head < queue.length && (queue[head] as Pending).at <= round) {
        const pending = queue[head++] as Pending;
        runner.learn?.(pending);
      }
      const customer = customers[stream[round] as number] as SimCustomer;
      const day = Math.floor(round / config.roundsPerDay);
      const declined = [...(declines.get(customer.id) ?? new Map<string, number>())].map(([offerId, at]) => ({ offerId, daysAgo: day - at }));
      const eligible = offerEligibility(arms, { tier: customer.tier, plan: customer.plan, clv: customer.clv, declined }, config.eligibility).eligible;
      const { arm, propensity } = runner.choose(customer, eligible, round);
      const u = outcomeDraws[round] as number;
      const stayed = u < (customer.stay[arm] as number);
      const accepted = arm !== NO_OFFER && (stayed || (acceptDraws[round] as number) < (ACCEPT_BUT_LEAVE.get(arm) as number));
      const cost = ARM_COST.get(arm) as number;
      const reward = (stayed ? customer.clv : 0) - cost;
      if (arm !== NO_OFFER && !accepted) {
        let mine = declines.get(customer.id);
        if (!mine) declines.set(customer.id, (mine = new Map()));
        mine.set(arm, day);
      }
      t.arm_counts[arm] = (t.arm_counts[arm] ?? 0) + 1;
      t.expected_value_per_round += expectedValue(customer, arm);
      if (round >= warmup) {
        t.net_value += reward;
        if (stayed) t.saves += 1;
      }
      queue.push({ at: round + 1 + config.delay, arm, customer, stayed, accepted });
      if (name === 'learner' && onLearnerDecision) {
        onLearnerDecision({
          round,
          context: {
            customer: customer.id,
            segment: customer.segment,
            tier: customer.tier,
            driver: customer.driver,
            clv: customer.clv,
            arms: [{ id: NO_OFFER, cost: 0 }, ...eligible.map((a) => ({ id: a.id, cost: a.cost }))],
          },
          arm,
          propensity,
          reward,
          stayed,
          accepted,
        });
      }
    }
    t.expected_value_per_round /= config.rounds;
    t.net_value = Math.round(t.net_value);
    totals[name] = t;
  }
  return { totals, measuredRounds: config.rounds - warmup };
}
