import { createRandom, type Random } from '../util/random';
import { sampleBeta } from '../value/simulate';
import { DEFAULT_HIERARCHY, HierarchicalStayModel, type HierarchyConfig, type OutcomeLabel } from './hierarchical';
import { NO_OFFER, type OfferArm } from './eligibility';

/**
 * Thompson sampling for retention offers, on value: for each eligible arm
 * (NO_OFFER always among them) draw a stay probability from its hierarchical
 * posterior and choose the arm maximising p_stay × CLV − cost. With
 * probability minExploration the arm is instead chosen uniformly, so no arm is
 * ever starved however unlucky its start.
 *
 * Beta draws use the seeded Marsaglia–Tsang sampler of shared/value/simulate.ts.
 *
 * Every choice carries its propensity, the probability the policy would have
 * chosen that arm in that context: minExploration / K plus (1 − minExploration)
 * times the Thompson win share, estimated by Monte Carlo over propensityDraws
 * fresh posterior draws (from a stream seeded per decision) together with the
 * draw that made the choice, so it is never 0.
 */
export interface ThompsonConfig {
  minExploration: number;
  propensityDraws: number;
  hierarchy: HierarchyConfig;
}

export const DEFAULT_THOMPSON: ThompsonConfig = { minExploration: 0.02, propensityDraws: 100, hierarchy: DEFAULT_HIERARCHY };

export interface OfferContext {
  segment: string;
  clv: number;
}

export interface OfferChoice {
  arm: string;
  propensity: number;
  /** The propensity of every candidate arm (sums to 1). */
  propensities: Record<string, number>;
  explored: boolean;
}

const NO_OFFER_ARM: OfferArm = { id: NO_OFFER, cost: 0 };

export class ThompsonOfferPolicy {
  readonly model: HierarchicalStayModel;
  private readonly random: Random;
  private readonly propensityRandom: Random;

  constructor(
    seed: number | string,
    readonly config: ThompsonConfig = DEFAULT_THOMPSON,
  ) {
    this.model = new HierarchicalStayModel(config.hierarchy);
    const root = createRandom(seed);
    this.random = root.fork('choice');
    this.propensityRandom = root.fork('propensity');
  }

  /** The arms a choice is made among: NO_OFFER, then the eligible offers. */
  static candidates(eligible: readonly OfferArm[]): OfferArm[] {
    return [NO_OFFER_ARM, ...eligible.filter((o) => o.id !== NO_OFFER)];
  }

  choose(context: OfferContext, eligible: readonly OfferArm[]): OfferChoice {
    const arms = ThompsonOfferPolicy.candidates(eligible);
    const params = arms.map((arm) => this.model.posterior(arm.id, context.segment));
    const drawWinner = (random: Random): number => {
      let best = 0;
      let bestValue = -Infinity;
      for (let i = 0; i < arms.length; i++) {
        const p = params[i] as { alpha: number; beta: number };
        const value = sampleBeta(random, p.alpha, p.beta) * context.clv - (arms[i] as OfferArm).cost;
        if (value > bestValue) {
          bestValue = value;
          best = i;
        }
      }
      return best;
    };
    const epsilon = Math.min(1, Math.max(0, this.config.minExploration));
    const explored = this.random.next() < epsilon;
    const thompsonPick = drawWinner(this.random);
    const chosen = explored ? Math.floor(this.random.next() * arms.length) : thompsonPick;

    const wins = new Array<number>(arms.length).fill(0);
    wins[thompsonPick] = 1;
    const draws = Math.max(0, Math.floor(this.config.propensityDraws));
    for (let d = 0; d < draws; d++) { const w = drawWinner(this.propensityRandom); wins[w] = (wins[w] as number) + 1; }
    const propensities: Record<string, number> = {};
    for (let i = 0; i < arms.length; i++) {
      propensities[(arms[i] as OfferArm).id] = epsilon / arms.length + ((1 - epsilon) * (wins[i] as number)) / (draws + 1);
    }
    const arm = (arms[chosen] as OfferArm).id;
    return { arm, propensity: propensities[arm] as number, propensities, explored };
  }

  observe(arm: string, segment: string, label: OutcomeLabel): void {
    this.model.observe(arm, segment, label);
  }
}
