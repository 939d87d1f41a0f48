import type { OutcomeRecord } from '@shared/domain/wrap-up';
import { ClaimVerificationRates, saveFigures, saveWeight, verifyClaim, type HorizonVerdict, type SaveFigures, type VerifiedStatus } from '@shared/outcomes';
import type { StoredVerdict } from '@shared/contract/review';
import type { AccountEventStore } from '../store/roles/account-event-store';
import type { DocumentStore } from '../store/roles/document-store';
import type { ReviewStore } from '../store/roles/review-store';

export interface OutcomeVerificationConfig {
  /** Days after a claimed save at which it is verified (stayed / left / too early). */
  horizonsDays: number[];
  /** The horizon learners use (one of horizonsDays). */
  learnHorizonDays: number;
  /** How far back claims are verified and counted. */
  windowDays: number;
}

export const DEFAULT_VERIFICATION: OutcomeVerificationConfig = { horizonsDays: [30, 60, 90], learnHorizonDays: 30, windowDays: 365 };

/** One retention outcome with its verdict at each horizon. */
export interface VerifiedOutcome {
  outcome: OutcomeRecord;
  claimedSaved: boolean;
  verdicts: HorizonVerdict[];
  /** The verdict at the learning horizon. */
  learnVerdict: VerifiedStatus;
}

export interface VerifiedFigures {
  learnHorizonDays: number;
  overall: SaveFigures;
  byAgent: Record<string, SaveFigures>;
  /** Claimed saves verified (stayed) at the learning horizon, over those resolved there. */
  verificationRate: { resolved: number; verified: number };
}

/** What learners are told when a verdict moves an outcome they counted before. */
export interface VerifiedLearner {
  /** Moves the saves routing counted for this agent and segment by `delta`. */
  revise(agentId: string, segment: string, delta: number): void;
}

const DAY_MS = 86_400_000;
/** Verdicts sent to the review per store call: bounds one transaction however large the window. */
const VERDICT_BATCH = 5_000;
/** The server-private document holding the save share routing counts for each outcome now, where it differs from the first. */
export const VERIFIED_LEARNING_DOCUMENT = 'verified-learning';

/**
 * Verified outcomes on the server: reads the retention outcomes of the
 * window and the account events of their customers, verifies every claim at
 * each horizon, measures the claim-verification rate per segment (routing's
 * and offers'), keeps the claimed-versus-verified figures supervisors see,
 * and moves routing's agent-by-segment counts from the claim to the verdict
 * as verdicts arrive (a revision of each outcome's save share, remembered in
 * a document so that a restart does not apply it twice).
 */
export class VerifiedOutcomes {
  private routingRates = new ClaimVerificationRates();
  private offerRates = new ClaimVerificationRates();
  private outcomes: VerifiedOutcome[] = [];
  private applied = new Map<string, number>();
  private loaded = false;
  private figuresCache: VerifiedFigures | null = null;
  private running: Promise<void> = Promise.resolve();
  /** The verdict the review holds for each outcome, as last recorded by this process (empty after a start: all are sent once). */
  private recorded = new Map<string, StoredVerdict>();

  constructor(
    private readonly store: AccountEventStore & DocumentStore & Pick<ReviewStore, 'recordVerdicts'>,
    readonly config: OutcomeVerificationConfig,
    private readonly learner: VerifiedLearner,
    private readonly now: () => number = Date.now,
  ) {
    if (!config.horizonsDays.includes(config.learnHorizonDays)) throw new Error(`The learning horizon (${config.learnHorizonDays} days) must be one of the horizons (${config.horizonsDays.join(', ')})`);
  }

  /** The share of a save a new outcome counts for routing now: 1 or 0 by the claim, a claimed save discounted by its segment's rate. */
  claimWeight(routingSegment: string, claimedSaved: boolean): number {
    return claimedSaved ? this.routingRates.rate(routingSegment) : 0;
  }

  /** The measured rate at which claimed saves are verified in an offer segment (value tier:driver). */
  offerVerificationRate(offerSegment: string): number {
    return this.offerRates.rate(offerSegment);
  }

  /** Verifies the window again; one run at a time, runs asked for meanwhile fold into the next. */
  refresh(): Promise<void> {
    this.running = this.running.then(() => this.run());
    return this.running;
  }

  verified(): readonly VerifiedOutcome[] {
    return this.outcomes;
  }

