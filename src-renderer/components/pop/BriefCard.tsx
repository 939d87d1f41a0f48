import { useTranslation } from 'react-i18next';
import type { PopView } from '@shared/contract/pop';
import { openOverlay } from '../../state/app-store';
import { failureText } from '../ai/failure-text';
import { Card } from './Card';

/**
 * The brief: the on-device summary at once, then the model's, bullet by
 * bullet, when an endpoint is configured. The label always says which one the
 * agent is reading.
 */
export function BriefCard({ summary, callId }: { summary: PopView['summary']; callId: string }) {
  const { t } = useTranslation();
  
  const status = summary.status ?? 'done';
  const fromModel = summary.source === 'model';
  const label = fromModel ? t('brief.model', { model: summary.model ?? '' }) : t('brief.onDevice');
  const reason = summary.fallbackReason ?? null;
  // Something went to the model: the fallback reasons other than "no endpoint" mean a request was made.
  const sent = fromModel || (reason !== null && reason !== 'not-configured');
  return (
    <Card
      title={t('brief.title')}
      testId="brief"
      className={`brief-card brief-${summary.source} brief-${status}`}
      aside={
        <span className="card-aside">
          {status !== 'done' && (
            <span className="brief-progress" data-testid="brief-progress" role="status">
              <span className="pulse" aria-hidden="true" /> {status === 'pending' ? t('brief.waiting') : t('brief.writing')}
            </span>
          )}
          <span className={`pill ${fromModel ? 'pill-ai' : 'pill-muted'}`} data-testid="brief-source" data-source={summary.source} data-status={status}>{label}</span>
        </span>
      }
    >
      {summary.bullets.length === 0 ? (
        <p className="muted">{t('brief.empty')}</p>
      ) : (
        <ul className="brief" lang={summary.language}>
          {summary.bullets.map((bullet, i) => <li key={i}><bdi>{bullet}</bdi></li>)}
        </ul>
      )}
      {status === 'done' && reason && reason !== 'not-configured' && (
        <p className="brief-note" data-testid="brief-fallback" data-reason={reason}>
          {fromModel ? t('brief.incomplete', { reason: failureText(t, reason) }) : t('brief.fellBack', { reason: failureText(t, reason) })}
        </p>
      )}
      {sent && (
        <button type="button" className="btn btn-link small" data-testid="brief-audit" onClick={() => openOverlay('audit', callId)}>
          {t('audit.open')}
        </button>
      )}
    </Card>
  );
}
