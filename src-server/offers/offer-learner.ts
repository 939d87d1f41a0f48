import type { CustomerBundle } from '../store/roles/customer-store';
import type { DocumentStore } from '../store/roles/document-store';
import type { OfferDecisionStore } from '../store/roles/offer-decision-store';
import type { PlaybookStore } from '../store/roles/playbook-store';
import type { VerifiedOutcomes } from '../outcomes/verified-outcomes';
import type { OfferDecision } from '@shared/domain/offer-decision';
import type { ValueTier } from '@shared/domain/customer';
import type { RetentionOffer } from '@shared/domain/offer';
import { DEFAULT_HIERARCHY, NO_OFFER, offerEligibility, ThompsonOfferPolicy, type OfferArm, type OutcomeLabel } from '@shared/offers';
import { offerSegment, primaryDriver } from '@shared/playbook/select';

export interface OfferLearningConfig {
  /** Share of decisions made uniformly at random among the eligible arms, so no offer is starved. */
  exploration: number;
  /** Guardrail: an offer may cost at most this share of the customer's CLV. */
  maxCostShare: number;
  /** Guardrail: an offer the customer declined within this many days is not made again. */
  declineCooldownDays: number;
  /** Monte Carlo draws behind each logged propensity. */
  propensityDraws: number;
}

export const DEFAULT_OFFER_LEARNING: OfferLearningConfig = { exploration: 0.02, maxCostShare: 0.5, declineCooldownDays: 90, propensityDraws: 100 };

export type OfferStatus = 'active' | 'paused' | 'retired';
/** The server-private document of supervisors' offer controls. */
export const OFFER_CONTROLS_DOCUMENT = 'offer-controls';
interface OfferControls {
  offers: Record<string, { status: OfferStatus; by: string; at: string }>;
}

const TIER_RANK: Record<ValueTier, number> = { low: 0, mid: 1, high: 2 };
const DAY_MS = 86_400_000;

/** An offer's cost over its whole term. */
export const offerCost = (offer: RetentionOffer): number => offer.monthlyCost * offer.durationMonths;

export class OfferStatusError extends Error {}

/**
 * Offers that learn, on the server: at each inbound call with a scored
 * customer, the offer (or none) chosen by Thompson sampling over the
 * hierarchical stay model (shared/offers) to maximise expected retained value
 * (p(stay) × CLV) minus the offer's cost, among the offers the customer is
 * eligible for (tier, plan, cost within the CLV budget, not declined
 * recently, not paused or retired by a supervisor). Every decision is logged
 * with its propensity (offer_decisions) for off-policy evaluation.
 *
 * It learns from whether customers stayed: an outcome's verdict at the
 * learning horizon where there is one, else the wrap-up's claim discounted by
 * the measured verification rate of its segment (never from "accepted").
 * The model is rebuilt from the verified outcomes after they change.
 */
export class OfferLearner {
  private policy: ThompsonOfferPolicy | null = null;
  private builds = 0;

