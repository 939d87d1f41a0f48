import { type Arm, type UpliftReport, upliftReport } from '@shared/routing';

export interface ArmCounts {
  calls: number;
  saves: number;
}

/**
 * Retention outcomes of routed calls, counted by the arm that routed them
 * (predictive policy or longest-idle baseline), for the measured uplift.
 * Each call counts once, when its wrap-up completes it.
 */
export class UpliftTally {
  private counts: Record<Arm, ArmCounts> = { policy: { calls: 0, saves: 0 }, baseline: { calls: 0, saves: 0 } };
  private cached: UpliftReport | null = null;

  add(arm: Arm, saved: boolean): void {
    this.counts[arm].calls++;
    if (saved) this.counts[arm].saves++;
    this.cached = null;
  }

  report(): UpliftReport {
    if (this.cached === null) {
      // upliftReport takes one record per call; rebuilt only after a new outcome.
      const outcomes: Array<{ arm: Arm; saved: boolean }> = [];
      for (const arm of ['policy', 'baseline'] as const) {
        const { calls, saves } = this.counts[arm];
        for (let i = 0; i < calls; i++) outcomes.push({ arm, saved: i < saves });
      }
      this.cached = upliftReport(outcomes);
    }
    return this.cached;
  }

  toJSON(): Record<Arm, ArmCounts> {
    return { policy: { ...this.counts.policy }, baseline: { ...this.counts.baseline } };
  }

  load(counts: Record<Arm, ArmCounts>): void {
    this.counts = { policy: { ...counts.policy }, baseline: { ...counts.baseline } };
    this.cached = null;
  }
}
