import type { QueueConfig } from '../config';
import type { Estimate } from '../learning';
import type { AgentView, CallView } from '../state';

export interface PolicyContext {
  readonly now: number;
  /** Configuration of the call's queue. */
  readonly queue: QueueConfig;
  /** Shrunk save-probability estimate for an agent in a segment. */
  estimate(agentId: string, segment: string): Estimate;
  /** The agent's recent occupancy (0..1), decayed to `now`. */
  occupancy(agent: AgentView): number;
  /** The call's queue priority at `now` (priority.ts), precomputed by the engine. */
  priority(call: CallView): number;
}

/**
 * A matching policy scores an eligible (call, agent) pair in priority points;
 * higher is better. Hard eligibility (language, skills, exclusions, capacity)
 * is checked before a policy is asked, so a policy only ranks. The same score
 * serves the three decisions the engine makes: which free agent gets an
 * arriving call, which waiting call a freed agent gets, and the joint
 * assignment of a batch (sum of scores maximised).
 */
export interface MatchPolicy {
  readonly name: string;
  score(call: CallView, agent: AgentView, context: PolicyContext): number;
  /**
   * Optional, for speed: an upper bound on score(c, agent) over every call c
   * that shares queue, language and segment with `head` (skills may differ),
   * has priority at most head's and value at risk at most
   * group.maxValueAtRisk. Lets a freed agent skip whole groups of waiting
   * calls that cannot beat what it already found. Without it every group is
   * scored.
   */
  upperBound?(head: CallView, agent: AgentView, context: PolicyContext, group: { maxValueAtRisk: number }): number;
}
