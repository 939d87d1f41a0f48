import {
  COHORT_DAYS, reviewDimensionSchema, type ReviewCall, type ReviewCallsPage, type ReviewCohort, type ReviewCut, type ReviewDimension,
  type ReviewFilter, type ReviewGrain, type ReviewLive, type ReviewSummary, type ReviewTrend,
} from '@shared/contract/review';
import { outcomeRecordSchema } from '@shared/domain/wrap-up';
import { wilsonInterval } from '@shared/routing/uplift';
import { EMPTY_COUNTS, periodsOf, previousPeriod, reviewFigures, SMALL_SAMPLE_CALLS } from '@shared/supervisor/review-figures';
import type { RoutingService } from '../routing/routing-service';
import type { AgentStore } from '../store/roles/agent-store';
import type { PlaybookStore } from '../store/roles/playbook-store';
import type { ReviewRow, ReviewStore, CohortMember } from '../store/roles/review-store';

export type ReviewServiceStore = ReviewStore & AgentStore & PlaybookStore;

/** Rows the export reads per query: bounded memory however long the range. */
const EXPORT_PAGE = 1000;
/** Saves (and untouched customers) read per cohort group; larger groups are sampled: the oldest saves, the first customers by id. */
const COHORT_SAMPLE = 2000;
const DAY_MS = 86_400_000;

export interface LiveAlertConfig {
  waitSeconds: number;
  minClv: number;
  minChurnRisk: number;
}

/**
 * The supervisor's retention review: figures with their intervals over a
 * range and the one before it, trends, cuts, the calls behind any number,
 * the CSV export's rows, the cohort survival and the live board. Labels
 * (agent and offer names) are read per request, so a renamed offer shows its
 * new name on old outcomes too.
 */
export class ReviewService {
  constructor(
    private readonly store: ReviewServiceStore,
    private readonly routing: Pick<RoutingService, 'router' | 'metrics'>,
    private readonly alert: LiveAlertConfig,
  ) {}

  async summary(filter: ReviewFilter): Promise<ReviewSummary> {
    const previous = previousPeriod(filter);
    const totals = await this.store.reviewTotals(filter, previous);
    return {
      filter,
      previous,
      current: reviewFigures(totals.current),
      before: reviewFigures(totals.before),
      verified: totals.current.verifiedResolved > 0 ? 'available' : 'pending',
    };
  }

  async trend(filter: ReviewFilter, grain: ReviewGrain): Promise<ReviewTrend> {
    const found = new Map((await this.store.reviewTrend(filter, grain)).map((p) => [p.period, p.counts]));
    return { grain, points: periodsOf(filter, grain).map((period) => ({ period, ...reviewFigures(found.get(period) ?? EMPTY_COUNTS) })) };
  }

  async cut(filter: ReviewFilter, dimension: ReviewDimension): Promise<ReviewCut> {
    const [groups, label] = await Promise.all([this.store.reviewCut(filter, dimension, previousPeriod(filter)), this.labeller(dimension)]);
    return { dimension, rows: groups.map((g) => ({ key: g.key, label: label(g.key), ...reviewFigures(g.current), before: g.before })) };
  }

  async calls(filter: ReviewFilter, query: { show: 'calls' | 'saves'; cursor?: { receivedAt: string; outcomeId: string } | undefined; limit: number }): Promise<ReviewCallsPage> {
    const rows = await this.store.reviewCalls(filter, { savesOnly: query.show === 'saves', before: query.cursor ?? null, limit: query.limit + 1 });
    const offers = await this.offerNames();
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { calls: page.map((row) => this.call(row, offers)), next: rows.length > query.limit && last ? `${last.receivedAt}|${last.outcomeId}` : null };
  }

  /** Every call of the filter, newest first, read a page at a time (for the streamed export). */
  async *exportCalls(filter: ReviewFilter, show: 'calls' | 'saves'): AsyncGenerator<ReviewCall> {
    const offers = await this.offerNames();
    let before: { receivedAt: string; outcomeId: string } | null = null;
    for (;;) {
      const rows = await this.store.reviewCalls(filter, { savesOnly: show === 'saves', before, limit: EXPORT_PAGE });
      for (const row of rows) yield this.call(row, offers);
      const last = rows[rows.length - 1];
      if (rows.length < EXPORT_PAGE || !last) return;
      before = { receivedAt: last.receivedAt, outcomeId: last.outcomeId };
    }
  }

