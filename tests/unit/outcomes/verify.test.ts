import { describe, expect, it } from 'vitest';
import { accountStatusOf, ClaimVerificationRates, saveFigures, saveWeight, verifyClaim } from '@shared/outcomes';

const day = (d: number): string => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString();
const ev = (id: string, kind: 'cancelled' | 'resumed' | 'renewed' | 'downgraded' | 'payment_failed', d: number) => ({ id, kind, occurredAt: day(d) });

describe('accountStatusOf', () => {
  it('is left after a cancellation and active again after a resumption, in time order whatever the arrival order', () => {
    expect(accountStatusOf([])).toBeNull();
    expect(accountStatusOf([ev('a', 'payment_failed', 1), ev('b', 'downgraded', 2)])).toBeNull();
    expect(accountStatusOf([ev('b', 'cancelled', 5)])).toEqual({ state: 'left', since: day(5), eventId: 'b' });
    expect(accountStatusOf([ev('c', 'resumed', 9), ev('b', 'cancelled', 5)])?.state).toBe('active');
    expect(accountStatusOf([ev('c', 'resumed', 9), ev('b', 'cancelled', 5)], day(6))?.state).toBe('left');
  });
});

describe('verifyClaim', () => {
  const horizons = [30, 60, 90];
  it('is too early before each horizon passes and stayed after it, with no cancellation', () => {
    expect(verifyClaim(day(0), [], horizons, day(45)).map((v) => v.status)).toEqual(['stayed', 'too_early', 'too_early']);
    expect(verifyClaim(day(0), [ev('x', 'downgraded', 10)], horizons, day(100)).map((v) => v.status)).toEqual(['stayed', 'stayed', 'stayed']);
  });

  it('is left from the day a cancellation lands inside the horizon, and stays so unless they came back within it', () => {
    expect(verifyClaim(day(0), [ev('x', 'cancelled', 40)], horizons, day(41)).map((v) => v.status)).toEqual(['stayed', 'left', 'left']);
    expect(verifyClaim(day(0), [ev('x', 'cancelled', 20), ev('y', 'resumed', 70)], horizons, day(100)).map((v) => v.status)).toEqual(['left', 'left', 'stayed']);
  });

  it('ignores a cancellation from before the call (the reason for the call)', () => {
    expect(verifyClaim(day(10), [ev('x', 'cancelled', 5)], horizons, day(200)).map((v) => v.status)).toEqual(['stayed', 'stayed', 'stayed']);
  });
});

describe('claim verification rates', () => {
  it('measure verified claimed saves per segment, shrunk toward the overall rate', () => {
    const rates = new ClaimVerificationRates(10);
    expect(rates.rate('a')).toBe(1);
    for (let i = 0; i < 40; i++) rates.add({ segment: 'a', claimedSaved: true, verdict: i < 10 ? 'stayed' : 'left' });
    for (let i = 0; i < 40; i++) rates.add({ segment: 'b', claimedSaved: true, verdict: i < 36 ? 'stayed' : 'left' });
    rates.add({ segment: 'b', claimedSaved: true, verdict: 'too_early' });
    rates.add({ segment: 'b', claimedSaved: false, verdict: 'left' });
    expect(rates.tally('b')).toEqual({ resolved: 40, verified: 36 });
    expect(rates.rate('a')).toBeLessThan(0.35);
    expect(rates.rate('b')).toBeGreaterThan(0.8);
    expect(rates.rate('unseen')).toBeCloseTo(rates.overallRate());
    expect(saveWeight({ segment: 'a', claimedSaved: true, verdict: 'too_early' }, rates)).toBeCloseTo(rates.rate('a'));
    expect(saveWeight({ segment: 'a', claimedSaved: true, verdict: 'left' }, rates)).toBe(0);
    expect(saveWeight({ segment: 'a', claimedSaved: false, verdict: 'stayed' }, rates)).toBe(1);
    expect(saveWeight({ segment: 'a', claimedSaved: false, verdict: 'too_early' }, rates)).toBe(0);
  });

  it('count claimed and verified saves per horizon', () => {
    const figures = saveFigures([
      { claimedSaved: true, verdicts: [{ days: 30, status: 'stayed' }, { days: 60, status: 'left' }] },
      { claimedSaved: true, verdicts: [{ days: 30, status: 'too_early' }, { days: 60, status: 'too_early' }] },
      { claimedSaved: false, verdicts: [{ days: 30, status: 'left' }, { days: 60, status: 'left' }] },
    ], [30, 60]);
    expect(figures).toEqual({ attempts: 3, claimedSaves: 2, horizons: [{ days: 30, stayed: 1, left: 0, tooEarly: 1 }, { days: 60, stayed: 0, left: 1, tooEarly: 1 }] });
  });
});
