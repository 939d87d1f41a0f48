import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentRoutingView } from '@shared/contract/server-http';
import type { SupervisorState } from '@shared/contract/server-socket';
import { listAgents } from '../../state/actions/supervisor';
import { clock, percent } from '../../format';
import { useAppStore } from '../../state/app-store';
import { Drawer } from '../Drawer';
import { AgentEditor } from './AgentEditor';
import { segmentLabel } from './segment-label';

/** The live floor pushes often; the routing view is re-read at most this often. */
const REFRESH_MS = 3_000;
const LEARNT_SHOWN = 3;

function LearntChips({ agent }: { agent: AgentRoutingView }) {
  const { t } = useTranslation();
  if (agent.learnt.length === 0) return <span className="muted small">{t('agents.noLearntShort')}</span>;
  const top = [...agent.learnt].sort((a, b) => b.calls - a.calls).slice(0, LEARNT_SHOWN);
  return (
    <span className="learnt-chips">
      {top.map((stat) => {
        const direction = stat.estimate > stat.priorMean + 0.005 ? 'up' : stat.estimate < stat.priorMean - 0.005 ? 'down' : 'flat';
        return (
          <span key={stat.segment} className={`learnt-chip learnt-${direction}`} data-segment={stat.segment} title={t('agents.learntChipHint', { segment: segmentLabel(stat.segment, t), calls: stat.calls, estimate: percent(stat.estimate), prior: percent(stat.priorMean) })}>
            <span className="learnt-seg">{segmentLabel(stat.segment, t)}</span>{' '}
            <b><bdi>{percent(stat.estimate)}</bdi></b>{' '}
            <span className="muted"><bdi>{t('agents.learntShort', { calls: stat.calls, prior: percent(stat.priorMean) })}</bdi></span>
          </span>
        );
      })}
      {agent.learnt.length > LEARNT_SHOWN && <span className="muted small">{t('agents.moreSegments', { count: agent.learnt.length - LEARNT_SHOWN })}</span>}
    </span>
  );
}

/**
 * The agents as routing sees them (languages with proficiency, skills,
 * capacity, presence, occupancy, what it has learnt per segment) next to
 * today's calls and saves, with an editor for supervisors.
 */
export function AgentsPanel({ state }: { state: SupervisorState }) {
  const { t, i18n } = useTranslation();
  const role = useAppStore((s) => s.session?.user?.role);
  const [agents, setAgents] = useState<AgentRoutingView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<AgentRoutingView | null>(null);
  const [savedName, setSavedName] = useState<string | null>(null);
  const lastLoad = useRef(0);

  const load = useCallback(async () => {
    lastLoad.current = Date.now();
    const result = await listAgents();
    if (result.ok) {
      setAgents(result.value.agents.filter((a) => a.role === 'agent'));
      setError(null);
    } else {
      setError(result.error.message);
    }
  }, []);

  useEffect(() => {
    if (Date.now() - lastLoad.current < REFRESH_MS) {
      const timer = setTimeout(() => void load(), REFRESH_MS);
      return () => clearTimeout(timer);
    }
    void load();
    return undefined;
  }, [state, load]);

  const today = new Map(state.agents.map((a) => [a.id, a]));
  const knownSkills = [...new Set(['retention', 'billing', 'technical', ...(agents ?? []).flatMap((a) => a.skills)])];
  const closeEditor = useCallback(() => setEditing(null), []);

  return (
    <section className="card" data-testid="agents-panel">
      <header className="card-header">
        <h2>{t('supervisor.agents')}</h2>
        {savedName && <span className="saved-note small" role="status" data-testid="agent-saved">{t('agents.saved', { name: savedName })}</span>}
      </header>
      {error && <p className="notice card-body" role="alert">{t('agents.loadFailed', { message: error })}</p>}
      <div className="table-scroll">
        <table className="table agents-table" data-testid="agents-table">
          <thead>
            <tr>
              <th>{t('supervisor.agent')}</th>
              <th>{t('agents.team')}</th>
              <th>{t('supervisor.presence')}</th>
              <th>{t('agents.languages')}</th>
              <th>{t('agents.skills')}</th>
              <th className="num" title={t('agents.capacityHint')}>{t('agents.capacityShort')}</th>
              <th className="num" title={t('agents.occupancyHint')}>{t('agents.occupancy')}</th>
              <th className="num">{t('agents.today')}</th>
              <th title={t('agents.learntHint')}>{t('agents.learnt')}</th>
              {role === 'supervisor' && <th />}
            </tr>
          </thead>
          <tbody>
            {(agents ?? []).map((agent) => {
              const live = today.get(agent.id);
              const presence = live?.presence ?? agent.presence;
              const since = live?.presenceSince ?? agent.presenceSince;
              return (
                <tr key={agent.id} data-agent-id={agent.id} data-presence={presence}>
                  <td><bdi>{agent.displayName}</bdi></td>
                  <td className="small" data-testid="agent-team-cell">{agent.team ? <bdi>{agent.team}</bdi> : <span className="muted">—</span>}</td>
                  <td>
                    <span className={`presence-chip p-${presence}`}>{t(`status.presence.${presence}`)}</span>
                    {presence !== 'offline' && since && <span className="muted small"> {t('supervisor.since', { time: clock(since, i18n.language) })}</span>}
                  </td>
                  <td data-testid="agent-languages">
                    {agent.languages.map((l) => (
                      <span key={l.code} className="lang-chip" title={t('agents.levelOf', { language: t(`language.${l.code}`), level: t(`agents.level.${l.proficiency}`) })}>
                        <bdi dir="ltr">{l.code.toUpperCase()}&nbsp;{l.proficiency}</bdi>
                      </span>
                    ))}
                  </td>
                  <td className="small">{agent.skills.length === 0 ? '—' : agent.skills.map((s) => <bdi key={s} className="skill-chip">{s}</bdi>)}</td>
                  <td className="num"><bdi>{agent.capacity}</bdi></td>
                  <td className="num"><bdi>{percent(agent.occupancy)}</bdi></td>
                  <td className="num"><bdi dir="ltr">{live ? `${live.savesToday}/${live.callsToday}` : '—'}</bdi></td>
                  <td><LearntChips agent={agent} /></td>
                  {role === 'supervisor' && (
                    <td><button type="button" className="btn btn-ghost btn-small" data-testid="edit-agent" onClick={() => { setSavedName(null); setEditing(agent); }}>{t('agents.edit')}</button></td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted small card-foot">{t('agents.todayHint')}</p>
      {editing && (
        <Drawer onClose={closeEditor} testId="agent-editor" className="drawer-agent">
          <AgentEditor
            agent={editing}
            knownSkills={knownSkills}
            knownTeams={[...new Set((agents ?? []).flatMap((a) => (a.team ? [a.team] : [])))].sort()}
            onClose={closeEditor}
            onSaved={(updated) => {
              setAgents((list) => (list ?? []).map((a) => (a.id === updated.id ? updated : a)));
              setSavedName(updated.displayName);
              setEditing(null);
            }}
          />
        </Drawer>
      )}
    </section>
  );
}
