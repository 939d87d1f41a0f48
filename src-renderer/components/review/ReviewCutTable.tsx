import { useTranslation } from 'react-i18next';
import { REVIEW_DIMENSIONS, type ReviewCut, type ReviewDimension } from '@shared/contract/review';
import { money, percent } from '../../format';
import { valueLabel } from './labels';
import { RateWithInterval } from './ReviewFigure';

/** One cut of the range: a row per group, each number opening the calls behind it, each name narrowing the view to it. */
export function ReviewCutTable({ cut, dimension, onDimension, onDrill, onFilter }: {
  cut: ReviewCut | null;
  dimension: ReviewDimension;
  onDimension(dimension: ReviewDimension): void;
  onDrill(show: 'calls' | 'saves', key: string): void;
  onFilter(key: string): void;
}) {
  const { t, i18n } = useTranslation();
  const m = (v: number): string => money(v, i18n.language);
  return (
    <section className="card" data-testid="review-cut">
      <header className="card-header">
        <h2>{t('review.cut.title')}</h2>
        <label className="review-inline">
          {t('review.cut.by')}{' '}
          <select value={dimension} onChange={(e) => onDimension(e.target.value as ReviewDimension)} data-testid="cut-select">
            {REVIEW_DIMENSIONS.map((d) => <option key={d} value={d}>{t(`review.dim.${d}`)}</option>)}
          </select>
        </label>
      </header>
      {!cut || cut.rows.length === 0 ? <p className="muted card-body">{cut ? t('review.cut.empty') : t('review.loading')}</p> : (
        <div className="table-scroll">
          <table className="table table-compact" data-testid="cut-table">
            <thead>
              <tr>
                <th scope="col">{t(`review.dim.${dimension}`)}</th>
                <th scope="col" className="num">{t('review.cut.calls')}</th>
                <th scope="col" className="num">{t('review.cut.saves')}</th>
                <th scope="col" className="num">{t('review.cut.rate')}</th>
                <th scope="col" className="num">{t('review.cut.verified')}</th>
                <th scope="col" className="num">{t('review.cut.before')}</th>
                <th scope="col" className="num">{t('review.cut.valueSaved')}</th>
                <th scope="col" className="num">{t('review.cut.offerCost')}</th>
                <th scope="col" className="num">{t('review.cut.net')}</th>
              </tr>
            </thead>
            <tbody>
              {cut.rows.map((row) => {
                const name = valueLabel(dimension, row.key, row.label, t);
                return (
                  <tr key={row.key} data-key={row.key}>
                    <th scope="row"><button type="button" className="link-button" title={t('review.cut.filterTo', { name })} onClick={() => onFilter(row.key)}><bdi>{name}</bdi></button></th>
                    <td className="num"><button type="button" className="link-button" data-testid="drill-calls" aria-label={t('review.cut.showCalls', { count: row.calls })} onClick={() => onDrill('calls', row.key)}>{row.calls}</button></td>
                    <td className="num"><button type="button" className="link-button" data-testid="drill-saves" aria-label={t('review.cut.showSaves', { count: row.saves })} onClick={() => onDrill('saves', row.key)}>{row.saves}</button></td>
                    <td className="num"><RateWithInterval figures={row} compact /></td>
                    <td className="num" data-testid="cut-verified">{row.verifiedRate === null ? <span className="muted">—</span> : <><bdi>{percent(row.verifiedRate)}</bdi> <span className="small muted"><bdi dir="ltr">{row.verifiedStayed}/{row.verifiedResolved}</bdi></span></>}</td>
                    <td className="num muted"><bdi>{row.before.calls > 0 ? percent(row.before.saves / row.before.calls) : '—'}</bdi> <span className="small"><bdi dir="ltr">{row.before.saves}/{row.before.calls}</bdi></span></td>
                    <td className="num"><bdi>{m(row.valueSaved)}</bdi></td>
                    <td className="num"><bdi>{m(row.offerCost)}</bdi></td>
                    <td className="num"><bdi>{m(row.netValueKept)}</bdi></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
