import type { MatchPolicy } from './types';

/** Points per idle minute; only the order matters, since the call's own priority is the same for every agent. */
const IDLE_POINTS_PER_MINUTE = 1e-3;

/**
 * The baseline: a call goes to the eligible agent idle longest, and a freed
 * agent takes the waiting call with the highest queue priority. This is what
 * a conventional ACD does, and what the predictive policy is measured against.
 */
const score: MatchPolicy['score'] = (call, agent, context) => {
  const idleMinutes = Math.max(0, context.now - agent.readySince) / 60_000;
  return context.priority(call) + IDLE_POINTS_PER_MINUTE * idleMinutes;
};

export const longestIdlePolicy: MatchPolicy = {
  name: 'longestIdle',
  score,
  // The score only grows with priority, and the head has the group's highest.
  upperBound: (head, agent, context) => score(head, agent, context),
};
