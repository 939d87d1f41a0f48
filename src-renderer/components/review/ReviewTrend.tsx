import { useTranslation } from 'react-i18next';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReviewGrain, ReviewTrend as Trend } from '@shared/contract/review';
import { money } from '../../format';

/** Daily or weekly save rate (claimed and, once recorded, verified) and money kept. */
export function ReviewTrend({ trend, grain, onGrain }: { trend: Trend | null; grain: ReviewGrain; onGrain(grain: ReviewGrain): void }) {
  const { t, i18n } = useTranslation();
  const data = (trend?.points ?? []).map((p) => ({
    period: new Intl.DateTimeFormat(i18n.language, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${p.period}T12:00:00Z`)),
    rate: p.rate === null ? null : Math.round(p.rate * 1000) / 10,
    verified: p.verifiedRate === null ? null : Math.round(p.verifiedRate * 1000) / 10,
    valueSaved: Math.round(p.valueSaved),
    offerCost: Math.round(p.offerCost),
    net: Math.round(p.netValueKept),
  }));
  const anyVerified = data.some((p) => p.verified !== null);
  return (
    <section className="card" data-testid="review-trend">
      <header className="card-header">
        <h2>{t('review.trend.title')}</h2>
        <div className="segmented" role="group" aria-label={t('review.trend.title')}>
          {(['day', 'week'] as const).map((g) => (
            <button key={g} type="button" aria-pressed={grain === g} className={grain === g ? 'active' : ''} onClick={() => onGrain(g)}>{t(`review.trend.${g}`)}</button>
          ))}
        </div>
      </header>
      <div className="review-charts">
        <figure className="chart" aria-label={t('review.trend.rate')}>
          <figcaption className="small muted">{t('review.trend.rate')}</figcaption>
          <ResponsiveContainer width="100%" height={180}>
            <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="period" fontSize={11} minTickGap={16} />
              <YAxis unit="%" domain={[0, 100]} fontSize={11} />
              <Tooltip formatter={(v) => (v === null ? '—' : `${String(v)}%`)} />
              <Legend />
              <Line type="monotone" dataKey="rate" name={t('review.trend.claimed')} stroke="#0f766e" strokeWidth={2} dot={data.length < 40} connectNulls isAnimationActive={false} />
              <Line type="monotone" dataKey="verified" name={anyVerified ? t('review.trend.verified') : `${t('review.trend.verified')} (${t('review.verifiedPending')})`} stroke="#7c3aed" strokeDasharray="5 4" dot={false} connectNulls isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </figure>
        <figure className="chart" aria-label={t('review.trend.money')}>
          <figcaption className="small muted">{t('review.trend.money')}</figcaption>
          <ResponsiveContainer width="100%" height={180}>
            <ComposedChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="period" fontSize={11} minTickGap={16} />
              <YAxis fontSize={11} tickFormatter={(v: number) => money(v, i18n.language)} width={70} />
              <Tooltip formatter={(v) => money(Number(v), i18n.language)} />
              <Legend />
              <Bar dataKey="valueSaved" name={t('review.kpi.valueSaved')} fill="#0f766e" isAnimationActive={false} />
              <Bar dataKey="offerCost" name={t('review.kpi.offerCost')} fill="#f59e0b" isAnimationActive={false} />
              <Line type="monotone" dataKey="net" name={t('review.kpi.net')} stroke="#1e293b" strokeWidth={2} dot={false} isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </figure>
      </div>
      {trend && !anyVerified && <p className="muted small card-body">{t('review.claimedNote')}</p>}
    </section>
  );
}
