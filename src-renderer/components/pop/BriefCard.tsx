import { useTranslation } from 'react-i18next';
import type { PopView } from '@shared/contract/pop';
import { Card } from './Card';

export function BriefCard({ summary }: { summary: PopView['summary'] }) {
  const { t } = useTranslation();
  const label = summary.source === 'model' ? t('brief.model', { model: summary.model ?? '' }) : t('brief.onDevice');
  return (
    <Card title={t('brief.title')} testId="brief" aside={<span className="pill pill-muted">{label}</span>}>
      <ul className="brief">
        {summary.bullets.map((bullet, i) => <li key={i}>{bullet}</li>)}
      </ul>
    </Card>
  );
}
