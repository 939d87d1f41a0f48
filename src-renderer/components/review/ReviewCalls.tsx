import { useTranslation } from 'react-i18next';
import type { ReviewCall } from '@shared/contract/review';
import { dateTime, money, percent } from '../../format';
import { valueLabel } from './labels';

/** The calls behind a number, each with everything it is reviewed by. */
export function ReviewCalls({ calls, show, done, busy, onMore, onClose }: {
  calls: ReviewCall[];
  show: 'calls' | 'saves';
  done: boolean;
  busy: boolean;
  onMore(): void;
  onClose(): void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <section className="card review-calls" data-testid="review-calls" aria-labelledby="review-calls-title">
      <header className="card-header">
        <h2 id="review-calls-title">{t(show === 'saves' ? 'review.calls.titleSaves' : 'review.calls.title')}</h2>
        <span className="pill pill-muted" data-testid="review-calls-count">{t('review.calls.count', { count: calls.length })}</span>
        <button type="button" className="btn btn-ghost" onClick={onClose}>{t('review.calls.close')}</button>
      </header>
      {calls.length === 0 && !busy ? <p className="muted card-body">{t('review.calls.empty')}</p> : (
        <ol className="review-call-list">
          {calls.map((c) => (
            <li key={c.outcomeId} className="review-call" data-outcome-id={c.outcomeId}>
              <div className="review-call-head">
                <strong><bdi>{c.customerName}</bdi></strong>
                <span className="muted small"><bdi>{dateTime(c.receivedAt, i18n.language)}</bdi> · <bdi>{c.agentName}</bdi> · {valueLabel('direction', c.direction, c.direction, t)}</span>
                <span className={`disp disp-${c.disposition}`}>{t(`wrapUp.dispositions.${c.disposition}`)}</span>
                <span className="pill pill-muted" data-testid="verified-status">{t('review.calls.verified')}: {t(`review.calls.verifiedStatus.${c.verified}`)}</span>
              </div>
              <dl className="review-call-body">
                <div><dt>{t('review.calls.brief')}</dt><dd>
                  {c.brief.churnProbability !== null && <>{t('review.calls.risk', { pct: percent(c.brief.churnProbability) })} · </>}
                  {c.brief.clv !== null && <><bdi>{money(c.brief.clv, i18n.language)}</bdi> · </>}
                  <bdi>{c.brief.reasons.join('; ') || '—'}</bdi>
                </dd></div>
                <div><dt>{t('review.calls.segment')}</dt><dd>{valueLabel('tier', c.segment.tier, c.segment.tier, t)} · <bdi>{valueLabel('rfm', c.segment.rfm, c.segment.rfm, t)}</bdi> · {valueLabel('lifecycle', c.segment.lifecycle, c.segment.lifecycle, t)}</dd></div>
                <div><dt>{t('review.calls.offer')}</dt><dd>{c.offerName ? <><bdi>{c.offerName}</bdi> · {t(`wrapUp.outcomes.${c.offerOutcome}`)}{c.offerCost > 0 && <> · {t('review.calls.cost', { value: money(c.offerCost, i18n.language) })}</>}</> : '—'}</dd></div>
                <div><dt>{t('review.calls.notes')}</dt><dd className="review-notes"><bdi>{c.notes || t('review.calls.noNotes')}</bdi></dd></div>
                <div><dt>{t('review.calls.summary')}</dt><dd><bdi>{c.summary || '—'}</bdi></dd></div>
              </dl>
            </li>
          ))}
        </ol>
      )}
      {!done && <div className="card-body"><button type="button" className="btn" disabled={busy} onClick={onMore}>{busy ? t('review.loading') : t('review.calls.more')}</button></div>}
    </section>
  );
}
