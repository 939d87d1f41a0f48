import type { TFunction } from 'i18next';
import type { ReviewDimension } from '@shared/contract/review';

/** A cut's value in words: agents and offers come named by the server; known codes are translated; anything else shows as stored. */
export function valueLabel(dimension: ReviewDimension, key: string, label: string, t: TFunction): string {
  if (dimension === 'agent' || dimension === 'offer') return key === 'none' ? t('review.value.none') : label;
  if (dimension === 'rfm' || dimension === 'team') return key === 'unknown' ? t('review.value.unknown') : key === 'none' ? t('review.value.none') : label;
  return t(`review.value.${key}`, { defaultValue: label });
}
