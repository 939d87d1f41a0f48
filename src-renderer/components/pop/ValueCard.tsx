import { useTranslation } from 'react-i18next';
import type { PopView } from '@shared/contract/pop';
import { money } from '../../format';
import { Card } from './Card';
import { valueTooltips } from './tooltips';

export function ValueCard({ value }: { value: PopView['value'] }) {
  const { t, i18n } = useTranslation();
  if (!value) return null;
  const tips = valueTooltips(value, (key, options) => t(key, options ?? {}));
  return (
    <Card title={t('value.title')} testId="value" aside={<span className={`pill tier-${value.tier}`} data-testid="value-tier" title={tips.tier}>{t(`value.tierName.${value.tier}`)}</span>}>
      <dl className="metrics">
        <div data-testid="value-clv" title={tips.clv}>
          <dt>{tips.clvLabel}</dt>
          <dd>{money(value.clv, i18n.language)}</dd>
        </div>
        <div data-testid="value-at-risk" title={tips.atRisk}>
          <dt>{t('value.atRisk')}</dt>
          <dd>{money(value.valueAtRisk, i18n.language)}</dd>
        </div>
      </dl>
      {(value.rfmSegment || value.lifecycleStage) && (
        <div className="value-tags">
          {value.rfmSegment && (
            <span className="pill pill-muted" data-testid="rfm-segment" title={tips.rfm}>
              {t('value.rfm')}: {t(`playbook.rfmSegment.${value.rfmSegment}`, { defaultValue: value.rfmSegment })}
            </span>
          )}
          {value.lifecycleStage && (
            <span className="pill pill-muted" data-testid="lifecycle" title={tips.lifecycle}>
              {t(`value.stage.${value.lifecycleStage}`, { defaultValue: value.lifecycleStage })}
            </span>
          )}
        </div>
      )}
    </Card>
  );
}
