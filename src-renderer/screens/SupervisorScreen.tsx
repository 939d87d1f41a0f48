import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useAppStore } from '../state/app-store';
import { clock, money, percent } from '../format';

export function SupervisorScreen() {
  const { t, i18n } = useTranslation();
  const state = useAppStore((s) => s.supervisor);
  if (!state) return <section className="supervisor"><p className="muted">{t('status.connecting')}</p></section>;

  const { saves, attempts } = state.saveRate;
  const today = new Date().toISOString().slice(0, 10);
  const valueKept = state.outcomes
    .filter((o) => o.disposition === 'retained' && o.receivedAt.startsWith(today))
    .reduce((sum, o) => sum + (o.clv ?? 0), 0);
  const chartData = state.agents
    .filter((a) => a.callsToday > 0 || a.presence !== 'offline')
    .map((a) => ({ name: a.displayName.split(' ')[0], calls: a.callsToday, saves: a.savesToday }));

  return (
    <section className="supervisor" data-testid="supervisor">
      <div className="kpis">
        <div className="kpi"><span className="kpi-label">{t('supervisor.saveRate')}</span><span className="kpi-value" data-testid="save-rate">{attempts > 0 ? percent(saves / attempts) : '—'}</span><span className="kpi-sub">{saves}/{attempts}</span></div>
        <div className="kpi"><span className="kpi-label">{t('supervisor.calls')}</span><span className="kpi-value">{attempts}</span></div>
        <div className="kpi"><span className="kpi-label">{t('supervisor.waiting')}</span><span className="kpi-value" data-testid="queue-depth">{state.queue.length}</span></div>
        <div className="kpi"><span className="kpi-label">{t('supervisor.valueSaved')}</span><span className="kpi-value">{money(valueKept, i18n.language)}</span></div>
      </div>

      <div className="sup-grid">
        <section className="card">
          <header className="card-header"><h2>{t('supervisor.agents')}</h2></header>
          <table className="table" data-testid="agents-table">
            <thead><tr><th>{t('supervisor.agent')}</th><th>{t('supervisor.languages')}</th><th>{t('supervisor.presence')}</th><th>{t('supervisor.calls')}</th><th>{t('supervisor.saves')}</th></tr></thead>
            <tbody>
              {state.agents.map((agent) => (
                <tr key={agent.id} data-presence={agent.presence}>
                  <td>{agent.displayName}</td>
                  <td>{agent.languages.map((l) => l.code.toUpperCase()).join(' ')}</td>
                  <td><span className={`presence-chip p-${agent.presence}`}>{t(`status.presence.${agent.presence}`)}</span>{agent.presence !== 'offline' && <span className="muted small"> {t('supervisor.since', { time: clock(agent.presenceSince, i18n.language) })}</span>}</td>
                  <td>{agent.callsToday}</td>
                  <td>{agent.savesToday}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>

        <div className="sup-side">
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
                  <li key={q.id}><span>{q.language.toUpperCase()} · {t(`intent.${q.intent}`)}</span><span className="muted">{q.state}</span><span>{money(q.priority, i18n.language)}</span></li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>

      <section className="card">
        <header className="card-header"><h2>{t('supervisor.outcomes')}</h2></header>
        {state.outcomes.length === 0 ? <p className="muted card-body">{t('supervisor.noOutcomes')}</p> : (
          <table className="table" data-testid="outcomes-table">
            <thead><tr><th>{t('supervisor.time')}</th><th>{t('supervisor.agent')}</th><th>{t('supervisor.customer')}</th><th>{t('supervisor.disposition')}</th><th>{t('supervisor.offer')}</th><th>{t('supervisor.valueTier')}</th></tr></thead>
            <tbody>
              {state.outcomes.map((o) => (
                <tr key={o.id} data-outcome-id={o.id}>
                  <td>{clock(o.receivedAt, i18n.language)}</td>
                  <td>{o.agentName}</td>
                  <td>{o.customerName}</td>
                  <td><span className={`disp disp-${o.disposition}`}>{t(`wrapup.dispositions.${o.disposition}`)}</span></td>
                  <td>{o.offerId ? `${o.offerId} · ${t(`wrapup.outcomes.${o.offerOutcome}`)}` : '—'}</td>
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
