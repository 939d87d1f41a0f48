import type { ChurnDriver, Reason, ValueTier } from '../domain/customer';
import type { RetentionOffer } from '../domain/offer';
import type { OfferStat, Playbook } from './playbook';

const TIER_RANK: Record<ValueTier, number> = { low: 0, mid: 1, high: 2 };

/** Offers are learnt per segment: the value tier and the main churn driver. */
export function offerSegment(tier: ValueTier, driver: ChurnDriver): string {
  return `${tier}:${driver}`;
}

export function primaryDriver(reasons: readonly Reason[]): ChurnDriver {
  return reasons[0]?.driver ?? 'other';
}

export interface RankedOffer {
  offer: RetentionOffer;
  /** Posterior mean chance of acceptance in this segment. */
  expectedAcceptance: number;
  made: number;
  accepted: number;
}

/**
 * Beta-Binomial posterior mean per offer and segment. The prior is worth
 * PRIOR_WEIGHT calls at PRIOR_RATE (higher for offers aimed at this driver), so
 * an offer that failed a few times gives way, and one that works keeps coming back.
 */
const PRIOR_WEIGHT = 4;
const PRIOR_RATE_MATCHED = 0.35;
const PRIOR_RATE_GENERAL = 0.2;

export function rankOffers(
  playbook: Playbook,
  tier: ValueTier,
  driver: ChurnDriver,
  stats: readonly OfferStat[],
): RankedOffer[] {
  const segment = offerSegment(tier, driver);
  const bySegment = new Map(stats.filter((s) => s.segment === segment).map((s) => [s.offerId, s]));
  return playbook.offers
    .filter((offer) => TIER_RANK[tier] >= TIER_RANK[offer.minTier])
    .map((offer) => {
      const stat = bySegment.get(offer.id);
      const made = stat?.made ?? 0;
      const accepted = stat?.accepted ?? 0;
      const priorRate = offer.drivers.includes(driver) ? PRIOR_RATE_MATCHED : PRIOR_RATE_GENERAL;
      const expectedAcceptance = (accepted + PRIOR_WEIGHT * priorRate) / (made + PRIOR_WEIGHT);
      return { offer, expectedAcceptance, made, accepted };
    })
    .sort((a, b) => b.expectedAcceptance - a.expectedAcceptance || a.offer.monthlyCost - b.offer.monthlyCost);
}
