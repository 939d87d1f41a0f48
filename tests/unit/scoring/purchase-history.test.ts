import { describe, expect, it } from 'vitest';
import type { Transaction } from '@shared/domain/interaction';
import { dayNumber, purchaseHistory, REPEAT_PURCHASE_KINDS } from '../../../src-server/scoring/purchase-history';

const t = (id: string, occurredAt: string, amount: number, kind: Transaction['kind']): Transaction => ({ id, customerId: 'C1', occurredAt, amount, kind });
const AS_OF = dayNumber('2025-06-30T00:00:00Z');

describe('purchaseHistory', () => {
  it('counts payments and one-off purchases as purchases, not invoices or failed payments', () => {
    expect([...REPEAT_PURCHASE_KINDS].sort()).toEqual(['payment', 'purchase']);
    const history = purchaseHistory([
      t('i1', '2025-01-01T12:00:00Z', 50, 'invoice'),
      t('p1', '2025-01-01T12:00:00Z', 50, 'payment'),
      t('i2', '2025-02-01T12:00:00Z', 50, 'invoice'),
      t('f2', '2025-02-01T12:00:00Z', 50, 'payment_failed'),
      t('x3', '2025-02-15T09:00:00Z', 120, 'purchase'),
      t('p4', '2025-03-01T12:00:00Z', 50, 'payment'),
    ], AS_OF);
    expect(history).not.toBeNull();
    expect(history?.purchaseDays).toBe(3);
    expect(history?.x).toBe(2);
    // First purchase 1 Jan, last 1 Mar (59 days), as of 30 Jun (180 days).
    expect(history?.tx).toBeCloseTo(59 / 7, 10);
    expect(history?.T).toBeCloseTo(180 / 7, 10);
    expect(history?.meanRepeatValue).toBeCloseTo((120 + 50) / 2, 10);
    expect(history?.meanValue).toBeCloseTo((50 + 120 + 50) / 3, 10);
    expect(history?.daysSinceLastPurchase).toBe(121);
  });

  it('merges a payment and a purchase on one day into one purchase day', () => {
    const history = purchaseHistory([
      t('p1', '2025-01-01T08:00:00Z', 40, 'payment'),
      t('p2', '2025-02-01T08:00:00Z', 40, 'payment'),
      t('x2', '2025-02-01T17:30:00Z', 25, 'purchase'),
    ], AS_OF);
    expect(history?.x).toBe(1);
    expect(history?.meanRepeatValue).toBe(65);
  });

  it('ignores refunds, zero amounts, unreadable dates and anything after the as-of day', () => {
    const history = purchaseHistory([
      t('p1', '2025-01-01T08:00:00Z', 40, 'payment'),
      t('r', '2025-02-01T08:00:00Z', -40, 'payment'),
      t('z', '2025-03-01T08:00:00Z', 0, 'purchase'),
      t('bad', 'not a date', 40, 'payment'),
      t('late', '2025-07-02T08:00:00Z', 40, 'payment'),
    ], AS_OF);
    expect(history?.x).toBe(0);
    expect(history?.tx).toBe(0);
    expect(history?.meanRepeatValue).toBeNull();
  });

  it('is null for a customer who never paid', () => {
    expect(purchaseHistory([], AS_OF)).toBeNull();
    expect(purchaseHistory([t('i', '2025-01-01T00:00:00Z', 10, 'invoice'), t('f', '2025-01-02T00:00:00Z', 10, 'payment_failed')], AS_OF)).toBeNull();
  });

  it('sees a falling purchase rate as a negative trend', () => {
    const monthly = Array.from({ length: 18 }, (_, m) => t(`p${m}`, new Date(Date.UTC(2024, m, 1, 12)).toISOString(), 30, 'payment'));
    const steady = purchaseHistory(monthly, AS_OF)!;
    const stopped = purchaseHistory(monthly.filter((_, m) => m < 14), AS_OF)!;
    expect(stopped.trend!).toBeLessThan(steady.trend!);
    expect(stopped.trend!).toBeLessThan(-0.3);
  });
});
