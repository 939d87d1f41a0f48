import type { AccountEvent } from '../domain/account-event';
import { accountStatusOf } from './account-status';

/**
 * Verified outcomes: whether a customer a call claimed to save (or lose) was
 * still a customer some days later, from the account events billing sends.
 *
 * At a horizon of h days after the claim, the customer is 'left' when the
 * events after the claim leave them cancelled at min(claim + h, now) — known
 * as soon as it happens, so a leaver is not held back until the horizon —
 * 'stayed' once claim + h has passed with them not cancelled, and
 * 'too_early' before that. Events before the claim do not count: the call
 * was made to a customer who was leaving.
 */
export type VerifiedStatus = 'stayed' | 'left' | 'too_early';

export interface HorizonVerdict {
  days: number;
  status: VerifiedStatus;
}

export const DEFAULT_HORIZONS_DAYS: readonly number[] = [30, 60, 90];

const DAY_MS = 86_400_000;

export function verifyClaim(
  claimAt: string,
  events: readonly Pick<AccountEvent, 'id' | 'kind' | 'occurredAt'>[],
  horizonsDays: readonly number[],
  now: string,
): HorizonVerdict[] {
  const claimMs = Date.parse(claimAt);
  const nowMs = Date.parse(now);
  const after = events.filter((e) => Date.parse(e.occurredAt) > claimMs);
  return horizonsDays.map((days) => {
    const endMs = claimMs + days * DAY_MS;
    const until = new Date(Math.min(endMs, nowMs)).toISOString();
    if (accountStatusOf(after, until)?.state === 'left') return { days, status: 'left' };
    return { days, status: nowMs >= endMs ? 'stayed' : 'too_early' };
  });
}

/** A claim and its verdict at the learning horizon, in a segment. */
export interface VerifiedClaim {
  segment: string;
  /** The wrap-up said the customer was kept. */
  claimedSaved: boolean;
  verdict: VerifiedStatus;
}

/** How many claimed saves past the horizon were verified, per segment and overall. */
export interface ClaimTally {
  resolved: number;
  verified: number;
}

/**
 * The measured rate at which claimed saves are verified, per segment, shrunk
 * toward the rate over all segments (a segment with few resolved claims sits
 * near the overall rate; `strength` is how many claims the overall rate is
 * worth). The overall rate starts from claims taken at their word (a prior
 * worth two verified claims), so a site with no billing events yet learns
 * exactly as it did from the wrap-up alone.
 */
export class ClaimVerificationRates {
  private readonly bySegment = new Map<string, ClaimTally>();
  private readonly overall: ClaimTally = { resolved: 0, verified: 0 };

  constructor(private readonly strength = 10) {}

  add(claim: VerifiedClaim): void {
    if (!claim.claimedSaved || claim.verdict === 'too_early') return;
    const tally = this.bySegment.get(claim.segment) ?? { resolved: 0, verified: 0 };
    const stayed = claim.verdict === 'stayed' ? 1 : 0;
    tally.resolved++;
    tally.verified += stayed;
    this.bySegment.set(claim.segment, tally);
    this.overall.resolved++;
    this.overall.verified += stayed;
  }

  overallRate(): number {
    return (this.overall.verified + 2) / (this.overall.resolved + 2);
  }

  rate(segment: string): number {
    const tally = this.bySegment.get(segment) ?? { resolved: 0, verified: 0 };
    return (tally.verified + this.strength * this.overallRate()) / (tally.resolved + this.strength);
  }

  tally(segment?: string): ClaimTally {
    const t = segment === undefined ? this.overall : this.bySegment.get(segment);
    return { resolved: t?.resolved ?? 0, verified: t?.verified ?? 0 };
  }
}

/**
 * What a learner counts as a save for one outcome: 1 or 0 once verified;
 * before that the claim, a claimed save discounted by the segment's measured
 * verification rate (a claimed loss counts as a loss).
 */
export function saveWeight(claim: VerifiedClaim, rates: ClaimVerificationRates): number {
  if (claim.verdict === 'stayed') return 1;
  if (claim.verdict === 'left') return 0;
  return claim.claimedSaved ? rates.rate(claim.segment) : 0;
}

/** Claimed and verified saves at each horizon, for the figures supervisors see. */
export interface SaveFigures {
  /** Retention calls with a wrap-up (kept or lost). */
  attempts: number;
  /** What the wrap-ups claimed. */
  claimedSaves: number;
  horizons: Array<{ days: number; stayed: number; left: number; tooEarly: number }>;
}

/** Counts claimed saves and, at each horizon, how many of them stayed, left or are too early to tell. */
export function saveFigures(claims: readonly { claimedSaved: boolean; verdicts: readonly HorizonVerdict[] }[], horizonsDays: readonly number[]): SaveFigures {
  const horizons = horizonsDays.map((days) => ({ days, stayed: 0, left: 0, tooEarly: 0 }));
  let claimedSaves = 0;
  for (const claim of claims) {
    if (!claim.claimedSaved) continue;
    claimedSaves++;
    claim.verdicts.forEach((verdict, i) => {
      const h = horizons[i];
      if (!h) return;
      if (verdict.status === 'stayed') h.stayed++;
      else if (verdict.status === 'left') h.left++;
      else h.tooEarly++;
    });
  }
  return { attempts: claims.length, claimedSaves, horizons };
}
