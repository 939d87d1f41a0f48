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
        <div title={t('value.tooltipRisk')}>
          <dt>{t('value.atRisk')}</dt>
          <dd>{money(value.valueAtRisk, i18n.language)}</dd>
        </div>
      </dl>
    </Card>
  );
}
