import { longestIdlePolicy } from './longest-idle';
import { predictivePolicy } from './predictive';
import type { MatchPolicy } from './types';

export { longestIdlePolicy } from './longest-idle';
export { predictivePolicy } from './predictive';
export { decayOccupancy, highRiskPenalty, isHighRisk, occupancyFactor } from './guards';
export type { MatchPolicy, PolicyContext } from './types';

/** Policies every router knows; queues pick one by name, config may add more. */
export const builtInPolicies: Readonly<Record<string, MatchPolicy>> = {
  [longestIdlePolicy.name]: longestIdlePolicy,
  [predictivePolicy.name]: predictivePolicy,
};
