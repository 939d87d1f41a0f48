import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentChangesInput } from '@shared/contract/desktop-api';
import type { AgentRoutingView } from '@shared/contract/server-http';
import { SUPPORTED_LANGUAGES, type Language } from '@shared/domain/language';
import { updateAgent } from '../../state/actions/supervisor';
import { percent } from '../../format';
import { segmentLabel } from './segment-label';

type Section = 'languages' | 'skills' | 'capacity' | 'phoneAddress' | 'team';
const LEVELS = [1, 2, 3, 4, 5] as const;

/** The server names the field it refused ("languages.1.proficiency"); the backend's own check says "agents.update: changes.capacity: …". */
function sectionOf(field: string | undefined, message: string): Section | null {
  const path = field ?? /^[\w.]+: changes\.([\w.]+): /.exec(message)?.[1] ?? '';
  const root = path.split('.')[0];
  return root === 'languages' || root === 'skills' || root === 'capacity' || root === 'phoneAddress' || root === 'team' ? root : null;
}

/** The message is shown beside the field it names, so the field's name is not repeated. */
function cleanMessage(message: string, field: string | undefined): string {
  const withoutBackendPrefix = message.replace(/^[\w.]+: changes\.[\w.]+: /, '');
  return field && withoutBackendPrefix.startsWith(`${field}: `) ? withoutBackendPrefix.slice(field.length + 2) : withoutBackendPrefix;
}

const sameList = (a: readonly unknown[], b: readonly unknown[]): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * A supervisor changes one agent's languages (with proficiency), skills and
 * capacity. The routing server checks the change and takes it into routing
 * at once; a refusal is shown beside the part it names.
 */
