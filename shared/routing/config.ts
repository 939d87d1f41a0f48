import { z } from 'zod';

/**
 * Queue priority with aging (see priority.ts for the formula and the
 * starvation bound these numbers imply).
 */
export const priorityConfigSchema = z.object({
  /** Priority points for value at risk, applied to ln(1 + min(VaR/valueScale, valueCapRatio)). 0 = FIFO. */
  valueWeight: z.number().min(0).default(1),
  /** Value at risk that counts as "one unit" (currency). */
  valueScale: z.number().positive().default(1000),
  /** Value above valueScale * valueCapRatio earns no more priority, which bounds overtaking. */
  valueCapRatio: z.number().positive().default(5),
  /** Milliseconds of waiting worth one priority point; null disables aging (then starvation is possible). */
  agingMs: z.number().positive().nullable().default(60_000),
});

export const matchConfigSchema = z.object({
  /**
   * Weight of the expected extra saved value, (p_agent - p_segment) * min(VaR/valueScale, valueCapRatio),
   * in priority points.
   */
  matchWeight: z.number().min(0).default(2),
  /** Optimism for little-known pairs: adds this many posterior standard deviations to p (0 = greedy). */
  explorationBonus: z.number().min(0).default(0),
  /** Priority points per minute an agent has been idle; spreads ties to the longest-idle agent. */
  idleWeightPerMinute: z.number().min(0).default(0.01),
});

/**
 * Fairness and burn-out guard for the predictive policy (see policies/guards.ts).
 */
export const guardConfigSchema = z.object({
  /** Recent occupancy above this starts to discount an agent's predicted save probability. */
  occupancyTarget: z.number().min(0).max(1).default(0.85),
  /** Discount at 100% occupancy (linear from the target up). */
  occupancyPenalty: z.number().min(0).max(1).default(0.5),
  /** A call with churnRisk at or above this is "high risk". */
  highRiskThreshold: z.number().min(0).max(1).default(0.7),
  /** After this many high-risk calls in a row an agent is only chosen for another one as a last resort. */
  maxConsecutiveHighRisk: z.number().int().min(1).default(3),
  /** Priority points subtracted for a pair that breaks the consecutive high-risk cap. */
  highRiskPenalty: z.number().min(0).default(3),
});

export const queueConfigSchema = z.object({
  /** Name of the matching policy in the router's policy registry. */
  policy: z.string().min(1).default('predictive'),
  /** Minimum language proficiency (1..5) to be eligible. */
  minProficiency: z.number().int().min(1).max(5).default(3),
  reservationTimeoutMs: z.number().positive().default(15_000),
  /** Share of calls (by seeded hash of the call id) routed by longest-idle as a measured baseline. */
  baselineShare: z.number().min(0).max(1).default(0),
  priority: priorityConfigSchema.prefault({}),
  match: matchConfigSchema.prefault({}),
  guard: guardConfigSchema.prefault({}),
});

export const learningConfigSchema = z.object({
  /** Agents with history needed in a segment before its prior is fitted from them. */
  minAgentsForPrior: z.number().int().min(2).default(3),
  /** Prior strength (alpha + beta) when the segment has too few agents to fit one. */
  defaultPriorStrength: z.number().positive().default(20),
  minPriorStrength: z.number().positive().default(2),
  maxPriorStrength: z.number().positive().default(5000),
  /** Refit a segment's prior once its outcome count grew by this fraction (amortised O(1) per outcome). */
  refitGrowth: z.number().min(0).default(0.05),
});

export const routerConfigSchema = z.object({
  /** Applies to calls whose queue (or intent) names no configured queue. */
  defaultQueue: queueConfigSchema.prefault({}),
  queues: z.record(z.string().min(1), queueConfigSchema).default({}),
  /** Seed of the hash that assigns calls to the baseline arm. */
  armSeed: z.string().default('holdfast-arm'),
  /** Candidates kept per call or agent when building a decision (top-K). */
  candidatesPerDecision: z.number().int().min(1).max(64).default(8),
  /** Calls looked at per waiting bucket (same queue, language, segment, skills) for a free agent. */
  candidatesPerBucket: z.number().int().min(1).max(32).default(3),
  /**
   * Eligible free agents scored for one arriving call, taken longest-idle
   * first; a learning policy also scores the segment's best-estimated free
   * agents (learning.ts SEGMENT_LEADERS) wherever they are in that order, so
   * a long free list does not hide the best match (matching.ts says why the
   * two together find it). The cost per arrival stays flat.
   */
  agentScanLimit: z.number().int().min(1).default(32),
  /** Time constant of the exponentially weighted recent occupancy. */
  occupancyWindowMs: z.number().positive().default(30 * 60_000),
  /** Presence of an agent after rejecting an offer. */
  onReject: z.enum(['available', 'away']).default('available'),
  /** Presence of an agent who let an offer expire (not at the desk, most likely). */
  onExpire: z.enum(['available', 'away']).default('away'),
  /** Ended/abandoned call ids kept for duplicate detection and look-up. */
  rememberCompletedCalls: z.number().int().min(0).default(10_000),
  learning: learningConfigSchema.prefault({}),
});

export type PriorityConfig = z.infer<typeof priorityConfigSchema>;
export type MatchConfig = z.infer<typeof matchConfigSchema>;
export type GuardConfig = z.infer<typeof guardConfigSchema>;
export type QueueConfig = z.infer<typeof queueConfigSchema>;
export type LearningConfig = z.infer<typeof learningConfigSchema>;
export type RouterConfig = z.infer<typeof routerConfigSchema>;
export type RouterConfigInput = z.input<typeof routerConfigSchema>;
export type QueueConfigInput = z.input<typeof queueConfigSchema>;
