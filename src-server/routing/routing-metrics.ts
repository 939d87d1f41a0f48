import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Arm } from '@shared/routing';

/** What the metrics read at scrape time. */
export interface MetricSources {
  queue(): { waiting: number; reserved: number; connected: number; agentsOnline: number; agentsFree: number };
  presenceCounts(): Record<string, number>;
  connectedDesktops(): number;
}

export type OutreachTaskResult = 'offered' | 'accepted' | 'skipped' | 'expired' | 'revoked';

/**
 * The routing server's Prometheus metrics, on a registry of its own (so two
 * servers in one process, as in tests, do not collide).
 *
 * Service level: calls answered within `serviceLevelSeconds` over calls
 * answered or abandoned (the usual contact-center definition, abandons count
 * against it), since the process started.
 */
export class RoutingMetrics {
  readonly registry = new Registry();
  private answered = 0;
  private answeredInTime = 0;
  private abandoned = 0;
  private readonly arrivedTotal: Counter<'queue'>;
  private readonly offersTotal: Counter<'arm'>;
  private readonly acceptsTotal: Counter;
  private readonly rejectsTotal: Counter;
  private readonly timeoutsTotal: Counter;
  private readonly abandonsTotal: Counter;
  private readonly transfersTotal: Counter;
  private readonly outcomesTotal: Counter<'arm' | 'result'>;
  private readonly savesTotal: Counter<'arm'>;
  private readonly outreachTotal: Counter<'result'>;
  private readonly routingStepsTotal: Counter<'assigned'>;
  private readonly waitSeconds: Histogram<'outcome'>;
  private readonly callSaveFailuresTotal: Counter;
  private readonly callSavesPending: Gauge;

