import { useTranslation } from 'react-i18next';
import type { OutcomeBreakdown, OutcomeGroup } from '@shared/contract/desktop-api';
import { dateTime, money, percent } from '../../format';
import { segmentLabel } from './segment-label';

function GroupTable({ title, rows, name, testId, accepted }: {
  title: string;
  rows: (OutcomeGroup & { accepted?: number })[];
  name(row: OutcomeGroup): string;
  testId: string;
  accepted?: boolean;
}) {
  const { t, i18n } = useTranslation();
  return (
    <div className="breakdown-part" data-testid={testId}>
      <h3>{title}</h3>
      {rows.length === 0 ? <p className="muted small">{t('breakdown.none')}</p> : (
        <table className="table table-compact">
          <thead>
            <tr>
              <th />
              <th className="num">{t('breakdown.calls')}</th>
              {accepted && <th className="num">{t('breakdown.accepted')}</th>}
              <th className="num">{t('breakdown.rate')}</th>
              <th className="num">{t('breakdown.value')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-key={row.key}>
                <td><bdi>{name(row)}</bdi></td>
                <td className="num"><bdi>{row.calls}</bdi></td>
                {accepted && <td className="num"><bdi>{row.key === 'none' ? '—' : row.accepted ?? 0}</bdi></td>}
                <td className="num" title={t('breakdown.rateHint', { saves: row.saves, calls: row.calls })}><bdi>{row.rate === null ? '—' : percent(row.rate)}</bdi> <span className="muted small"><bdi dir="ltr">{row.saves}/{row.calls}</bdi></span></td>
                <td className="num"><bdi>{money(row.valueSaved, i18n.language)}</bdi></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Save rate and value saved by agent, by the offer made and by customer segment, side by side. */
export function BreakdownCard({ breakdown }: { breakdown: OutcomeBreakdown | null }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="card" data-testid="breakdown">
      <header className="card-header">
        <h2>{t('breakdown.title')}</h2>
        {breakdown && <span className="pill pill-muted" data-testid="breakdown-value">{t('breakdown.valueSaved', { value: money(breakdown.valueSaved, i18n.language) })}</span>}
      </header>
      <div className="card-body">
        {!breakdown || breakdown.outcomes === 0 ? <p className="muted">{t('breakdown.empty')}</p> : (
          <>
            <div className="breakdown-grid">
              <GroupTable title={t('breakdown.byAgent')} rows={breakdown.byAgent} name={(row) => row.label} testId="breakdown-agent" />
              <GroupTable title={t('breakdown.byOffer')} rows={breakdown.byOffer} name={(row) => (row.key === 'none' ? t('breakdown.noOffer') : row.label)} testId="breakdown-offer" accepted />
              <GroupTable title={t('breakdown.bySegment')} rows={breakdown.bySegment} name={(row) => segmentLabel(row.key, t)} testId="breakdown-segment" />
            </div>
            <p className="muted small">{t('breakdown.basis', { count: breakdown.outcomes, time: breakdown.since ? dateTime(breakdown.since, i18n.language) : '—' })}</p>
          </>
        )}
      </div>
    </section>
  );
}
