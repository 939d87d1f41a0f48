import { useTranslation } from 'react-i18next';
import type { PopView } from '@shared/contract/pop';
import { percent, shortDate } from '../../format';
import { Card } from './Card';
import { riskTooltips } from './tooltips';
import { reasonText } from './localise';

/** A half-circle gauge: the agent reads the band by colour before the number. */
function Gauge({ probability, band }: { probability: number; band: string }) {
  const angle = Math.PI * (1 - probability);
  const x = 60 + 48 * Math.cos(angle);
  const y = 60 - 48 * Math.sin(angle);
  return (
    <svg className={`gauge gauge-${band}`} viewBox="0 0 120 68" role="img" aria-label={percent(probability)}>
      <path d="M12 60 A48 48 0 0 1 108 60" className="gauge-track" />
      <path d={`M12 60 A48 48 0 0 1 ${x.toFixed(2)} ${y.toFixed(2)}`} className="gauge-fill" />
      <text x="60" y="56" textAnchor="middle" className="gauge-value">{percent(probability)}</text>
    </svg>
  );
}

/** Up or down since the customer's last contact: the direction matters more than the number. */
function Trend({ now, then, title }: { now: number; then: { probability: number }; title: string }) {
  const { t } = useTranslation();
  const points = Math.round((now - then.probability) * 100);
  const direction = points > 1 ? 'up' : points < -1 ? 'down' : 'flat';
  return (
    <p className={`trend trend-${direction}`} data-testid="risk-trend" title={title}>
      {direction === 'up' ? '▲' : direction === 'down' ? '▼' : '▬'} {t(`risk.trend.${direction}`, { points: Math.abs(points) })}
    </p>
  );
}

export function RiskCard({ risk }: { risk: PopView['risk'] }) {
  const { t, i18n } = useTranslation();
  if (!risk) return <Card title={t('risk.title')} testId="risk"><p className="muted">{t('risk.noScore')}</p></Card>;
  const tips = riskTooltips(risk, (key, options) => t(key, options ?? {}), (iso) => shortDate(iso, i18n.language));
  return (
    <Card
      title={t('risk.title')}
      testId="risk"
      className={`risk risk-${risk.band}`}
      aside={<span className={`pill band-${risk.band}`} data-testid="risk-band" title={tips.band}>{t(`risk.band.${risk.band}`)}</span>}
    >
      <div className="risk-body">
        <div>
          <div title={tips.gauge} data-testid="risk-gauge"><Gauge probability={risk.probability} band={risk.band} /></div>
          {risk.atLastContact && tips.trend && <Trend now={risk.probability} then={risk.atLastContact} title={tips.trend} />}
        </div>
        <div className="reasons">
          <h3>{t('risk.reasons')}</h3>
          <ol data-testid="risk-reasons">
            {risk.reasons.map((reason, k) => (
              <li key={reason.code} className={`driver-${reason.driver}`} title={tips.reasons[k]}><bdi>{reasonText(reason, (key, options) => t(key, options ?? {}))}</bdi></li>
            ))}
          </ol>
        </div>
      </div>
      <p className="model-note">{risk.heuristic ? t('risk.heuristic') : t('risk.model', { version: risk.modelVersion })}</p>
    </Card>
  );
}
