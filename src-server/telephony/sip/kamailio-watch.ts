import type { KamailioClient } from './kamailio-client';

export interface KamailioWatchHandlers {
  /** Kamailio answers with another boot id than before: it restarted, and what it held in suspense is gone. */
  restarted(boot: string): void;
  /** Kamailio has not answered for `lostAfterMs`: the calls it held are given up. Called once per outage. */
  lost(): void;
}

/**
 * Knows whether Kamailio is there and which run of it: reads its health
 * every `everyMs`, and takes the boot id every event carries (so a restart is
 * seen at the first event of the new run, not only at the next poll).
 */
export class KamailioWatch {
  private boot: string | null = null;
  private up = false;
  private downSince: number | null = null;
  private lostReported = false;
  /** When the boot id last changed: a poll sent before then may carry the old one. */
  private changedAt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    private readonly client: KamailioClient,
    private readonly options: { everyMs: number; lostAfterMs: number },
    private readonly handlers: KamailioWatchHandlers,
  ) {}

  get connected(): boolean {
    return this.up;
  }

  get currentBoot(): string | null {
    return this.boot;
  }

  /** Polls once (resolved when that answer is in), then keeps polling. */
  async start(): Promise<void> {
    await this.poll();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** An event came from the Kamailio run `boot`. */
  seen(boot: string): void {
    this.reachable();
    this.take(boot);
  }

  private async poll(): Promise<void> {
    const sentAt = Date.now();
    const boot = await this.client.health();
    if (this.stopped) return;
    if (boot === null) this.unreachable();
    else if (sentAt >= this.changedAt) {
      this.reachable();
      this.take(boot);
    }
    this.timer = setTimeout(() => void this.poll(), this.options.everyMs);
    this.timer.unref?.();
  }

  private take(boot: string): void {
    if (boot === this.boot) return;
    const before = this.boot;
    this.boot = boot;
    this.changedAt = Date.now();
    if (before !== null) this.handlers.restarted(boot);
  }

  private reachable(): void {
    this.up = true;
    this.downSince = null;
    this.lostReported = false;
  }

  private unreachable(): void {
    this.up = false;
    this.downSince ??= Date.now();
    if (!this.lostReported && Date.now() - this.downSince >= this.options.lostAfterMs) {
      this.lostReported = true;
      this.handlers.lost();
    }
  }
}
