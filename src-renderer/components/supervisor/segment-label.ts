import type { TFunction } from 'i18next';

/** Routing's segments are "tier-band" (e.g. "high-medium"), a tier alone (no scores cached yet) or "unscored"; said in words here. */
export function segmentLabel(segment: string, t: TFunction): string {
  const [tier, band, ...rest] = segment.split('-');
  if (rest.length === 0 && tier && band && ['high', 'mid', 'low'].includes(tier) && ['high', 'medium', 'low'].includes(band)) {
    return t('segment.label', { tier: t(`segment.tier.${tier}`), band: t(`segment.band.${band}`) });
  }
  if (rest.length === 0 && band === undefined && tier && ['high', 'mid', 'low'].includes(tier)) return t(`segment.tier.${tier}`);
  return segment === 'unscored' ? t('segment.unscored') : segment;
}
