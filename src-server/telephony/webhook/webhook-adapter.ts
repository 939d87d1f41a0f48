import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { TelephonyStore } from '../../store/roles/telephony-store';
import type { Assignment, OutboundDial, TelephonyAdapter, TelephonyCalls } from '../telephony-adapter';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook } from './signature';

export interface WebhookAdapterOptions {
  url: string;
  secret: string;
  firstBackoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
}

/** What is POSTed: one decision for the platform to carry out. */
export type WebhookMessage =
  | { type: 'assignment'; deliveryId: string; callId: string; agentId: string; phoneAddress: string | null; agentUsername: string; callerNumber: string; createdAt: string }
  | { type: 'hangup'; deliveryId: string; callId: string; agentId: string; createdAt: string }
  | { type: 'dial'; deliveryId: string; callId: string; agentId: string; phoneAddress: string | null; agentUsername: string; customerNumber: string; createdAt: string };

const BATCH = 50;

/**
 * The webhook adapter, for cloud contact-center platforms and any PBX that
 * can take an HTTP request: each decision is POSTed to the configured URL,
 * signed (HMAC-SHA256 over "<timestamp>.<body>", header Holdfast-Signature)
 * and carrying a delivery id (header Holdfast-Delivery, also in the body).
 * Deliveries are written to the store first and retried with exponential
 * backoff until the receiver answers 2xx, so a restart loses none; a
 * receiver that gets one twice recognises it by its id. Call events come
 * back on POST /api/calls/:id/events with the telephony key.
 */
export class WebhookAdapter implements TelephonyAdapter {
  readonly kind = 'webhook' as const;
  readonly connected = true;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** Writes in flight, so stop() does not cut one off. */
  private writes = new Set<Promise<void>>();

  constructor(private readonly options: WebhookAdapterOptions, private readonly store: TelephonyStore, private readonly log: Logger) {}

  async start(_calls: TelephonyCalls): Promise<void> {
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.writes]);
    await this.running;
  }

  assign(a: Assignment): void {
    this.enqueue(a.callId, (deliveryId, createdAt) => ({ type: 'assignment', deliveryId, callId: a.callId, agentId: a.agentId, phoneAddress: a.phoneAddress, agentUsername: a.agentUsername, callerNumber: a.callerNumber, createdAt }));
  }

  hangUp(callId: string, agentId: string): void {
    this.enqueue(callId, (deliveryId, createdAt) => ({ type: 'hangup', deliveryId, callId, agentId, createdAt }));
  }

  dial(d: OutboundDial): void {
    this.enqueue(d.callId, (deliveryId, createdAt) => ({ type: 'dial', deliveryId, callId: d.callId, agentId: d.agentId, phoneAddress: d.phoneAddress, agentUsername: d.agentUsername, customerNumber: d.customerNumber, createdAt }));
  }

  /** Unacknowledged deliveries (for tests and metrics). */
  pending(): Promise<number> {
    return this.store.pendingDeliveries();
  }

  private enqueue(callId: string, build: (deliveryId: string, createdAt: string) => WebhookMessage): void {
    const deliveryId = `DLV-${randomUUID()}`;
    const createdAt = new Date().toISOString();
    const body = JSON.stringify(build(deliveryId, createdAt));
    const write = this.store.enqueueDelivery({ id: deliveryId, callId, body, createdAt, nextAttemptAt: Date.now() })
      .then(() => this.kick())
      .catch((error: unknown) => this.log.error({ err: error, callId }, 'webhook delivery could not be stored'))
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.sendDue()
      .catch((error: unknown) => this.log.error({ err: error }, 'webhook deliveries failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        } else this.schedule();
      });
  }

  private schedule(): void {
    if (this.stopped) return;
    // Polled at the first backoff step: a failed delivery is retried about when it falls due.
    this.timer = setTimeout(() => this.kick(), Math.min(this.options.firstBackoffMs, 1_000));
    this.timer.unref?.();
  }

  private async sendDue(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const due = await this.store.dueDeliveries(Date.now(), BATCH);
      if (due.length === 0) return;
      await Promise.all(due.map(async (delivery) => {
        const error = await this.post(delivery.id, delivery.body);
        if (error === null) {
          await this.store.deliveryDone(delivery.id, new Date().toISOString());
          return;
        }
        const backoff = Math.min(this.options.firstBackoffMs * 2 ** delivery.attempts, this.options.maxBackoffMs);
        this.log.warn({ deliveryId: delivery.id, attempt: delivery.attempts + 1, retryInMs: backoff, error }, 'webhook delivery not acknowledged; will retry');
        await this.store.deliveryFailed(delivery.id, Date.now() + backoff, error);
      }));
      if (due.length < BATCH) return;
    }
  }

  /** null when acknowledged (2xx), else why not. */
  private async post(deliveryId: string, body: string): Promise<string | null> {
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [DELIVERY_HEADER]: deliveryId,
          [SIGNATURE_HEADER]: signWebhook(this.options.secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.ok ? null : `receiver answered ${response.status}`;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}