  /**
   * Survival of customers claimed saved in the range against high-risk
   * customers nobody contacted in it, by days since contact (the range start
   * for the untouched). "Still active" means a payment or purchase on or after
   * that day; a customer counts at a day only once followed that long.
   */
  async cohort(filter: ReviewFilter, now: Date): Promise<ReviewCohort> {
    const [saved, untouched] = await Promise.all([this.store.cohortSaved(filter, COHORT_SAMPLE), this.store.cohortUntouched(filter, COHORT_SAMPLE)]);
    const group = (name: 'saved' | 'untouched', { members, sampled }: { members: CohortMember[]; sampled: boolean }) => ({
      group: name,
      customers: members.length,
      sampled,
      points: COHORT_DAYS.map((days) => {
        let atRisk = 0;
        let active = 0;
        for (const m of members) {
          const mark = Date.parse(m.contactAt) + days * DAY_MS;
          if (mark > now.getTime()) continue;
          atRisk++;
          if (m.lastActiveAt !== null && Date.parse(m.lastActiveAt) >= mark) active++;
        }
        return { days, atRisk, active, survival: atRisk > 0 ? active / atRisk : null, interval: atRisk > 0 ? wilsonInterval(active, atRisk) : null, tooSmall: atRisk < SMALL_SAMPLE_CALLS };
      }),
    });
    return { groups: [group('saved', saved), group('untouched', untouched)] };
  }

  /** The floor now: agents' states, the queue, service level and the high-value callers waiting too long. */
  async live(now = Date.now()): Promise<ReviewLive> {
    const { router, metrics } = this.routing;
    const agents = (await this.store.listAgents()).filter((a) => a.role === 'agent').map((agent) => {
      const live = router.presenceOf(agent.id);
      return { id: agent.id, name: agent.displayName, presence: live.presence, since: live.since };
    });
    const waiting = router.queue().filter((call) => call.state === 'queued');
    const waitOf = (createdAt: string): number => Math.max(0, (now - Date.parse(createdAt)) / 1000);
    const alerts = waiting.flatMap((call) => {
      const meta = router.meta(call.id);
      const wait = waitOf(call.createdAt);
      if (!meta || wait < this.alert.waitSeconds || meta.clv < this.alert.minClv || meta.churnRisk < this.alert.minChurnRisk) return [];
      return [{ callId: call.id, waitSeconds: Math.round(wait), clv: meta.clv, churnRisk: meta.churnRisk, language: call.language }];
    });
    const level = metrics.serviceLevelNow();
    return {
      at: new Date(now).toISOString(),
      agents,
      queueDepth: waiting.length,
      longestWaitSeconds: Math.round(waiting.reduce((longest, call) => Math.max(longest, waitOf(call.createdAt)), 0)),
      serviceLevel: level.ratio,
      serviceLevelSeconds: level.thresholdSeconds,
      alertAfterSeconds: this.alert.waitSeconds,
      alerts: alerts.sort((a, b) => b.waitSeconds - a.waitSeconds),
    };
  }

  private call(row: ReviewRow, offers: Map<string, string>): ReviewCall {
    const outcome = outcomeRecordSchema.parse(JSON.parse(row.data));
    const brief = JSON.parse(row.brief) as { churnProbability: number | null; reasons: string[]; clv: number | null };
    return {
      outcomeId: outcome.id, callId: outcome.callId, receivedAt: outcome.receivedAt, agentId: outcome.agentId, agentName: outcome.agentName,
      customerId: outcome.customerId, customerName: outcome.customerName,
      brief: { churnProbability: brief.churnProbability, reasons: brief.reasons, clv: brief.clv, valueTier: outcome.valueTier },
      notes: outcome.notes, summary: outcome.summary, disposition: outcome.disposition,
      offerId: outcome.offerId, offerName: outcome.offerId ? offers.get(outcome.offerId) ?? outcome.offerId : null, offerOutcome: outcome.offerOutcome,
      offerCost: row.offerCost,
      segment: { tier: row.tier, rfm: row.rfm, lifecycle: row.lifecycle },
      team: row.team, script: row.script, channel: row.channel, direction: row.direction, arm: row.arm,
      verified: row.verdict,
    };
  }

  private async offerNames(): Promise<Map<string, string>> {
    return new Map(((await this.store.playbook())?.offers ?? []).map((o) => [o.id, o.name]));
  }

  private async labeller(dimension: ReviewDimension): Promise<(key: string) => string> {
    if (dimension === reviewDimensionSchema.enum.agent) {
      const names = new Map((await this.store.listAgents()).map((a) => [a.id, a.displayName]));
      return (key) => names.get(key) ?? key;
    }
    if (dimension === reviewDimensionSchema.enum.offer) {
      const names = await this.offerNames();
      return (key) => names.get(key) ?? key;
    }
    return (key) => key;
  }
}
