import i18next from 'i18next';
import { expect, it } from 'vitest';
import { en } from '../../../src-renderer/i18n/en';
import { segmentLabel } from '../../../src-renderer/components/supervisor/segment-label';

it('says a segment in words: tier and band, a tier alone while no scores are cached, "Unscored" only with no tier at all', async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ lng: 'en', resources: { en: { translation: en } } });
  expect(segmentLabel('high-medium', i18n.t)).toBe('High value · medium risk');
  expect(segmentLabel('mid', i18n.t)).toBe('Mid value');
  expect(segmentLabel('unscored', i18n.t)).toBe('Unscored');
  expect(segmentLabel('outbound:high-low', i18n.t)).toBe('outbound:high-low');
});
