import { useTranslation } from 'react-i18next';
import type { ReviewFigures } from '@shared/contract/review';
import { SMALL_SAMPLE_CALLS } from '@shared/supervisor/review-figures';
import { percent } from '../../format';

/** A save rate with its interval and, where the sample is small, a mark saying so (in words, not colour). */
export function RateWithInterval({ figures, compact = false }: { figures: Pick<ReviewFigures, 'rate' | 'interval' | 'tooSmall' | 'saves' | 'calls'>; compact?: boolean }) {
  const { t } = useTranslation();
  if (figures.rate === null) return <span>—</span>;
  const [low, high] = figures.interval ?? [0, 1];
  return (
    <span className="review-rate">
      <bdi>{percent(figures.rate)}</bdi>
      {!compact && <span className="muted small"> <bdi dir="ltr">{figures.saves}/{figures.calls}</bdi></span>}
      <span className="muted small review-interval" title={t('review.interval', { low: percent(low), high: percent(high) })}> <bdi dir="ltr">[{percent(low)}–{percent(high)}]</bdi></span>
      {figures.tooSmall && (
        <span className="review-small" title={t('review.tooSmallHint', { count: SMALL_SAMPLE_CALLS })} data-testid="too-small">{t('review.tooSmall')}</span>
      )}
    </span>
  );
}
