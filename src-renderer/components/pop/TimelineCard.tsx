import { useTranslation } from 'react-i18next';
import type { Interaction } from '@shared/domain/interaction';
import { shortDate } from '../../format';
import { Card } from './Card';

function sentimentClass(sentiment: number): 'neg' | 'pos' | 'neu' {
  if (sentiment <= -0.3) return 'neg';
  if (sentiment >= 0.3) return 'pos';
  return 'neu';
}

export function TimelineCard({ timeline, offerNames = {} }: { timeline: Interaction[]; offerNames?: Record<string, string> }) {
  const { t, i18n } = useTranslation();
  return (
    <Card title={t('timeline.title')} testId="timeline" className="timeline-card">
      {timeline.length === 0 ? (
        <p className="muted">{t('timeline.empty')}</p>
      ) : (
        <ol className="timeline">
          {timeline.map((item) => {
            const mood = sentimentClass(item.sentiment);
            return (
            <li key={item.id} className={`tl-item tl-${mood}`}>
              <div className="tl-head">
                <span className="tl-channel">{t(`timeline.channel.${item.channel}`)}</span>
                <time dateTime={item.occurredAt}>{shortDate(item.occurredAt, i18n.language)}</time>
                {/* The coloured edge says it at a glance; the word says it without colour. */}
                {mood !== 'neu' && <span className={`tl-mood tl-mood-${mood}`}>{t(`desk.sentiment.${mood}`)}</span>}
                {item.ticketStatus === 'open' && <span className="pill pill-warn">{t('timeline.open')}</span>}
              </div>
              {/* What was written about the contact is the customer's own history: shown as written, in whatever language. */}
              <div className="tl-summary" dir="auto" data-customer-data="">{item.summary}</div>
              {item.offer && <div className="tl-extra">{t('timeline.offer', { offer: offerNames[item.offer.offerId] ?? item.offer.offerId, result: t(`playbook.offerResult.${item.offer.result}`) })}</div>}
              {item.promise && <div className="tl-extra">{t('timeline.promise', { promise: '' })}<bdi dir="auto" data-customer-data="">{item.promise}</bdi></div>}
            </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}
