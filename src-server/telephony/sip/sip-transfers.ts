import type { QueueTarget } from './sip-queues';

/** A blind transfer back to the queue, waiting for the caller's new INVITE. */
export interface PendingTransfer {
  /** Holdfast's call id: the caller's new INVITE joins this call. */
  callId: string;
  /** The SIP Call-ID of the transferred (old) leg. */
  sipCallId: string;
  target: QueueTarget;
  /** The old leg was hung up meanwhile (phones do, after the REFER): by whom, applied only if the caller never comes back. */
  endedBy: 'caller' | 'agent' | null;
  timer: ReturnType<typeof setTimeout>;
}

/** How long a transfer out is remembered, so a repeated REFER event gets the same answer. */
const OUT_REMEMBERED_MS = 120_000;

/**
 * The SIP adapter's transfers under way, by the SIP Call-ID of the leg the
 * agent transferred: those back to the queue until the caller's new INVITE
 * arrives (or `waitMs` passes, then `gaveUp`), and those out of Holdfast
 * for a while, to answer a repeated REFER event the same way.
 */
export class SipTransfers {
  private readonly pending = new Map<string, PendingTransfer>();
  private readonly out = new Map<string, number>();

  constructor(private readonly waitMs: number, private readonly gaveUp: (transfer: PendingTransfer) => void) {}

  /** The agent transferred this leg to a queue number: the caller's INVITE is expected within waitMs. */
  expect(callId: string, sipCallId: string, target: QueueTarget): void {
    this.take(sipCallId);
    const timer = setTimeout(() => {
      const transfer = this.pending.get(sipCallId);
      if (!transfer) return;
      this.pending.delete(sipCallId);
      this.gaveUp(transfer);
    }, this.waitMs);
    timer.unref?.();
    this.pending.set(sipCallId, { callId, sipCallId, target, endedBy: null, timer });
  }

  get(sipCallId: string): PendingTransfer | undefined {
    return this.pending.get(sipCallId);
  }

  /** The caller's INVITE arrived (or the call is gone): no longer pending. */
  take(sipCallId: string): PendingTransfer | undefined {
    const transfer = this.pending.get(sipCallId);
    if (!transfer) return undefined;
    clearTimeout(transfer.timer);
    this.pending.delete(sipCallId);
    return transfer;
  }

  wentOut(sipCallId: string, now = Date.now()): void {
    // Kept in arrival order: the oldest come first.
    for (const [id, at] of this.out) {
      if (now - at <= OUT_REMEMBERED_MS) break;
      this.out.delete(id);
    }
    this.out.set(sipCallId, now);
  }

  isOut(sipCallId: string): boolean {
    return this.out.has(sipCallId);
  }

  stop(): void {
    for (const transfer of this.pending.values()) clearTimeout(transfer.timer);
    this.pending.clear();
    this.out.clear();
  }
}
