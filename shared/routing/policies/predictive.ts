import { highRiskPenalty, occupancyFactor } from './guards';
import type { AgentView } from '../state';
import type { MatchPolicy, PolicyContext } from './types';

/**
 * Predictive matching. Pair score, in priority points:
 *
 *   priority(call, now)                                   queue priority with aging
 *   + matchWeight * (p_hat * guard - p_segment) * v        expected extra saved value
 *   - highRiskPenalty (if the agent hit the high-risk cap)
 *   + idleWeightPerMinute * idle minutes                   spreads ties, longest idle first
 *
 * p_hat is the agent's shrunk save probability with this segment
 * (learning.ts, optionally plus explorationBonus posterior sds), guard the
 * occupancy discount (guards.ts), p_segment the segment prior mean, and
 * v = min(VaR / valueScale, valueCapRatio). Subtracting p_segment makes the
 * match term the saves this pairing adds over an average agent, so a freed
 * agent prefers the calls it has a comparative advantage on, and summing the
 * score over a batch maximises the value-weighted expected saves.
 */
export const predictivePolicy: MatchPolicy = {
  name: 'predictive',
  score(call, agent, context) {
    const { priority, match, guard } = context.queue;
    const value = Math.min(call.valueAtRisk / priority.valueScale, priority.valueCapRatio);
    return (
      context.priority(call) +
      match.matchWeight * advantage(call.segment, agent, context) * value -
      highRiskPenalty(call, agent, guard) +
      idlePoints(agent, context)
    );
  },
  // Priority is at most the head's; the match term is at most its advantage times the group's largest value; the penalty is >= 0.
  upperBound(head, agent, context, group) {
    const { priority, match } = context.queue;
    const maxValue = Math.min(group.maxValueAtRisk / priority.valueScale, priority.valueCapRatio);
    const gain = match.matchWeight * advantage(head.segment, agent, context);
    return context.priority(head) + Math.max(0, gain) * maxValue + idlePoints(agent, context);
  },
};

/** Guarded predicted save probability minus the segment's average: the saves this agent adds. */
function advantage(segment: string, agent: AgentView, context: PolicyContext): number {
  const { match, guard } = context.queue;
  const estimate = context.estimate(agent.id, segment);
  const optimistic = Math.min(1, estimate.mean + match.explorationBonus * estimate.sd);
  return optimistic * occupancyFactor(context.occupancy(agent), guard) - estimate.priorMean;
}

function idlePoints(agent: AgentView, context: PolicyContext): number {
  return (context.queue.match.idleWeightPerMinute * Math.max(0, context.now - agent.readySince)) / 60_000;
}
