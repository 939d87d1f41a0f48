// The interval plot is drawn with CSS rather than recharts: recharts' ErrorBar drew one whisker
// in the wrong place when we tried it (a 100% rate in a horizontal layout), and three bands with
// a tick each need nothing a chart library adds.
import { useTranslation } from 'react-i18next';
import type { UpliftReportPayload } from '@shared/contract/server-socket';

const pct1 = (x: number): string => `${(x * 100).toFixed(1)}%`;
const pts = (x: number): string => (x * 100).toFixed(1);

type Verdict = 'better' | 'worse' | 'none' | 'notEnough';

/** Half-width of the difference axis: the interval fits, in steps of 10 points. */
function differenceScale(low: number, high: number): number {
  return Math.max(0.1, Math.ceil(Math.max(Math.abs(low), Math.abs(high)) * 10) / 10);
}

interface IntervalRow {
  label: string;
  value: number;
  low: number;
  high: number;
  colour: string;
}

/**
 * Estimates with their 95% intervals on one axis (a small forest plot): the
 * band is the interval, the tick the estimate. Drawn with CSS, left to right
 * in every UI language, as numeric axes are.
 */
function IntervalPlot({ rows, scale, ticks, signed = false, testId }: { rows: IntervalRow[]; scale: [number, number]; ticks: number[]; signed?: boolean; testId: string }) {
  const [min, max] = scale;
  const at = (x: number): string => `${(Math.min(max, Math.max(min, x)) - min) / (max - min) * 100}%`;
  const label = (x: number): string => (signed ? `${x > 0 ? '+' : ''}${Math.round(x * 100)}` : `${Math.round(x * 100)}%`);
  if (rows.length === 0) return null;
  return (
    <div className="interval-plot" data-testid={testId} aria-hidden="true">
      {rows.map((row) => (
        <div className="interval-row" key={row.label}>
          <span className="interval-label">{row.label}</span>
          <span className="interval-track">
            {signed && <span className="interval-zero" style={{ left: at(0) }} />}
            <span className="interval-band" style={{ left: at(row.low), width: `calc(${at(row.high)} - ${at(row.low)})`, background: row.colour }} />
            <span className="interval-mark" style={{ left: at(row.value), background: row.colour }} />
          </span>
        </div>
      ))}
      <div className="interval-row interval-axis">
        <span className="interval-label" />
        <span className="interval-track interval-ticks">
          {ticks.map((tick) => <span key={tick} className="interval-tick" style={{ left: at(tick) }}>{label(tick)}</span>)}
        </span>
      </div>
    </div>
  );
}

function verdictOf(uplift: UpliftReportPayload): Verdict {
  if (uplift.policy.calls === 0 || uplift.baseline.calls === 0) return 'notEnough';
  if (uplift.policyBetter) return 'better';
  if (uplift.baselineBetter) return 'worse';
  return 'none';
}

/**
 * Predictive versus baseline (longest-idle) routing, as the server measures
 * it: save rate per arm with its 95% interval, the difference with its
 * interval, and a verdict that only claims what the interval supports.
 */
export function UpliftCard({ uplift }: { uplift: UpliftReportPayload | undefined }) {
  const { t } = useTranslation();
  if (!uplift) {
    return (
      <section className="card" data-testid="routing-uplift">
        <header className="card-header"><h2>{t('routing.title')}</h2></header>
        <p className="muted card-body">{t('routing.noData')}</p>
      </section>
    );
  }
  const verdict = verdictOf(uplift);
  const [lo, hi] = uplift.differenceCi95;
  const verdictText =
    verdict === 'notEnough'
      ? t('routing.notEnough', { policy: uplift.policy.calls, baseline: uplift.baseline.calls })
      : verdict === 'better'
        ? t('routing.better', { pts: pts(uplift.difference), lo: pts(lo), hi: pts(hi) })
        : verdict === 'worse'
          ? t('routing.worse', { pts: pts(-uplift.difference), lo: pts(lo), hi: pts(hi) })
          : t('routing.noDifference', { pts: pts(uplift.difference), lo: pts(lo), hi: pts(hi) });
  const arms = [
    { key: 'policy', name: t('routing.predictive'), short: t('routing.predictive'), arm: uplift.policy, colour: '#0f766e' },
    { key: 'baseline', name: t('routing.baseline'), short: t('routing.baselineShort'), arm: uplift.baseline, colour: '#94a3b8' },
  ] as const;

  return (
    <section className="card" data-testid="routing-uplift" data-verdict={verdict}>
      <header className="card-header"><h2>{t('routing.title')}</h2></header>
      <div className="card-body uplift-body">
        <p className={`verdict verdict-${verdict}`} data-testid="uplift-verdict"><bdi>{verdictText}</bdi></p>
        <div className="uplift-grid">
          <table className="table uplift-table" data-testid="uplift-table">
            <thead>
              <tr><th>{t('routing.arm')}</th><th>{t('routing.calls')}</th><th>{t('routing.saves')}</th><th>{t('routing.rate')}</th><th>{t('routing.ci')}</th></tr>
            </thead>
            <tbody>
              {arms.map(({ key, name, arm }) => (
                <tr key={key} data-arm={key}>
                  <td>{name}</td>
                  <td><bdi>{arm.calls}</bdi></td>
                  <td><bdi>{arm.saves}</bdi></td>
                  <td className="num"><bdi>{arm.calls > 0 ? pct1(arm.rate) : '—'}</bdi></td>
                  <td className="num"><bdi dir="ltr">{arm.calls > 0 ? `${pct1(arm.ci95[0])} – ${pct1(arm.ci95[1])}` : '—'}</bdi></td>
                </tr>
              ))}
              <tr className="uplift-diff" data-arm="difference">
                <td colSpan={3}>{t('routing.difference')}</td>
                <td className="num"><bdi dir="ltr">{verdict === 'notEnough' ? '—' : t('routing.points', { pts: `${uplift.difference >= 0 ? '+' : ''}${pts(uplift.difference)}` })}</bdi></td>
                <td className="num"><bdi dir="ltr">{verdict === 'notEnough' ? '—' : `${pts(lo)} – ${pts(hi)}`}</bdi></td>
              </tr>
            </tbody>
          </table>
          <IntervalPlot
            rows={arms.filter(({ arm }) => arm.calls > 0).map(({ short, arm, colour }) => ({ label: short, value: arm.rate, low: arm.ci95[0], high: arm.ci95[1], colour }))}
            scale={[0, 1]}
            ticks={[0, 0.25, 0.5, 0.75, 1]}
            testId="uplift-arms-plot"
          />
          {verdict !== 'notEnough' && (
            <IntervalPlot
              rows={[{ label: t('routing.differenceShort'), value: uplift.difference, low: lo, high: hi, colour: verdict === 'better' ? '#16a34a' : verdict === 'worse' ? '#dc2626' : '#64748b' }]}
              scale={[-differenceScale(lo, hi), differenceScale(lo, hi)]}
              ticks={[-differenceScale(lo, hi), 0, differenceScale(lo, hi)]}
              signed
              testId="uplift-difference-plot"
            />
          )}
        </div>
        <p className="muted small">{t('routing.method')}</p>
      </div>
    </section>
  );
}
