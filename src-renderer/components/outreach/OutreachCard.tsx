import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutreachTask } from '@shared/contract/server-socket';
import { acceptOutreach, skipOutreach } from '../../state/actions/outreach';
import { money, percent } from '../../format';
import { useSecondsLeft } from '../use-seconds-left';
import { ReasonList } from './ReasonList';

/** Shown as figures at the top of the card, so not repeated among the reasons. */
const SHOWN_AS_FIGURES = new Set(['value_at_risk', 'churn_risk', 'in_calling_hours']);

/**
 * A preview task while the agent is idle: who to call, why them, why now,
 * and a deadline. "Call now" opens the outbound call (the pop follows,
 * already connected); "Skip" passes it on. An inbound call removes it.
 */
export function OutreachCard({ task }: { task: OutreachTask }) {
  const { t, i18n } = useTranslation();
  const seconds = useSecondsLeft(task.deadline, true);
  const [busy, setBusy] = useState<'accept' | 'skip' | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function act(action: 'accept' | 'skip'): Promise<void> {
    setBusy(action);
    setError(null);
    // What follows (the outbound call, the task gone, or lapsed) arrives as the backend's new state.
    const result = action === 'accept' ? await acceptOutreach(task.taskId) : await skipOutreach(task.taskId);
    setBusy(null);
    if (!result.ok && result.error.code !== 'unknown_task') setError(result.error.message);
  }

  return (
    <section className="outreach-card" data-testid="outreach-task" data-task-id={task.taskId} data-customer-id={task.customerId}>
      <header className="outreach-head">
        <span className="call-state">{t('outreach.title')}</span>
        <span className="countdown" aria-live="polite" data-testid="outreach-countdown">{t('outreach.secondsLeft', { count: seconds })}</span>
      </header>
      <h1 data-testid="outreach-name"><bdi>{task.customerName}</bdi></h1>
      <p className="call-meta">
        {task.phone && <><bdi dir="ltr">{task.phone}</bdi> · </>}
        {task.language ? t(`language.${task.language}`) : null}
      </p>
      <p className="muted outreach-sub">{t('outreach.subtitle')}</p>
      <dl className="metrics outreach-metrics">
        <div title={t('outreach.valueAtRiskHint')}>
          <dt>{t('outreach.valueAtRisk')}</dt>
          <dd data-testid="outreach-value"><bdi>{money(task.valueAtRisk, i18n.language)}</bdi></dd>
        </div>
        <div title={t('outreach.churnRiskHint')}>
          <dt>{t('outreach.churnRisk')}</dt>
          <dd><bdi>{task.churnRisk === null ? '—' : percent(task.churnRisk)}</bdi></dd>
        </div>
        <div>
          <dt>{t('outreach.localTime')}</dt>
          <dd><bdi dir="ltr">{task.localTime || '—'}</bdi> <span className="muted small"><bdi dir="ltr">{task.timezone}</bdi></span></dd>
          {task.whyNow.some((r) => r.code === 'in_calling_hours') && <dd className="figure-note">{t('outreach.inHours')}</dd>}
        </div>
      </dl>
      <div className="outreach-why">
        <div>
          <h3>{t('outreach.whyThis')}</h3>
          <ReasonList reasons={task.whyThisCustomer.filter((r) => !SHOWN_AS_FIGURES.has(r.code))} context={task} testId="why-this" />
        </div>
        <div>
          <h3>{t('outreach.whyNow')}</h3>
          <ReasonList reasons={task.whyNow.filter((r) => !SHOWN_AS_FIGURES.has(r.code))} context={task} testId="why-now" />
        </div>
      </div>
      {error && <p className="notice" role="alert">{error}</p>}
      <div className="outreach-actions">
        <button type="button" className="btn btn-ghost" disabled={busy !== null} onClick={() => void act('skip')}>{t('outreach.skip')}</button>
        <button type="button" className="btn btn-accept" disabled={busy !== null} onClick={() => void act('accept')}>
          {busy === 'accept' ? t('outreach.calling') : t('outreach.accept')}
        </button>
      </div>
    </section>
  );
}