  constructor(
    private readonly store: PlaybookStore & DocumentStore & OfferDecisionStore,
    private readonly verified: VerifiedOutcomes,
    readonly config: OfferLearningConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Outcomes or verdicts changed: the next decision learns from them. */
  invalidate(): void {
    this.policy = null;
  }

  async statuses(): Promise<Record<string, OfferStatus>> {
    const controls = (await this.store.document(OFFER_CONTROLS_DOCUMENT)) as OfferControls | null;
    return Object.fromEntries(Object.entries(controls?.offers ?? {}).map(([id, c]) => [id, c.status]));
  }

  /** A supervisor pauses, retires or reactivates an offer. A retired offer stays retired. */
  async setStatus(offerId: string, status: OfferStatus, by: string): Promise<{ offerId: string; status: OfferStatus }> {
    const playbook = await this.store.playbook();
    if (!playbook?.offers.some((o) => o.id === offerId)) throw new OfferStatusError(`No offer ${offerId} in the playbook`);
    const controls = ((await this.store.document(OFFER_CONTROLS_DOCUMENT)) as OfferControls | null) ?? { offers: {} };
    if (controls.offers[offerId]?.status === 'retired' && status !== 'retired') throw new OfferStatusError(`Offer ${offerId} is retired; a retired offer is not made again`);
    controls.offers[offerId] = { status, by, at: new Date(this.now()).toISOString() };
    await this.store.putDocument(OFFER_CONTROLS_DOCUMENT, controls);
    return { offerId, status };
  }

  /** Chooses and logs the offer for a call; null when there is nothing to choose with (no playbook, no scores). */
  async decide(callId: string, bundle: CustomerBundle): Promise<OfferDecision | null> {
    const decision = await this.choose(callId, bundle);
    if (decision) await this.record(decision);
    return decision;
  }

  /** Logs a decision `choose` made (its propensity is what the offline evaluation weighs by). */
  async record(decision: OfferDecision): Promise<void> {
    await this.store.logOfferDecision(decision);
  }

  /**
   * Chooses the offer for a call without logging it yet; null when there is nothing to choose with. A caller
   * on the call's path (routing) logs it with `record` while the call is offered, not before.
   */
  async choose(callId: string, bundle: CustomerBundle): Promise<OfferDecision | null> {
    const scores = bundle.scores;
    if (!scores || bundle.customer.accountStatus?.state === 'left') return null;
    const [playbook, statuses] = await Promise.all([this.store.playbook(), this.statuses()]);
    if (!playbook) return null;
    const arms: OfferArm[] = playbook.offers.map((o) => ({
      id: o.id,
      cost: offerCost(o),
      tiers: (['low', 'mid', 'high'] as const).filter((t) => TIER_RANK[t] >= TIER_RANK[o.minTier]),
      ...(o.plans ? { plans: o.plans } : {}),
      status: statuses[o.id] ?? 'active',
    }));
    const now = this.now();
    const declined = bundle.interactions
      .filter((i) => i.offer?.result === 'declined')
      .map((i) => ({ offerId: (i.offer as { offerId: string }).offerId, daysAgo: Math.max(0, Math.floor((now - Date.parse(i.occurredAt)) / DAY_MS)) }));
    const { eligible } = offerEligibility(arms, { tier: scores.valueTier, plan: bundle.customer.plan.name, clv: scores.clv, declined },
      { maxCostShare: this.config.maxCostShare, declineCooldownDays: this.config.declineCooldownDays });
    const segment = offerSegment(scores.valueTier, primaryDriver(scores.reasons));
    const clv = Math.max(0, Number.isFinite(scores.clv) ? scores.clv : 0);
    const choice = this.currentPolicy().choose({ segment, clv }, eligible);
    const decision: OfferDecision = {
      callId, customerId: bundle.customer.id, segment, clv,
      arms: ThompsonOfferPolicy.candidates(eligible).map((a) => ({ id: a.id, cost: a.cost })),
      arm: choice.arm, propensity: choice.propensity, explored: choice.explored, decidedAt: new Date(now).toISOString(),
    };
    return decision;
  }

  private currentPolicy(): ThompsonOfferPolicy {
    if (this.policy) return this.policy;
    // A fresh stream per build: a rebuilt policy must not replay the draws of the last one.
    const policy = new ThompsonOfferPolicy(`offers-${this.now()}-${++this.builds}`, {
      minExploration: this.config.exploration, propensityDraws: this.config.propensityDraws, hierarchy: DEFAULT_HIERARCHY,
    });
    for (const v of this.verified.verified()) {
      const segment = v.outcome.offerSegment;
      if (segment === undefined) continue;
      const arm = v.outcome.offerId && v.outcome.offerOutcome !== 'no_offer' ? v.outcome.offerId : NO_OFFER;
      const label: OutcomeLabel = v.learnVerdict === 'too_early'
        ? { kind: 'claimed', stayed: v.claimedSaved, verifiedShare: this.verified.offerVerificationRate(segment) }
        : { kind: 'verified', stayed: v.learnVerdict === 'stayed' };
      policy.observe(arm, segment, label);
    }
    this.policy = policy;
    return policy;
  }
}
