import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutcomeBreakdown } from '@shared/contract/desktop-api';
import type { SupervisorState as SupervisorStateView } from '@shared/contract/server-socket';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useAppStore } from '../state/app-store';
import { outcomeBreakdown } from '../state/actions/supervisor';
import { clock, money, percent } from '../format';
import { AgentsPanel } from '../components/supervisor/AgentsPanel';
import { BreakdownCard } from '../components/supervisor/BreakdownCard';
import { UpliftCard } from '../components/supervisor/UpliftCard';
import { PlaybookEditor } from '../components/playbook/PlaybookEditor';
import { FunnelCard } from '../components/playbook/FunnelCard';
import { LiveBoard } from '../components/review/LiveBoard';
import { ReviewPanel } from '../components/review/ReviewPanel';
import { formatView, parseView, type ReviewView } from '../components/review/url-state';
import { VerifiedCard } from '../components/supervisor/VerifiedCard';

/** The view in the URL hash: read once, written back (without a history entry per click) on every change. */
function useReviewView(): [ReviewView, (view: ReviewView) => void] {
  const [view, setView] = useState<ReviewView>(() => parseView(window.location.hash));
  const change = (next: ReviewView): void => {
    setView(next);
    const { pathname, search } = window.location;
    window.history.replaceState(null, '', `${pathname}${search}${formatView(next)}`);
  };
  return [view, change];
}

const TABS = ['floor', 'review', 'live'] as const;

/** The supervisor's three views: the floor today, the retention review and the live board. */
export function SupervisorScreen() {
  const { t } = useTranslation();
  const [view, setView] = useReviewView();
  return (
    <div className="supervisor-views">
      <nav className="segmented review-tabs" aria-label={t('review.tabs.floor')}>
        {TABS.map((tab) => (
          <button key={tab} type="button" data-testid={`tab-${tab}`} aria-pressed={view.tab === tab} className={view.tab === tab ? 'active' : ''}
            onClick={() => setView({ ...view, tab })}>{t(`review.tabs.${tab}`)}</button>
        ))}
      </nav>
      {view.tab === 'review' && <section className="supervisor" data-testid="supervisor-review"><ReviewPanel view={view} onChange={setView} /></section>}
      {view.tab === 'live' && <section className="supervisor"><LiveBoard /></section>}
      {view.tab === 'floor' && <FloorToday />}
    </div>
  );
}

