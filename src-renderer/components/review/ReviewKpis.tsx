import { useTranslation } from 'react-i18next';
import type { ReviewSummary } from '@shared/contract/review';
import { money, percent, shortDate } from '../../format';
import { RateWithInterval } from './ReviewFigure';

function Change({ now, before, format }: { now: number | null; before: number | null; format(value: number): string }) {
  const { t } = useTranslation();
  if (now === null || before === null) return null;
  const delta = now - before;
  const key = Math.abs(delta) < 1e-9 ? 'same' : delta > 0 ? 'up' : 'down';
  return <span className={`review-change review-change-${key}`}>{t(`review.change.${key}`, { value: format(Math.abs(delta)) })}</span>;
}

/** The range's headline figures, each against the previous period; every figure can be drilled into. */
export function ReviewKpis({ summary, onDrill }: { summary: ReviewSummary; onDrill(show: 'calls' | 'saves'): void }) {
  const { t, i18n } = useTranslation();
  const { current: c, before: b } = summary;
  const m = (v: number): string => money(v, i18n.language);
  const points = (v: number): string => `${Math.round(v * 100)} pts`;
  return (
    <div className="kpis review-kpis" data-testid="review-kpis">
      <div className="kpi">
        <span className="kpi-label">{t('review.kpi.saveRate')}</span>
        <button type="button" className="kpi-value link-button" data-testid="kpi-rate" onClick={() => onDrill('saves')}><RateWithInterval figures={c} compact /></button>
        <span className="kpi-sub"><bdi dir="ltr">{c.saves}/{c.calls}</bdi> <Change now={c.rate} before={b.rate} format={points} /></span>
      </div>
      <div className="kpi">
        <span className="kpi-label">{t('review.kpi.verified')}</span>
        <span className="kpi-value" data-testid="kpi-verified">{c.verifiedRate === null ? <span className="pill pill-muted">{t('review.verifiedPending')}</span> : percent(c.verifiedRate)}</span>
        <span className="kpi-sub muted small">
          {summary.verified === 'pending' ? t('review.claimedNote') : <bdi>{t('review.verifiedOf', { stayed: c.verifiedStayed, resolved: c.verifiedResolved })}</bdi>}
          {' '}<Change now={c.verifiedRate} before={b.verifiedRate} format={points} />
        </span>
      </div>
      <div className="kpi">
        <span className="kpi-label">{t('review.kpi.calls')}</span>
        <button type="button" className="kpi-value link-button" data-testid="kpi-calls" onClick={() => onDrill('calls')}>{c.calls}</button>
        <span className="kpi-sub"><Change now={c.calls} before={b.calls} format={(v) => String(v)} /></span>
      </div>
      <div className="kpi">
        <span className="kpi-label">{t('review.kpi.valueSaved')}</span>
        <button type="button" className="kpi-value link-button" data-testid="kpi-value" onClick={() => onDrill('saves')}>{m(c.valueSaved)}</button>
        <span className="kpi-sub"><Change now={c.valueSaved} before={b.valueSaved} format={m} /></span>
      </div>
      <div className="kpi">
        <span className="kpi-label">{t('review.kpi.offerCost')}</span>
        <button type="button" className="kpi-value link-button" onClick={() => onDrill('calls')}>{m(c.offerCost)}</button>
        <span className="kpi-sub"><Change now={c.offerCost} before={b.offerCost} format={m} /></span>
      </div>
      <div className="kpi">
        <span className="kpi-label">{t('review.kpi.net')}</span>
        <button type="button" className="kpi-value link-button" data-testid="kpi-net" onClick={() => onDrill('saves')}>{m(c.netValueKept)}</button>
        <span className="kpi-sub"><Change now={c.netValueKept} before={b.netValueKept} format={m} /></span>
      </div>
      <p className="muted small review-previous" data-testid="review-previous">
        {t('review.vsPrevious', { from: shortDate(`${summary.previous.from}T12:00:00Z`, i18n.language), to: shortDate(`${summary.previous.to}T12:00:00Z`, i18n.language) })}
      </p>
    </div>
  );
}
