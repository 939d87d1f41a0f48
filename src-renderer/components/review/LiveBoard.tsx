import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReviewLive } from '@shared/contract/review';
import { clock, money, percent } from '../../format';
import { reviewLive } from '../../state/actions/review';
import { useAppStore } from '../../state/app-store';

/**
 * The board is read again as soon as the server pushes a change of the floor
 * (a call queued or taken, an agent's state), at most this often...
 */
const PUSHED_REFRESH_MS = 500;
/** ...and on this clock besides, for what no push announces: a caller's wait crossing the alert threshold. */
const REFRESH_MS = 5000;

/** The floor now: agents' states, the queue, service level, and an alert for high-value callers waiting too long. */
export function LiveBoard() {
  const { t, i18n } = useTranslation();
  const [live, setLive] = useState<ReviewLive | null>(null);
  const [error, setError] = useState<string | null>(null);
  const floor = useAppStore((s) => s.supervisor);
  const [pushes, setPushes] = useState(0);
  // The floor the board was first read with: a push is a floor other than that one (no second read at mount).
  const firstFloor = useRef(floor);
  useEffect(() => {
    if (floor === firstFloor.current) return;
    const timer = setTimeout(() => setPushes((n) => n + 1), PUSHED_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [floor]);
  useEffect(() => {
    let on = true;
    const load = async (): Promise<void> => {
      const result = await reviewLive();
      if (!on) return;
      if (result.ok) {
        setLive(result.value);
        setError(null);
      } else setError(result.error.message);
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      on = false;
      clearInterval(timer);
    };
  }, [pushes]);
  if (error) return <p className="card card-body" role="alert">{t('review.failed', { message: error })}</p>;
  if (!live) return <p className="muted">{t('review.loading')}</p>;
  const seconds = (s: number): string => t('review.live.seconds', { count: Math.round(s) });
  return (
    <div className="review-live" data-testid="live-board">
      <div className="kpis">
        <div className="kpi"><span className="kpi-label">{t('review.live.queue')}</span><span className="kpi-value" data-testid="live-queue">{live.queueDepth}</span></div>
        <div className="kpi"><span className="kpi-label">{t('review.live.longest')}</span><span className="kpi-value" data-testid="live-longest">{seconds(live.longestWaitSeconds)}</span></div>
        <div className="kpi"><span className="kpi-label">{t('review.live.serviceLevel', { seconds: live.serviceLevelSeconds })}</span><span className="kpi-value">{live.serviceLevel === null ? <span className="small muted">{t('review.live.noLevel')}</span> : percent(live.serviceLevel)}</span></div>
      </div>
      <section className={`card ${live.alerts.length > 0 ? 'review-alert' : ''}`} data-testid="live-alerts" {...(live.alerts.length > 0 ? { role: 'alert' } : {})}>
        <header className="card-header"><h2>{live.alerts.length > 0 ? '⚠ ' : ''}{t('review.live.alerts', { seconds: live.alertAfterSeconds })}</h2><span className="pill pill-muted">{live.alerts.length}</span></header>
        {live.alerts.length === 0 ? <p className="muted card-body">{t('review.live.noAlerts')}</p> : (
          <ul className="card-body">
            {live.alerts.map((a) => (
              <li key={a.callId}>{t('review.live.alert', { language: t(`language.${a.language}`, { defaultValue: a.language }), value: money(a.clv, i18n.language), pct: percent(a.churnRisk), wait: seconds(a.waitSeconds) })}</li>
            ))}
          </ul>
        )}
      </section>
      <section className="card">
        <header className="card-header"><h2>{t('review.live.agents')}</h2><span className="muted small">{t('review.live.updated', { time: clock(live.at, i18n.language) })}</span></header>
        {live.agents.length === 0 ? <p className="muted card-body">{t('review.live.none')}</p> : (
          <table className="table table-compact">
            <tbody>
              {live.agents.map((a) => (
                <tr key={a.id}><td><strong><bdi>{a.name}</bdi></strong></td><td><span className={`presence presence-${a.presence}`}>{t(`status.presence.${a.presence}`, { defaultValue: a.presence })}</span></td><td className="muted small">{clock(a.since, i18n.language)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
