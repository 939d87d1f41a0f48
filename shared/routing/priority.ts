import type { PriorityConfig } from './config';

/**
 * Queue priority with aging, in "priority points":
 *
 *   priority(call, now) = valueWeight * ln(1 + min(VaR / valueScale, valueCapRatio))
 *                       + (now - arrivedAt) / agingMs
 *
 * Value at risk raises priority (logarithmically, and capped, so one whale
 * cannot hold the queue); waiting raises it by one point per agingMs, without
 * limit. Two calls' priorities therefore differ by a constant over time, so a
 * bucket of waiting calls can be kept sorted once by `priorityKey`.
 *
 * Starvation bound: the value term lies in [0, V] with
 * V = valueWeight * ln(1 + valueCapRatio). Any other term a policy adds to a
 * pair score is also bounded (match term <= matchWeight * valueCapRatio,
 * high-risk penalty <= highRiskPenalty, idle tie-break is the same for every
 * call offered to one agent), call that bound M. So a call can be overtaken
 * by a later arrival only if that arrival came less than (V + M) * agingMs
 * after it: nobody waits behind an endless stream of newer, richer calls.
 */
export interface PrioritisedCall {
  readonly valueAtRisk: number;
  readonly arrivedAt: number;
}

export function valueTerm(call: PrioritisedCall, config: PriorityConfig): number {
  const ratio = Math.min(call.valueAtRisk / config.valueScale, config.valueCapRatio);
  return config.valueWeight * Math.log1p(Math.max(0, ratio));
}

export function priorityAt(call: PrioritisedCall, config: PriorityConfig, now: number): number {
  const aging = config.agingMs === null ? 0 : Math.max(0, now - call.arrivedAt) / config.agingMs;
  return valueTerm(call, config) + aging;
}

/** Time-independent sort key: priorityAt(call, now) = priorityKey(call) + now / agingMs. */
export function priorityKey(call: PrioritisedCall, config: PriorityConfig): number {
  const aging = config.agingMs === null ? 0 : -call.arrivedAt / config.agingMs;
  return valueTerm(call, config) + aging;
}

/** The most priority points any pair-score extras can add: used for the documented bound. */
export function overtakingBoundMs(config: PriorityConfig, extraPoints: number): number {
  if (config.agingMs === null) return Number.POSITIVE_INFINITY;
  return (config.valueWeight * Math.log1p(config.valueCapRatio) + extraPoints) * config.agingMs;
}
