import { useTranslation } from 'react-i18next';
import type { PopView } from '@shared/contract/pop';
import { money } from '../../format';
import { Card } from './Card';

export function ValueCard({ value }: { value: PopView['value'] }) {
  const { t, i18n } = useTranslation();
  if (!value) return null;
  return (
    <Card title={t('value.title')} testId="value" aside={<span className={`pill tier-${value.tier}`}>{t(`value.tierName.${value.tier}`)}</span>}>
      <dl className="metrics">
        <div title={t('value.tooltipClv', { version: value.modelVersion })}>
          <dt>{t('value.clv')}</dt>
          <dd>{money(value.clv, i18n.language)}</dd>
        </div>
        <div title={t('value.tooltipRisk', { version: value.modelVersion })}>
          <dt>{t('value.atRisk')}</dt>
          <dd>{money(value.valueAtRisk, i18n.language)}</dd>
        </div>
      </dl>
      {(value.rfmSegment || value.lifecycleStage) && (
        <div className="value-tags">
          {value.rfmSegment && (
            <span className="pill pill-muted" data-testid="rfm-segment" title={t('value.tooltipRfm', { r: value.rfm?.r ?? '–', f: value.rfm?.f ?? '–', m: value.rfm?.m ?? '–', version: value.modelVersion })}>
              {t('value.rfm')}: {value.rfmSegment}
            </span>
          )}
          {value.lifecycleStage && (
            <span className="pill pill-muted" data-testid="lifecycle" title={t('value.tooltipLifecycle', { version: value.modelVersion, alive: value.pAlive === null || value.pAlive === undefined ? '–' : Math.round(value.pAlive * 100) })}>
              {t(`value.stage.${value.lifecycleStage}`, { defaultValue: value.lifecycleStage })}
            </span>
          )}
        </div>
      )}
    </Card>
  );
}
