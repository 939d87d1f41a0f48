import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type PiiCategory, createRedactor, findNearMisses, labelCoverage, parseProfileInput, shapeOf } from '@shared/redaction/index';

interface CorpusItem {
  id: string;
  region: string;
  text: string;
  labels: { category: PiiCategory; value: string; format: string }[];
  profile?: string;
}
const corpus = JSON.parse(readFileSync(new URL('../../fixtures/pii/corpus.json', import.meta.url), 'utf8')) as {
  profiles: Record<string, unknown>;
  items: CorpusItem[];
  clean: CorpusItem[];
};

const redactors = new Map<string, ReturnType<typeof createRedactor>>();
function run(item: CorpusItem, region?: string) {
  const profile = item.profile ? parseProfileInput(corpus.profiles[item.profile]) : undefined;
  const key = region ?? item.region;
  if (!redactors.has(key)) redactors.set(key, createRedactor({ defaultRegion: key }));
  return (redactors.get(key) as ReturnType<typeof createRedactor>).redact(item.text, profile);
}

describe('labelled PII corpus (synthetic, 8 countries)', () => {
  it('redacts every labelled value in every category', () => {
    const misses: string[] = [];
    const perCategory = new Map<PiiCategory, number>();
    for (const item of corpus.items) {
      const result = run(item);
      for (const label of item.labels) {
        perCategory.set(label.category, (perCategory.get(label.category) ?? 0) + 1);
        const start = item.text.indexOf(label.value);
        expect(start, item.id).toBeGreaterThanOrEqual(0);
        if (!labelCoverage(item.text, start, start + label.value.length, label.category, result.spans).redacted) misses.push(`${item.id} ${label.format}`);
      }
    }
    expect(misses).toEqual([]);
    expect([...perCategory.keys()].sort()).toEqual(['ACCOUNT', 'ADDRESS', 'CARD', 'EMAIL', 'HANDLE', 'IBAN', 'NAME', 'NATIONAL_ID', 'PHONE']);
  });

  it('labels nearly every value with its own category', () => {
    let right = 0;
    let total = 0;
    for (const item of corpus.items) {
      const result = run(item);
      for (const label of item.labels) {
        const start = item.text.indexOf(label.value);
        total++;
        if (labelCoverage(item.text, start, start + label.value.length, label.category, result.spans).correctCategory) right++;
      }
    }
    expect(right / total).toBeGreaterThan(0.95);
  });

  it('changes nothing in clean messages full of harmless numbers', () => {
    const falsePositives = corpus.clean.flatMap((item) => run(item).spans.map((s) => `${item.id}: ${s.category} ${item.text.slice(s.start, s.end)}`));
    expect(falsePositives).toEqual([]);
  });

  it('still redacts foreign local phone formats when the region is US (fallbacks)', () => {
    const misses = corpus.items
      .filter((i) => i.labels.some((l) => l.category === 'PHONE'))
      .filter((item) => {
        const result = run(item, 'US');
        return item.labels.some((l) => {
          const start = item.text.indexOf(l.value);
          return l.category === 'PHONE' && !labelCoverage(item.text, start, start + l.value.length, 'PHONE', result.spans).redacted;
        });
      });
    expect(misses.length).toBeLessThanOrEqual(2);
  });
});

describe('evaluation helpers', () => {
  it('a label is covered only when all its letters and digits are inside spans', () => {
    const text = 'call 050-123-4567 now';
    const span = { start: 5, end: 12, category: 'PHONE' as const, placeholder: '[PHONE_1]', detector: 't' };
    expect(labelCoverage(text, 5, 17, 'PHONE', [span]).redacted).toBe(false);
    expect(labelCoverage(text, 5, 17, 'PHONE', [span, { ...span, start: 12, end: 17, category: 'NATIONAL_ID' }])).toMatchObject({ redacted: true, correctCategory: false });
  });

  it('near-misses: 7+ digit runs and handles outside web addresses', () => {
    const text = 'order 12345678 and @someone, see https://x.com/a/20191213044137 and 123456';
    expect(findNearMisses(text).map((m) => [m.kind, text.slice(m.start, m.end)])).toEqual([
      ['digit-run', '12345678'],
      ['handle', '@someone'],
    ]);
  });

  it('shapes hide values', () => {
    expect(shapeOf('Ab-12 ц')).toBe('Aa-99 a');
  });
});