export function AgentEditor({ agent, knownSkills, knownTeams, onClose, onSaved }: {
  agent: AgentRoutingView;
  knownSkills: readonly string[];
  /** Teams other agents are in, offered as the agent's (a new name starts a team). */
  knownTeams: readonly string[];
  onClose(): void;
  onSaved(updated: AgentRoutingView): void;
}) {
  const { t } = useTranslation();
  const [languages, setLanguages] = useState(agent.languages.map((l) => ({ ...l })));
  const [skills, setSkills] = useState<string[]>([...agent.skills]);
  const [newSkill, setNewSkill] = useState('');
  const [capacity, setCapacity] = useState(String(agent.capacity));
  const [phone, setPhone] = useState(agent.phoneAddress ?? '');
  const [team, setTeam] = useState(agent.team ?? '');
  const [error, setError] = useState<{ section: Section | null; message: string } | null>(null);
  const [saving, setSaving] = useState(false);

  const skillOptions = [...new Set([...knownSkills, ...skills])].sort();
  const unused = SUPPORTED_LANGUAGES.filter((code) => !languages.some((l) => l.code === code));

  function changes(): AgentChangesInput | null {
    const out: AgentChangesInput = {};
    if (!sameList(languages, agent.languages)) out.languages = languages;
    if (!sameList(skills, agent.skills)) out.skills = skills;
    const cap = Number(capacity);
    if (capacity.trim() === '' || !Number.isInteger(cap)) {
      setError({ section: 'capacity', message: t('agents.capacityInvalid') });
      return null;
    }
    if (cap !== agent.capacity) out.capacity = cap;
    const phoneAddress = phone.trim() === '' ? null : phone.trim();
    if (phoneAddress !== (agent.phoneAddress ?? null)) out.phoneAddress = phoneAddress;
    const newTeam = team.trim() === '' ? null : team.trim();
    if (newTeam !== (agent.team ?? null)) out.team = newTeam;
    return out;
  }

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault();
    setError(null);
    const body = changes();
    if (!body) return;
    if (Object.keys(body).length === 0) {
      onClose();
      return;
    }
    setSaving(true);
    const result = await updateAgent({ agentId: agent.id, changes: body });
    setSaving(false);
    if (result.ok) onSaved(result.value);
    else setError({ section: sectionOf(result.error.field, result.error.message), message: cleanMessage(result.error.message, result.error.field) });
  }

  const errorFor = (section: Section) =>
    error?.section === section ? <p className="field-error" role="alert" data-testid={`agent-error-${section}`}>{t('agents.refused', { message: error.message })}</p> : null;

  return (
    <form className="panel agent-editor" onSubmit={(e) => void save(e)} noValidate>
      <div className="panel-header">
        <h2>{t('agents.editTitle', { name: agent.displayName })}</h2>
        <button type="button" className="btn btn-ghost" onClick={onClose}>{t('agents.cancel')}</button>
      </div>
      <p className="hint">{t('agents.editHint')}</p>

      <fieldset className="editor-section" aria-invalid={error?.section === 'languages'}>
        <legend>{t('agents.languages')}</legend>
        {languages.map((language, index) => (
          <div className="language-row" key={index} data-testid="language-row">
            <select
              aria-label={t('agents.language')}
              name={`language-${index}`}
              value={language.code}
              onChange={(e) => setLanguages(languages.map((l, i) => (i === index ? { ...l, code: e.target.value as Language } : l)))}
            >
              {SUPPORTED_LANGUAGES.map((code) => (
                <option key={code} value={code} disabled={code !== language.code && languages.some((l) => l.code === code)}>{t(`language.${code}`)}</option>
              ))}
            </select>
            <select
              aria-label={t('agents.proficiency')}
              name={`proficiency-${index}`}
              value={language.proficiency}
              onChange={(e) => setLanguages(languages.map((l, i) => (i === index ? { ...l, proficiency: Number(e.target.value) } : l)))}
            >
              {LEVELS.map((level) => <option key={level} value={level}>{t(`agents.level.${level}`)}</option>)}
            </select>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setLanguages(languages.filter((_, i) => i !== index))} aria-label={`${t('agents.remove')} (${t(`language.${language.code}`)})`}>
              {t('agents.remove')}
            </button>
          </div>
        ))}
        {unused[0] && (
          <button type="button" className="btn btn-ghost btn-small" data-testid="add-language" onClick={() => setLanguages([...languages, { code: unused[0] as Language, proficiency: 3 }])}>
            {t('agents.addLanguage')}
          </button>
        )}
        {errorFor('languages')}
      </fieldset>

      <fieldset className="editor-section">
        <legend>{t('agents.skills')}</legend>
        <div className="skill-options">
          {skillOptions.map((skill) => (
            <label key={skill} className="checkbox">
              <input type="checkbox" name={`skill-${skill}`} checked={skills.includes(skill)} onChange={(e) => setSkills(e.target.checked ? [...skills, skill] : skills.filter((s) => s !== skill))} />
              <bdi>{skill}</bdi>
            </label>
          ))}
        </div>
        <div className="language-row">
          <input value={newSkill} onChange={(e) => setNewSkill(e.target.value)} placeholder={t('agents.newSkill')} aria-label={t('agents.newSkill')} name="new-skill" />
          <button type="button" className="btn btn-ghost btn-small" disabled={newSkill.trim() === ''} onClick={() => {
            const skill = newSkill.trim();
            if (skill && !skills.includes(skill)) setSkills([...skills, skill]);
            setNewSkill('');
          }}>{t('agents.addSkill')}</button>
        </div>
        {errorFor('skills')}
      </fieldset>

      <fieldset className="editor-section">
        <legend>{t('agents.capacity')}</legend>
        <label>
          <span className="hint">{t('agents.capacityHint')}</span>
          <input type="number" name="capacity" min={1} max={20} step={1} value={capacity} onChange={(e) => setCapacity(e.target.value)} aria-invalid={error?.section === 'capacity'} className="input-narrow" />
        </label>
        {errorFor('capacity')}
      </fieldset>

      <fieldset className="editor-section">
        <legend>{t('agents.team')}</legend>
        <label>
          <span className="hint">{t('agents.teamHint')}</span>
          <input type="text" name="team" value={team} list="known-teams" maxLength={100} onChange={(e) => setTeam(e.target.value)} aria-invalid={error?.section === 'team'} data-testid="agent-team" />
          <datalist id="known-teams">{knownTeams.map((name) => <option key={name} value={name} />)}</datalist>
        </label>
        {errorFor('team')}
      </fieldset>

      <fieldset className="editor-section">
        <legend>{t('telephony.phone')}</legend>
        <label>
          <span className="hint">{t('telephony.phoneHint')}</span>
          <input type="text" name="phoneAddress" value={phone} placeholder="sip:1001@pbx.example.com" dir="ltr" onChange={(e) => setPhone(e.target.value)} aria-invalid={error?.section === 'phoneAddress'} data-testid="agent-phone" />
        </label>
        {errorFor('phoneAddress')}
      </fieldset>

      {error && error.section === null && <p className="field-error" role="alert" data-testid="agent-error">{t('agents.refused', { message: error.message })}</p>}

      <div className="panel-actions">
        <button type="button" className="btn btn-ghost" onClick={onClose}>{t('agents.cancel')}</button>
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="save-agent">{saving ? t('agents.saving') : t('agents.save')}</button>
      </div>

      <section className="editor-section learnt-section">
        <h3>{t('agents.learntTitle')}</h3>
        <p className="hint">{t('agents.learntHint')}</p>
        {agent.learnt.length === 0 ? <p className="muted small">{t('agents.noLearnt')}</p> : (
          <table className="table table-compact" data-testid="learnt-table">
            <thead><tr><th>{t('agents.segment')}</th><th className="num">{t('agents.learntCalls')}</th><th className="num">{t('agents.estimate')}</th><th className="num">{t('agents.prior')}</th></tr></thead>
            <tbody>
              {[...agent.learnt].sort((a, b) => b.calls - a.calls).map((stat) => (
                <tr key={stat.segment}>
                  <td>{segmentLabel(stat.segment, t)}</td>
                  <td className="num"><bdi>{stat.calls}</bdi></td>
                  <td className="num"><bdi>{percent(stat.estimate)}</bdi></td>
                  <td className="num muted"><bdi>{percent(stat.priorMean)}</bdi></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </form>
  );
}
