/**
 * Hybrid logical clock (Kulkarni et al., 2014): wall time when clocks agree,
 * a counter when they do not, and a node id to break ties. Timestamps sort
 * as strings, so "later" is a string comparison everywhere.
 * Why hand-written: it is 40 lines, and the npm options pull in runtimes or
 * encodings that do not match this format.
 */
export interface HlcState {
  wallMs: number;
  counter: number;
  node: string;
}

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 5;
const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;
const NODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const STAMP_PATTERN = new RegExp(`^(\\d{${WALL_DIGITS}})-(\\d{${COUNTER_DIGITS}})-([A-Za-z0-9_-]{1,32})$`);

export function formatHlc(state: HlcState): string {
  return `${String(state.wallMs).padStart(WALL_DIGITS, '0')}-${String(state.counter).padStart(COUNTER_DIGITS, '0')}-${state.node}`;
}

export function parseHlc(stamp: string): HlcState | null {
  const match = STAMP_PATTERN.exec(stamp);
  return match ? { wallMs: Number(match[1]), counter: Number(match[2]), node: match[3]! } : null;
}

export function isHlc(stamp: unknown): stamp is string {
  return typeof stamp === 'string' && parseHlc(stamp) !== null;
}

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
