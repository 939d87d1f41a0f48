import { afterEach, describe, expect, it, vi } from 'vitest';
import { SUPPORTED_LANGUAGES } from '@shared/domain/language';
import { generateSyntheticHistory, summarizeHistory } from '@shared/summary/index';
import { createRandom } from '@shared/util/random';

const TRENDS = ['improving', 'worsening', 'stable'] as const;
const histories = Array.from({ length: 9 }, (_, i) =>
  generateSyntheticHistory(`determinism-${i}`, { count: 200, trend: TRENDS[i % 3], openTickets: i % 4, complaints: 1 + (i % 3), offers: i % 3, promises: i % 2 }).interactions,
);

afterEach(() => {
  vi.useRealTimers();
});

describe('on-device summariser determinism', () => {
  it.each(SUPPORTED_LANGUAGES)('gives byte-identical output for the same 200-interaction history in %s', (language) => {
    for (const history of histories) {
      expect(history).toHaveLength(200);
      const first = JSON.stringify(summarizeHistory(history, language));
      // A deep copy (no shared objects), a reordered copy and another clock must not change a byte.
      const copy = JSON.stringify(summarizeHistory(structuredClone(history), language));
      const r = createRandom(`shuffle-${language}`);
      const shuffled = [...history];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = r.int(0, i);
        [shuffled[i], shuffled[j]] = [shuffled[j] as (typeof shuffled)[number], shuffled[i] as (typeof shuffled)[number]];
      }
      const reordered = JSON.stringify(summarizeHistory(shuffled, language));
      vi.useFakeTimers({ now: new Date('2031-07-04T23:59:59.000Z') });
      const later = JSON.stringify(summarizeHistory(history, language));
      vi.useRealTimers();
      expect(copy).toBe(first);
      expect(reordered).toBe(first);
      expect(later).toBe(first);
      expect((JSON.parse(first) as { language: string; bullets: unknown[] }).language).toBe(language);
    }
  });

  it('writes each language differently from the same facts (so the per-language check compares real output)', () => {
    const history = histories[0] ?? [];
    const outputs = new Set(SUPPORTED_LANGUAGES.map((language) => JSON.stringify(summarizeHistory(history, language).bullets)));
    expect(outputs.size).toBe(SUPPORTED_LANGUAGES.length);
  });
});
