import { describe, expect, it } from 'vitest';
import type { Interaction } from '@shared/domain/interaction';
import { summarizeHistory } from '@shared/summary/index';
import { countOf, formatDay } from '@shared/util/intl';

/** A history of `n` plain calls, the last on 2026-11-03, so the status bullet's count and dates are known. */
function calls(n: number): Interaction[] {
  return Array.from({ length: n }, (_, k): Interaction => ({
    id: `I-${k}`, customerId: 'C-1', channel: 'call', topic: 'billing', direction: 'inbound',
    occurredAt: new Date(Date.UTC(2026, 10, 3 - (n - 1 - k), 9)).toISOString(),
    summary: 'Asked about the bill', sentiment: 0.2, ticketStatus: null, agentId: null, offer: null, promise: null,
  }));
}

const status = (n: number, language: 'en' | 'he' | 'ru' | 'zh'): string => summarizeHistory(calls(n), language).bullets[0]?.text ?? '';

describe('the on-device brief words counts and dates through Intl', () => {
  it('English: one contact, two contacts, dates written out', () => {
    expect(status(1, 'en')).toMatch(/^1 contact since Nov 3, 2026/);
    expect(status(1, 'en')).not.toContain('1 contacts');
    expect(status(2, 'en')).toMatch(/^2 contacts since Nov 2, 2026 .*last on Nov 3, 2026/);
    expect(status(2, 'en')).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(summarizeHistory(calls(1), 'en').bullets.find((b) => b.kind === 'sentiment')?.text).toContain('over 1 contact;');
    // Two contacts: a trend of one against one, said in words, not "the last 1 contact".
    const trend = summarizeHistory(calls(2), 'en').bullets.find((b) => b.kind === 'sentiment')?.text ?? '';
    expect(trend).toMatch(/over the last contact vs .* over the one before$/);
    expect(summarizeHistory(calls(12), 'en').bullets.find((b) => b.kind === 'sentiment')?.text).toMatch(/over the last 5 contacts vs .* over the 7 before$/);
  });

  it('names the last offer as the playbook words it in the language, not by its id', () => {
    const history = calls(3).map((i, k) => (k === 2 ? { ...i, offer: { offerId: 'loyalty-discount-15', result: 'declined' as const } } : i));
    const names: Record<string, string> = { 'loyalty-discount-15': 'הנחת נאמנות 15%' };
    const offer = summarizeHistory(history, 'he', (id) => names[id] ?? id).bullets.find((b) => b.kind === 'offer')?.text ?? '';
    expect(offer).toContain('הנחת נאמנות 15%');
    expect(offer).not.toContain('loyalty-discount-15');
    expect(offer).toContain('נדחתה');
    // Without names (a brief built where no playbook is known) the id is all there is.
    expect(summarizeHistory(history, 'en').bullets.find((b) => b.kind === 'offer')?.text).toContain('loyalty-discount-15');
  });

  it('Russian: one, few and many forms', () => {
    expect(status(1, 'ru')).toMatch(/^1 обращение с /);
    expect(status(3, 'ru')).toMatch(/^3 обращения с /);
    expect(status(5, 'ru')).toMatch(/^5 обращений с /);
    expect(status(21, 'ru')).toMatch(/^21 обращение с /);
    expect(status(3, 'ru')).toContain(formatDay('ru', '2026-11-03'));
    expect(status(3, 'ru')).toMatch(/нояб/);
    expect(summarizeHistory(calls(2), 'ru').bullets.find((b) => b.kind === 'sentiment')?.text).toMatch(/за последнее обращение против .* за предыдущее$/);
  });

  it('Hebrew: one contact in words, more with the number; Hebrew month names', () => {
    expect(status(1, 'he')).toMatch(/^פנייה אחת מאז/);
    expect(status(2, 'he')).toMatch(/^2 פניות מאז/);
    expect(status(2, 'he')).toContain(formatDay('he', '2026-11-03'));
    expect(status(2, 'he')).toMatch(/בנוב/);
    expect(status(2, 'he')).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('Chinese: no plural forms, dates in Chinese order', () => {
    expect(status(1, 'zh')).toContain('共1次联系');
    expect(status(7, 'zh')).toContain('共7次联系');
    expect(status(7, 'zh')).toContain('2026年11月3日');
  });

  it('groups large counts as the language does', () => {
    expect(countOf('en', 1200, { one: '{n} contact', other: '{n} contacts' })).toBe('1,200 contacts');
    expect(countOf('ru', 1200, { one: '{n} обращение', few: '{n} обращения', many: '{n} обращений', other: '{n} обращения' })).toBe('1\u00a0200 обращений');
  });

  it('writes the same day wherever the machine is', () => {
    expect(formatDay('en', '2026-11-03T23:30:00.000Z')).toBe('Nov 3, 2026');
    expect(formatDay('en', 'not a date')).toBe('not a date');
  });
});
