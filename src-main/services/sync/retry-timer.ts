/** How long to wait before retrying: `baseMs` after the first failure, doubling up to `maxMs`. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * The delay before retry number `attempt` (from 1): capped exponential with
 * "equal jitter" (half fixed, half random), so the desktops that all failed
 * at one server restart do not all come back in the same instant.
 */
export function backoffMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** At most one pending retry; each failure in a row waits longer, a success starts again from the base delay. */
export class RetryTimer {
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly policy: BackoffPolicy, private readonly random: () => number = Math.random) {}

  /** Runs `retry` after the next backoff delay, replacing a retry already pending; returns the delay. */
  schedule(retry: () => void): number {
    this.cancel();
    this.attempt += 1;
    const delay = backoffMs(this.attempt, this.policy, this.random);
    this.timer = setTimeout(() => {
      this.timer = null;
      retry();
    }, delay);
    // A pending retry must not keep a closing process alive.
    this.timer.unref();
    return delay;
  }

  /** After a success. */
  reset(): void {
    this.attempt = 0;
    this.cancel();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  get failures(): number {
    return this.attempt;
  }
}