  figures(): VerifiedFigures {
    if (this.figuresCache) return this.figuresCache;
    const horizons = this.config.horizonsDays;
    const byAgentClaims = new Map<string, VerifiedOutcome[]>();
    for (const v of this.outcomes) {
      const list = byAgentClaims.get(v.outcome.agentId) ?? [];
      list.push(v);
      byAgentClaims.set(v.outcome.agentId, list);
    }
    const byAgent: Record<string, SaveFigures> = {};
    for (const [agentId, list] of byAgentClaims) byAgent[agentId] = saveFigures(list, horizons);
    this.figuresCache = {
      learnHorizonDays: this.config.learnHorizonDays,
      overall: saveFigures(this.outcomes, horizons),
      byAgent,
      verificationRate: this.routingRates.tally(),
    };
    return this.figuresCache;
  }

  private async run(): Promise<void> {
    if (!this.loaded) {
      const doc = (await this.store.document(VERIFIED_LEARNING_DOCUMENT)) as { applied?: Record<string, number> } | null;
      this.applied = new Map(Object.entries(doc?.applied ?? {}).filter(([, w]) => typeof w === 'number'));
      this.loaded = true;
    }
    const now = this.now();
    const nowIso = new Date(now).toISOString();
    const outcomes = await this.store.retentionOutcomesSince(new Date(now - this.config.windowDays * DAY_MS).toISOString());
    const events = await this.store.accountEventsFor(outcomes.map((o) => o.customerId));
    const eventsOf = new Map<string, typeof events>();
    for (const e of events) eventsOf.set(e.customerId, [...(eventsOf.get(e.customerId) ?? []), e]);
    const learnIndex = this.config.horizonsDays.indexOf(this.config.learnHorizonDays);
    const verified = outcomes.map((outcome): VerifiedOutcome => {
      const verdicts = verifyClaim(outcome.createdAt, eventsOf.get(outcome.customerId) ?? [], this.config.horizonsDays, nowIso);
      return { outcome, claimedSaved: outcome.disposition === 'retained', verdicts, learnVerdict: verdicts[learnIndex]?.status ?? 'too_early' };
    });
    const routingRates = new ClaimVerificationRates();
    const offerRates = new ClaimVerificationRates();
    for (const v of verified) {
      routingRates.add({ segment: v.outcome.routingSegment ?? '', claimedSaved: v.claimedSaved, verdict: v.learnVerdict });
      offerRates.add({ segment: v.outcome.offerSegment ?? '', claimedSaved: v.claimedSaved, verdict: v.learnVerdict });
    }
    this.routingRates = routingRates;
    this.offerRates = offerRates;
    this.outcomes = verified;
    this.figuresCache = null;

    let changed = false;
    const keep = new Set<string>();
    for (const v of verified) {
      const { outcome } = v;
      if (outcome.routingSegment === undefined || outcome.learntSave === undefined) continue;
      keep.add(outcome.id);
      const target = saveWeight({ segment: outcome.routingSegment, claimedSaved: v.claimedSaved, verdict: v.learnVerdict }, routingRates);
      const counted = this.applied.get(outcome.id) ?? outcome.learntSave;
      if (Math.abs(target - counted) < 1e-6) continue;
      this.learner.revise(outcome.agentId, outcome.routingSegment, target - counted);
      this.applied.set(outcome.id, target);
      changed = true;
    }
    // Outcomes gone out of the window keep their last count; their entries are not needed any more.
    for (const id of this.applied.keys()) {
      if (!keep.has(id)) {
        this.applied.delete(id);
        changed = true;
      }
    }
    if (changed) await this.store.putDocument(VERIFIED_LEARNING_DOCUMENT, { applied: Object.fromEntries(this.applied) });
    await this.recordVerdicts(verified);
  }

  /** Tells the review the verdicts that moved since this process last told it. */
  private async recordVerdicts(verified: readonly VerifiedOutcome[]): Promise<void> {
    const moved = verified.flatMap(({ outcome, learnVerdict }) => {
      const verdict: StoredVerdict = learnVerdict === 'too_early' ? 'pending' : learnVerdict;
      return this.recorded.get(outcome.id) === verdict ? [] : [{ outcomeId: outcome.id, verdict }];
    });
    for (let start = 0; start < moved.length; start += VERDICT_BATCH) {
      const batch = moved.slice(start, start + VERDICT_BATCH);
      await this.store.recordVerdicts(batch);
      for (const { outcomeId, verdict } of batch) this.recorded.set(outcomeId, verdict);
    }
    // Outcomes gone out of the window keep their last verdict in the review.
    if (this.recorded.size > verified.length) {
      const inWindow = new Set(verified.map((v) => v.outcome.id));
      for (const id of this.recorded.keys()) if (!inWindow.has(id)) this.recorded.delete(id);
    }
  }
}