  constructor(
    sources: MetricSources,
    private readonly serviceLevelSeconds: number,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'holdfast_process_' });
    this.arrivedTotal = new Counter({ name: 'holdfast_calls_arrived_total', help: 'Inbound calls queued, by queue', labelNames: ['queue'], registers });
    this.offersTotal = new Counter({ name: 'holdfast_offers_total', help: 'Reservations offered to agents, by routing arm', labelNames: ['arm'], registers });
    this.acceptsTotal = new Counter({ name: 'holdfast_offer_accepts_total', help: 'Offers accepted by the agent', registers });
    this.rejectsTotal = new Counter({ name: 'holdfast_offer_rejects_total', help: 'Offers rejected by the agent', registers });
    this.timeoutsTotal = new Counter({ name: 'holdfast_offer_timeouts_total', help: 'Offers that lapsed unanswered', registers });
    this.abandonsTotal = new Counter({ name: 'holdfast_calls_abandoned_total', help: 'Calls the caller left before an agent answered', registers });
    this.transfersTotal = new Counter({ name: 'holdfast_calls_transferred_total', help: 'Calls sent back to the queue by a transfer', registers });
    // arm "outreach": outbound retention calls, counted beside (not inside) the inbound arms whose difference is the uplift.
    this.outcomesTotal = new Counter({ name: 'holdfast_retention_outcomes_total', help: 'Retention wrap-ups, by arm (policy, baseline; outreach for outbound calls) and result', labelNames: ['arm', 'result'], registers });
    this.savesTotal = new Counter({ name: 'holdfast_saves_total', help: 'Customers retained, by arm (policy, baseline; outreach for outbound calls)', labelNames: ['arm'], registers });
    this.callSaveFailuresTotal = new Counter({ name: 'holdfast_call_save_failures_total', help: 'Failed attempts to save a call record (each is retried until stored)', registers });
    this.callSavesPending = new Gauge({ name: 'holdfast_call_saves_pending', help: 'Call record writes waiting to be stored (queued or retrying)', registers });
    this.routingStepsTotal = new Counter({
      name: 'holdfast_routing_steps_total',
      help: 'Routing steps that made offers: "single" one offer, "joint" several calls assigned together',
      labelNames: ['assigned'],
      registers,
    });
    this.outreachTotal = new Counter({ name: 'holdfast_outreach_tasks_total', help: 'Outbound preview tasks, by what became of them', labelNames: ['result'], registers });
    this.waitSeconds = new Histogram({
      name: 'holdfast_queue_wait_seconds',
      help: 'Time from arrival to answer or abandonment',
      labelNames: ['outcome'],
      buckets: [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600],
      registers,
    });
    new Gauge({
      name: 'holdfast_queue_depth',
      help: 'Calls waiting for an agent',
      registers,
      collect() {
        this.set(sources.queue().waiting);
      },
    });
    new Gauge({
      name: 'holdfast_calls_in_progress',
      help: 'Calls offered to or connected with an agent',
      labelNames: ['phase'],
      registers,
      collect() {
        const queue = sources.queue();
        this.set({ phase: 'offered' }, queue.reserved);
        this.set({ phase: 'connected' }, queue.connected);
      },
    });
    new Gauge({
      name: 'holdfast_agents',
      help: 'Agents by presence',
      labelNames: ['presence'],
      registers,
      collect() {
        this.reset();
        for (const [presence, count] of Object.entries(sources.presenceCounts())) this.set({ presence }, count);
      },
    });
    new Gauge({
      name: 'holdfast_connected_desktops',
      help: 'Desktop sockets connected',
      registers,
      collect() {
        this.set(sources.connectedDesktops());
      },
    });
    const serviceLevel = (): number => {
      const handled = this.answered + this.abandoned;
      return handled === 0 ? 1 : this.answeredInTime / handled;
    };
    new Gauge({
      name: 'holdfast_service_level_ratio',
      help: 'Share of calls answered within the threshold, of calls answered or abandoned',
      labelNames: ['threshold_seconds'],
      registers,
      collect() {
        this.set({ threshold_seconds: String(serviceLevelSeconds) }, serviceLevel());
      },
    });
  }

  /** Share answered within the threshold of calls answered or abandoned since start; null before any (the live board). */
  serviceLevelNow(): { ratio: number | null; thresholdSeconds: number } {
    const handled = this.answered + this.abandoned;
    return { ratio: handled === 0 ? null : this.answeredInTime / handled, thresholdSeconds: this.serviceLevelSeconds };
  }

  callSaveFailed(): void {
    this.callSaveFailuresTotal.inc();
  }

  /** +1 when a call record write is queued, -1 when it is stored (or given up at shutdown). */
  callSavePending(delta: number): void {
    this.callSavesPending.inc(delta);
  }

  arrived(queue: string): void {
    this.arrivedTotal.inc({ queue });
  }

  offered(arm: Arm): void {
    this.offersTotal.inc({ arm });
  }

  /** An offer accepted; `waitMs` since the caller joined the queue (first answer only). */
  accepted(waitMs: number | null): void {
    this.acceptsTotal.inc();
    if (waitMs === null) return;
    this.answered++;
    if (waitMs <= this.serviceLevelSeconds * 1000) this.answeredInTime++;
    this.waitSeconds.observe({ outcome: 'answered' }, Math.max(0, waitMs) / 1000);
  }

  rejected(): void {
    this.rejectsTotal.inc();
  }

  timedOut(): void {
    this.timeoutsTotal.inc();
  }

  abandonedCall(waitMs: number): void {
    this.abandoned++;
    this.abandonsTotal.inc();
    this.waitSeconds.observe({ outcome: 'abandoned' }, Math.max(0, waitMs) / 1000);
  }

  transferred(): void {
    this.transfersTotal.inc();
  }

  /** Offers made by one routing step (several: a joint assignment). */
  routed(offers: number): void {
    if (offers > 0) this.routingStepsTotal.inc({ assigned: offers > 1 ? 'joint' : 'single' });
  }

  outcome(arm: Arm | 'outreach', saved: boolean): void {
    this.outcomesTotal.inc({ arm, result: saved ? 'saved' : 'not_saved' });
    if (saved) this.savesTotal.inc({ arm });
  }

  outreach(result: OutreachTaskResult): void {
    this.outreachTotal.inc({ result });
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
