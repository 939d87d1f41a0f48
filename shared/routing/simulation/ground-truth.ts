import { createRandom, type Random } from '@shared/util/random';

/**
 * The hidden truth of the simulation: how likely each agent is to save a
 * customer of each segment. Drawn per seed and kept inside this closure; the
 * router never receives it. The policy learns only from the outcomes the
 * simulator reports through recordOutcome.
 *
 * logit p(agent, segment) = base(band) + tierShift(tier) + skill(agent) + fit(agent, segment)
 *   base: churn band low 0.2 (p 0.55), medium -0.4 (0.40), high -1.1 (0.25)
 *   tierShift: high-value customers are a little harder (-0.2), low-value easier (+0.1)
 *   skill(agent) ~ N(0, 0.3): some agents are better overall
 *   fit(agent, segment) ~ N(0, 0.45): and better with some customers than others
 * Assumed, not measured: retention desks report large agent differences, but
 * no public data set gives agent x segment save rates.
 */
export interface GroundTruth {
  /** Whether this agent saves this customer, drawn with the hidden probability. */
  drawSaved(agentId: string, segment: string, random: Random): boolean;
  /** The hidden probability itself, for the simulator's noise-free reporting (never given to the router). */
  probability(agentId: string, segment: string): number;
  /** Mean hidden save probability over agents for a segment (for reporting only). */
  segmentMean(segment: string): number;
}

const BAND_BASE: Record<string, number> = { low: 0.2, medium: -0.4, high: -1.1 };
const TIER_SHIFT: Record<string, number> = { low: 0.1, mid: 0, high: -0.2 };

export function createGroundTruth(seed: number, agentIds: readonly string[], segments: readonly string[]): GroundTruth {
  const random = createRandom(`ground-truth:${seed}`);
  const table = new Map<string, number>();
  const skill = new Map(agentIds.map((id) => [id, random.normal(0, 0.3)]));
  for (const segment of segments) {
    const [tier = 'mid', band = 'medium'] = segment.split('/');
    for (const agentId of agentIds) {
      const logit = (BAND_BASE[band] ?? 0) + (TIER_SHIFT[tier] ?? 0) + (skill.get(agentId) ?? 0) + random.normal(0, 0.45);
      table.set(`${agentId}\u0000${segment}`, 1 / (1 + Math.exp(-logit)));
    }
  }
  const probability = (agentId: string, segment: string): number => {
    const p = table.get(`${agentId}\u0000${segment}`);
    if (p === undefined) throw new Error(`ground truth has no agent "${agentId}" x segment "${segment}"`);
    return p;
  };
  return {
    drawSaved: (agentId, segment, r) => r.chance(probability(agentId, segment)),
    probability,
    segmentMean(segment) {
      let sum = 0;
      for (const agentId of agentIds) sum += table.get(`${agentId}\u0000${segment}`) ?? 0;
      return sum / Math.max(1, agentIds.length);
    },
  };
}
