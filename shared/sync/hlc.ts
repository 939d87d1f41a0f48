import { formatHlc, HLC_MAX_COUNTER as MAX_COUNTER, HLC_NODE_PATTERN as NODE_PATTERN, parseHlc } from '../domain/hlc-stamp';

// The stamp format is in shared/domain, beside the profile-edit schema that checks it.
export { formatHlc, isHlc, parseHlc, type HlcState } from '../domain/hlc-stamp';

/**
 * Hybrid logical clock (Kulkarni et al., 2014): wall time when clocks agree,
 * a counter when they do not, and a node id to break ties. Timestamps sort
 * as strings, so "later" is a string comparison everywhere.
 * Why hand-written: it is 40 lines, and the npm options pull in runtimes or
 * encodings that do not match this format.
 */
export class HybridLogicalClock {
  private wallMs = 0;
  private counter = 0;

  constructor(readonly node: string, private readonly now: () => number = Date.now) {
    if (!NODE_PATTERN.test(node)) throw new Error(`An HLC node id must match ${NODE_PATTERN}`);
  }

  /** A timestamp for a local event, later than every one this clock has issued or seen. */
  tick(): string {
    const physical = this.now();
    if (physical > this.wallMs) {
      this.wallMs = physical;
      this.counter = 0;
    } else {
      this.bump();
    }
    return formatHlc({ wallMs: this.wallMs, counter: this.counter, node: this.node });
  }

  /** Folds in a timestamp from elsewhere, so the next tick sorts after it. */
  receive(stamp: string): void {
    const remote = parseHlc(stamp);
    if (!remote) return;
    const physical = this.now();
    const wall = Math.max(this.wallMs, remote.wallMs, physical);
    if (wall === this.wallMs && wall === remote.wallMs) this.counter = Math.max(this.counter, remote.counter) + 1;
    else if (wall === this.wallMs) this.counter += 1;
    else if (wall === remote.wallMs) this.counter = remote.counter + 1;
    else this.counter = 0;
    this.wallMs = wall;
    if (this.counter > MAX_COUNTER) this.bump();
  }

  private bump(): void {
    this.counter += 1;
    if (this.counter > MAX_COUNTER) {
      // Counter exhausted within one millisecond: borrow the next millisecond.
      this.wallMs += 1;
      this.counter = 0;
    }
  }
}

/** How far ahead of this server's clock a stamp from elsewhere may be, by default (5 minutes). */
export const DEFAULT_MAX_HLC_DRIFT_MS = 5 * 60_000;

/**
 * How far (ms) a stamp runs ahead of `now` beyond the allowed drift, or 0 when
 * it is within it. A stamp from a clock set far into the future would win every
 * last-writer-wins merge for good, so the receiver refuses it instead of folding it in.
 */
export function hlcExcessDrift(stamp: string, now: number, maxDriftMs: number): number {
  const parsed = parseHlc(stamp);
  if (!parsed) return 0;
  return Math.max(0, parsed.wallMs - (now + maxDriftMs));
}
