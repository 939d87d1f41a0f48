import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PopView } from '@shared/contract/pop';
import { riskTooltips, valueTooltips } from '../../../src-renderer/components/pop/tooltips';
import { en } from '../../../src-renderer/i18n/en';
import { he } from '../../../src-renderer/i18n/he';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources: { en: { translation: en }, he: { translation: he } }, lng: 'en', fallbackLng: 'en', interpolation: { escapeValue: false } });
});
const t = (key: string, options?: Record<string, unknown>): string => {
  const text = i18n.t(key, options ?? {});
  // A key that is missing comes back as itself.
  expect(text).not.toBe(key);
  return text;
};

const risk: NonNullable<PopView['risk']> = {
  probability: 0.62, band: 'high', modelVersion: 'churn-1:abc', heuristic: false,
  reasons: [{ code: 'contract', driver: 'contract', phrase: 'Month-to-month contract', weight: 0.41 }, { code: 'usage', driver: 'usage', phrase: 'Usage down 40% in 90 days', weight: 0.2 }],
  atLastContact: { probability: 0.5, at: '2026-11-01T10:00:00.000Z', churnModel: 'churn-0:old' },
};
const value: NonNullable<PopView['value']> = {
  clv: 820, tier: 'high', valueAtRisk: 508.4, modelVersion: 'bgnbd-gg@1:d3e4', rfmSegment: 'Champions', rfm: { r: 5, f: 4, m: 5 }, lifecycleStage: 'mature', pAlive: 0.93,
  horizonMonths: 24, churnModelVersion: 'churn-1:abc', tierShares: { high: 10, mid: 40 },
};

describe('pop tooltips: what each number means and which model made it', () => {
  it('names the churn model on the gauge, the band, the trend and every reason', () => {
    const tips = riskTooltips(risk, t, (iso) => iso.slice(0, 10));
    expect(tips.gauge).toContain('churn-1:abc');
    expect(tips.band).toMatch(/High risk band: high from 60%.*churn-1:abc/);
    expect(tips.trend).toMatch(/50% at the last contact on 2026-11-01 \(churn model churn-0:old\) and is 62% now \(churn model churn-1:abc\)/);
    expect(tips.reasons).toEqual([expect.stringMatching(/Adds 0\.41 .*churn-1:abc/), expect.stringMatching(/Adds 0\.20 .*churn-1:abc/)]);
  });

  it('states the configured CLV horizon and tier shares, and names both models on value at risk', () => {
    const tips = valueTooltips(value, t);
    expect(tips.clvLabel).toBe('Lifetime value (24 mo)');
    expect(tips.clv).toBe('Expected margin over the next 24 months, discounted. Value model bgnbd-gg@1:d3e4.');
    expect(tips.atRisk).toMatch(/Churn model churn-1:abc, value model bgnbd-gg@1:d3e4/);
    expect(tips.tier).toMatch(/High value: the top 10% .* next 40% mid.*bgnbd-gg@1:d3e4/);
    expect(tips.rfm).toMatch(/Recency 5, frequency 4, monetary 5.*bgnbd-gg@1:d3e4/);
    expect(tips.lifecycle).toMatch(/93%.*bgnbd-gg@1:d3e4/);
    for (const text of Object.values(tips)) expect(text).not.toMatch(/12 mo|12 months/);
  });

  it('says no horizon it does not know, and the Hebrew texts carry the same facts', async () => {
    const plain = valueTooltips({ ...value, horizonMonths: null, tierShares: null }, t);
    expect(plain.clvLabel).toBe('Lifetime value');
    expect(plain.clv).toMatch(/value model’s horizon/);
    expect(plain.tier).toMatch(/ranked by lifetime value/);
    await i18n.changeLanguage('he');
    const hebrew = valueTooltips(value, t);
    expect(hebrew.clv).toMatch(/24.*bgnbd-gg@1:d3e4/);
    expect(hebrew.atRisk).toMatch(/churn-1:abc.*bgnbd-gg@1:d3e4/);
    await i18n.changeLanguage('en');
  });
});
