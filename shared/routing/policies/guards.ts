import type { GuardConfig } from '../config';
import type { AgentView, CallView } from '../state';

/**
 * Occupancy and fairness guard.
 *
 * Recent occupancy is an exponentially weighted share of time the agent had
 * at least one call (reserved, on a call or in wrap-up), with time constant
 * `occupancyWindowMs`:  occ' = busy ? 1 - (1 - occ) e^(-dt/tau) : occ e^(-dt/tau).
 * It needs no history buffer and is exact for piecewise-constant busy time.
 *
 * Above `occupancyTarget` the agent's predicted save probability is
 * discounted linearly, reaching `occupancyPenalty` at 100% occupancy, so the
 * best agents stop looking best once they have been run hot, and calls flow
 * to the next best instead of queueing behind a favourite.
 *
 * After `maxConsecutiveHighRisk` high-risk calls in a row an agent gets
 * another one only as a last resort (a `highRiskPenalty` on the pair score,
 * soft so the engine never leaves a call waiting while an eligible agent idles).
 */
export function decayOccupancy(occupancy: number, busy: boolean, elapsedMs: number, windowMs: number): number {
  if (elapsedMs <= 0) return occupancy;
  const keep = Math.exp(-elapsedMs / windowMs);
  return busy ? 1 - (1 - occupancy) * keep : occupancy * keep;
}

export function occupancyFactor(occupancy: number, guard: GuardConfig): number {
  if (occupancy <= guard.occupancyTarget || guard.occupancyTarget >= 1) return 1;
  const over = (occupancy - guard.occupancyTarget) / (1 - guard.occupancyTarget);
  return 1 - guard.occupancyPenalty * Math.min(1, over);
}

export function isHighRisk(call: Pick<CallView, 'churnRisk'>, guard: GuardConfig): boolean {
  return call.churnRisk >= guard.highRiskThreshold;
}

export function highRiskPenalty(call: CallView, agent: AgentView, guard: GuardConfig): number {
  return isHighRisk(call, guard) && agent.consecutiveHighRisk >= guard.maxConsecutiveHighRisk ? guard.highRiskPenalty : 0;
}