function FloorToday() {
  const { t, i18n } = useTranslation();
  const state = useAppStore((s) => s.supervisor);
  // Segments and offer names come from this desk's cache: recount once its sync has caught up.
  const cacheReady = useAppStore((s) => s.status.sync.phase === 'ready');
  const [breakdown, setBreakdown] = useState<OutcomeBreakdown | null>(null);
  const [view, setView] = useState<'floor' | 'playbook'>('floor');
  const [published, setPublished] = useState(0);
  useEffect(() => {
    // Computed by the backend from the outcomes it has seen; cheap, so redone on every push.
    if (!state) return;
    let live = true;
    void outcomeBreakdown().then((result) => {
      if (live && result.ok) setBreakdown(result.value);
    });
    return () => {
      live = false;
    };
  }, [state, cacheReady]);
  if (!state) return <section className="supervisor"><p className="muted">{t('status.connecting')}</p></section>;

  const { saves, attempts } = state.saveRate;
  const today = new Date().toISOString().slice(0, 10);
  const valueKept = state.outcomes
    .filter((o) => o.disposition === 'retained' && o.receivedAt.startsWith(today))
    .reduce((sum, o) => sum + (o.clv ?? 0), 0);
  // The offers' names, as the backend found them in the playbook for the breakdown.
  const offerNames = new Map((breakdown?.byOffer ?? []).filter((g) => g.key.startsWith('offer:')).map((g) => [g.key.slice('offer:'.length), g.label]));
  const chartData = state.agents
    .filter((a) => a.callsToday > 0 || a.presence !== 'offline')
    .map((a) => ({ name: a.displayName.split(' ')[0], calls: a.callsToday, saves: a.savesToday }));

  const tabs = (
    <div className="tabs sup-tabs" role="tablist">
      <button type="button" role="tab" aria-selected={view === 'floor'} className={view === 'floor' ? 'tab tab-on' : 'tab'} data-testid="subtab-floor" onClick={() => setView('floor')}>{t('playbook.tabs.floor')}</button>
      <button type="button" role="tab" aria-selected={view === 'playbook'} className={view === 'playbook' ? 'tab tab-on' : 'tab'} data-testid="tab-playbook" onClick={() => setView('playbook')}>{t('playbook.tabs.playbook')}</button>
    </div>
  );
  if (view === 'playbook') {
    return (
      <section className="supervisor" data-testid="supervisor">
        {tabs}
        <PlaybookEditor onPublished={() => setPublished((n) => n + 1)} />
        <FunnelCard refreshKey={published} />
      </section>
    );
  }

  return (
    <section className="supervisor" data-testid="supervisor">
      {tabs}
      <div className="kpis">
        <div className="kpi"><span className="kpi-label">{t('supervisor.saveRate')}</span><span className="kpi-value" data-testid="save-rate">{attempts > 0 ? percent(saves / attempts) : '—'}</span><span className="kpi-sub">{saves}/{attempts}</span></div>
        <VerifiedKpi verified={state.verified} />
        <div className="kpi"><span className="kpi-label">{t('supervisor.calls')}</span><span className="kpi-value">{attempts}</span></div>
        <div className="kpi"><span className="kpi-label">{t('supervisor.waiting')}</span><span className="kpi-value" data-testid="queue-depth">{state.queue.length}</span></div>
        <div className="kpi"><span className="kpi-label">{t('supervisor.valueSaved')}</span><span className="kpi-value">{money(valueKept, i18n.language)}</span></div>
      </div>

      <div className="sup-row">
        <UpliftCard uplift={state.uplift} />
        <section className="card">
          <header className="card-header"><h2>{t('supervisor.chartTitle')}</h2></header>
          <div className="chart">
            <ResponsiveContainer width="100%" height={200}>
              <BarChart data={chartData} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
                <XAxis dataKey="name" fontSize={11} />
                <YAxis allowDecimals={false} fontSize={11} />
                <Tooltip />
                <Legend />
                <Bar dataKey="calls" name={t('supervisor.calls')} fill="#94a3b8" isAnimationActive={false} />
                <Bar dataKey="saves" name={t('supervisor.saves')} fill="#0f766e" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </section>
        <section className="card">
          <header className="card-header"><h2>{t('supervisor.queue')}</h2><span className="pill pill-muted">{state.queue.length}</span></header>
          {state.queue.length === 0 ? <p className="muted card-body">{t('supervisor.empty')}</p> : (
            <ul className="queue" data-testid="queue">
              {state.queue.map((q) => (
                <li key={q.id}><span>{q.language.toUpperCase()} · {t(`intent.${q.intent}`)}</span><span className="muted">{q.state}</span><span><bdi>{money(q.priority, i18n.language)}</bdi></span></li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <VerifiedCard verified={state.verified} models={state.churnModels} />
      <AgentsPanel state={state} />
      <BreakdownCard breakdown={breakdown} />

      <section className="card">
        <header className="card-header"><h2>{t('supervisor.outcomes')}</h2></header>
        {state.outcomes.length === 0 ? <p className="muted card-body">{t('supervisor.noOutcomes')}</p> : (
          <table className="table" data-testid="outcomes-table">
            <thead><tr><th>{t('supervisor.time')}</th><th>{t('supervisor.agent')}</th><th>{t('supervisor.customer')}</th><th>{t('supervisor.disposition')}</th><th>{t('supervisor.offer')}</th><th>{t('supervisor.valueTier')}</th></tr></thead>
            <tbody>
              {state.outcomes.map((o) => (
                <tr key={o.id} data-outcome-id={o.id}>
                  <td>{clock(o.receivedAt, i18n.language)}</td>
                  <td><bdi>{o.agentName}</bdi></td>
                  <td><bdi>{o.customerName}</bdi></td>
                  <td><span className={`disp disp-${o.disposition}`}>{t(`wrapUp.dispositions.${o.disposition}`)}</span></td>
                  <td>{o.offerId ? <><bdi>{offerNames.get(o.offerId) ?? o.offerId}</bdi> · {t(`wrapUp.outcomes.${o.offerOutcome}`)}</> : '—'}</td>
                  <td>{o.valueTier ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}

/** The claimed save rate's other half: of the claimed saves old enough to tell, how many stayed at the learning horizon. */
function VerifiedKpi({ verified }: { verified: SupervisorStateView['verified'] }) {
  const { t } = useTranslation();
  const horizon = verified?.overall.horizons.find((h) => h.days === verified.learnHorizonDays);
  const resolved = horizon ? horizon.stayed + horizon.left : 0;
  return (
    <div className="kpi" data-testid="verified-kpi">
      <span className="kpi-label">{t('verified.kpi', { days: verified?.learnHorizonDays ?? 30 })}</span>
      <span className="kpi-value">{horizon && resolved > 0 ? percent(horizon.stayed / resolved) : '—'}</span>
      <span className="kpi-sub">{horizon ? `${horizon.stayed}/${resolved}` : '—'}</span>
    </div>
  );
}
