import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REVIEW_DIMENSIONS, type ReviewDimension } from '@shared/contract/review';
import { presetRange, REVIEW_PRESETS } from '@shared/supervisor/review-figures';
import { today, type ReviewView } from './url-state';

/** Range presets, custom dates, the cuts filtered (each removable), a shareable link and the export. */
export function ReviewFilters({ view, onChange, onExport, exporting, exportNote }: {
  view: ReviewView;
  onChange(view: ReviewView): void;
  onExport(): void;
  exporting: boolean;
  exportNote: string | null;
}) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const filtered = REVIEW_DIMENSIONS.filter((d) => view.filter[d] !== undefined);
  const withoutDimension = (d: ReviewDimension): ReviewView => {
    const filter = { ...view.filter };
    delete filter[d];
    return { ...view, filter, drill: null };
  };
  return (
    <div className="card review-filters" data-testid="review-filters">
      <div className="review-filter-row">
        <div className="segmented" role="group" aria-label={t('review.range')}>
          {REVIEW_PRESETS.map((p) => (
            <button key={p} type="button" data-testid={`preset-${p}`} aria-pressed={view.preset === p} className={view.preset === p ? 'active' : ''}
              onClick={() => onChange({ ...view, preset: p, filter: { ...view.filter, ...presetRange(p, today()) }, drill: null })}>{t(`review.preset.${p}`)}</button>
          ))}
        </div>
        <label className="review-inline">{t('review.from')} <input type="date" data-testid="range-from" value={view.filter.from} max={view.filter.to}
          onChange={(e) => e.target.value && onChange({ ...view, preset: 'custom', filter: { ...view.filter, from: e.target.value }, drill: null })} /></label>
        <label className="review-inline">{t('review.to')} <input type="date" data-testid="range-to" value={view.filter.to} min={view.filter.from}
          onChange={(e) => e.target.value && onChange({ ...view, preset: 'custom', filter: { ...view.filter, to: e.target.value }, drill: null })} /></label>
        <span className="review-spacer" />
        <button type="button" className="btn btn-ghost" onClick={() => {
          void navigator.clipboard?.writeText(window.location.href).then(() => setCopied(true), () => undefined);
        }}>{copied ? t('review.copied') : t('review.copyLink')}</button>
        <button type="button" className="btn" data-testid="review-export" disabled={exporting} onClick={onExport}>{exporting ? t('review.export.busy') : t('review.export.button')}</button>
      </div>
      {filtered.length > 0 && (
        <ul className="review-chips" aria-label={t('review.filters')}>
          {filtered.map((d) => (
            <li key={d} className="pill" data-testid={`chip-${d}`}>
              {t(`review.dim.${d}`)}: <bdi>{view.filter[d]}</bdi>
              <button type="button" className="chip-remove" aria-label={t('review.removeFilter', { name: t(`review.dim.${d}`) })} onClick={() => onChange(withoutDimension(d))}>×</button>
            </li>
          ))}
        </ul>
      )}
      {exportNote && <p className="small muted" role="status" data-testid="export-note">{exportNote}</p>}
    </div>
  );
}
