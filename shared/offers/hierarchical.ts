/**
 * A hierarchical Beta-Binomial model of the chance to stay, per arm (offer or
 * NO_OFFER) and segment, so segments share what they know.
 *
 * Per arm a population prior Beta(k·m, k·(1−m)) pooled over its segments: m is
 * the arm's pooled stay rate (with a uniform Beta(1, 1) hyperprior), k its
 * strength, fitted by empirical-Bayes moment matching on the segments' rates
 * (k = m(1−m)/τ² − 1, τ² the between-segment variance left after the binomial
 * noise) and held within [minStrength, maxStrength]; or set with fixedStrength.
 * Per arm×segment the posterior Beta(k·m + stays, k·(1−m) + leaves): a segment
 * with few outcomes sits near its arm's pool, one with many near its own rate.
 *
 * Outcomes are soft counts: a verified stay is 1 stay, a verified leave 1 leave;
 * a claimed stay (not yet verified) counts as `verifiedShare` of a stay and the
 * rest as a leave, where verifiedShare is the measured rate at which claims are
 * verified in that segment (fed in by the caller).
 */
export interface HierarchyConfig {
  minStrength: number;
  maxStrength: number;
  /** Use this prior strength instead of fitting one. */
  fixedStrength?: number;
}

export const DEFAULT_HIERARCHY: HierarchyConfig = { minStrength: 2, maxStrength: 50 };

export type OutcomeLabel = { kind: 'verified'; stayed: boolean } | { kind: 'claimed'; stayed: boolean; verifiedShare: number };

interface Cell {
  stays: number;
  trials: number;
}

export interface BetaParams {
  alpha: number;
  beta: number;
}

interface Pool {
  mean: number;
  strength: number;
}

export class HierarchicalStayModel {
  private readonly cells = new Map<string, Map<string, Cell>>();
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly config: HierarchyConfig = DEFAULT_HIERARCHY) {}

  /** The weight of a stay this label carries (1 or 0 when verified). */
  static stayWeight(label: OutcomeLabel): number {
    if (label.kind === 'verified') return label.stayed ? 1 : 0;
    const share = Math.min(1, Math.max(0, label.verifiedShare));
    return label.stayed ? share : 0;
  }

  observe(arm: string, segment: string, label: OutcomeLabel): void {
    let bySegment = this.cells.get(arm);
    if (!bySegment) this.cells.set(arm, (bySegment = new Map()));
    const cell = bySegment.get(segment) ?? { stays: 0, trials: 0 };
    cell.stays += HierarchicalStayModel.stayWeight(label);
    cell.trials += 1;
    bySegment.set(segment, cell);
    this.pools.delete(arm);
  }

  counts(arm: string, segment: string): Cell {
    const cell = this.cells.get(arm)?.get(segment);
    return { stays: cell?.stays ?? 0, trials: cell?.trials ?? 0 };
  }

  /** The arm's population prior: pooled mean and strength. */
  pool(arm: string): Pool {
    const cached = this.pools.get(arm);
    if (cached) return cached;
    const fitted = this.fitPool(arm);
    this.pools.set(arm, fitted);
    return fitted;
  }

  posterior(arm: string, segment: string): BetaParams {
    const { mean, strength } = this.pool(arm);
    const { stays, trials } = this.counts(arm, segment);
    return { alpha: strength * mean + stays, beta: strength * (1 - mean) + (trials - stays) };
  }

  posteriorMean(arm: string, segment: string): number {
    const { alpha, beta } = this.posterior(arm, segment);
    return alpha / (alpha + beta);
  }

  private fitPool(arm: string): Pool {
    const cells = [...(this.cells.get(arm)?.values() ?? [])].filter((c) => c.trials > 0);
    let stays = 0;
    let trials = 0;
    for (const c of cells) {
      stays += c.stays;
      trials += c.trials;
    }
    const mean = (stays + 1) / (trials + 2);
    const { minStrength, maxStrength, fixedStrength } = this.config;
    if (fixedStrength !== undefined) return { mean, strength: fixedStrength };
    if (cells.length < 2) return { mean, strength: minStrength };
    // Trial-weighted variance of the segments' rates, less the binomial noise it would have with no real spread.
    let observed = 0;
    let noise = 0;
    for (const c of cells) {
      const rate = c.stays / c.trials;
      observed += c.trials * (rate - mean) ** 2;
      noise += mean * (1 - mean);
    }
    observed /= trials;
    noise /= trials;
    const between = observed - noise;
    const strength = between > 0 ? (mean * (1 - mean)) / between - 1 : maxStrength;
    return { mean, strength: Math.min(maxStrength, Math.max(minStrength, strength)) };
  }
}
