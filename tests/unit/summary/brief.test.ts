import { describe, expect, it } from 'vitest';
import type { Interaction } from '@shared/domain/interaction';
import { SUPPORTED_LANGUAGES, type Language } from '@shared/domain/language';
import { formatDay } from '@shared/util/intl';
import { BRIEF_TEMPLATES, MAX_BULLETS, computeBriefFacts, generateSyntheticHistory, summarizeHistory } from '@shared/summary/index';


/** Hand-written words each language must use, so a template falling back to English is caught. */
const TREND_WORDS: Record<Language, Record<'improving' | 'worsening' | 'stable', string>> = {
  en: { improving: 'improving', worsening: 'worsening', stable: 'stable' },
  he: { improving: 'משתפר', worsening: 'מחמיר', stable: 'יציב' },
  ru: { improving: 'улучшается', worsening: 'ухудшается', stable: 'стабильно' },
  zh: { improving: '好转', worsening: '恶化', stable: '稳定' },
  es: { improving: 'mejorando', worsening: 'empeorando', stable: 'estable' },
  ar: { improving: 'يتحسن', worsening: 'يتراجع', stable: 'مستقر' },
};

describe('on-device brief on generated histories with known facts', () => {
  for (const language of SUPPORTED_LANGUAGES) {
    it(`states every planted fact in ${language}`, () => {
      const t = BRIEF_TEMPLATES[language];
      const day = (iso: string) => formatDay(language, iso);
      for (let seed = 1; seed <= 25; seed++) {
        const { interactions, planted } = generateSyntheticHistory(`${language}-${seed}`, { count: 200 });
        const brief = summarizeHistory(interactions, language);
        expect(brief.bullets.length).toBeLessThanOrEqual(MAX_BULLETS);
        const text = (kind: string) => brief.bullets.find((b) => b.kind === kind)?.text ?? '';

        const status = text('status');
        expect(status).toContain('200');
        if (planted.openTickets.length === 0) expect(status).toContain(t.noOpenTickets);
        for (const open of planted.openTickets) {
          expect(status).toContain(day(open.openedAt));
          expect(status).toContain(t.topic[open.topic]);
          expect(status).toContain(open.summary);
        }
        expect(brief.facts.openTickets.map((o) => o.id).sort()).toEqual(planted.openTickets.map((o) => o.id).sort());

        if (planted.latestComplaint) {
          expect(text('complaint')).toContain(planted.latestComplaint.summary);
          expect(text('complaint')).toContain(day(planted.latestComplaint.at));
        } else expect(text('complaint')).toBe('');

        if (planted.lastOffer) {
          expect(text('offer')).toContain(planted.lastOffer.offerId);
          expect(text('offer')).toContain(t.offerResult[planted.lastOffer.result]);
        } else expect(text('offer')).toBe('');

        expect(brief.facts.sentiment.trend).toBe(planted.trend);
        expect(text('sentiment')).toContain(TREND_WORDS[language][planted.trend]);
        const s = brief.facts.sentiment;
        expect(text('sentiment')).toContain(Math.abs(s.recentMean ?? 0).toFixed(2));
        expect(text('sentiment')).toContain(Math.abs(s.previousMean ?? 0).toFixed(2));

        if (planted.promise) expect(text('promise')).toContain(planted.promise.text);
        else expect(text('promise')).toBe('');
      }
    });
  }

  it('gives the same brief whatever order the history arrives in', () => {
    const { interactions } = generateSyntheticHistory('order', { count: 120 });
    const reversed = [...interactions].reverse();
    expect(summarizeHistory(reversed, 'ru')).toEqual(summarizeHistory(interactions, 'ru'));
  });

  it('writes each language with its own templates', () => {
    const { interactions } = generateSyntheticHistory('languages', { count: 50, offers: 1, complaints: 1, promises: 1, trend: 'worsening' });
    const en = summarizeHistory(interactions, 'en').bullets.map((b) => b.text).join(' ');
    expect(summarizeHistory(interactions, 'he').bullets[0]?.text).toMatch(/פניות/);
    expect(summarizeHistory(interactions, 'ru').bullets[0]?.text).toMatch(/50 обращений/);
    expect(summarizeHistory(interactions, 'zh').bullets[0]?.text).toMatch(/次联系/);
    expect(en).toMatch(/contacts since/);
  });

  it('handles an empty history and a single contact', () => {
    expect(summarizeHistory([], 'en').bullets).toEqual([]);
    const { interactions } = generateSyntheticHistory('one', { count: 1, offers: 0, complaints: 0, promises: 0, openTickets: 0 });
    const brief = summarizeHistory(interactions, 'en');
    expect(brief.facts.sentiment.trend).toBe('unknown');
    expect(brief.bullets.map((b) => b.kind)).toEqual(['status', 'sentiment']);
  });

  it('computes the trend from the last five contacts against up to twenty before', () => {
    const base = generateSyntheticHistory('trend', { count: 30, trend: 'stable' }).interactions;
    const sorted = [...base].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    const shaped: Interaction[] = sorted.map((i, k) => ({ ...i, sentiment: k >= 25 ? -0.5 : 0.3 }));
    const facts = computeBriefFacts(shaped);
    expect(facts.sentiment).toMatchObject({ trend: 'worsening', recentMean: -0.5, previousMean: 0.3, recentCount: 5, previousCount: 20, delta: -0.8 });
  });

  it('lists at most three open tickets and counts the rest', () => {
    const { interactions } = generateSyntheticHistory('many-open', { count: 40, openTickets: 5 });
    const status = summarizeHistory(interactions, 'en').bullets[0]?.text ?? '';
    expect(status).toContain('Open tickets (5)');
    expect(status).toContain('2 more');
  });
});
