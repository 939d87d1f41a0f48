import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlaybookProblemView } from '@shared/contract/playbook-http';
import { PLAYBOOK_LANGUAGES, type Playbook, type PlaybookLanguage } from '@shared/domain/playbook';
import { offerIn, scriptView } from '@shared/playbook/scripts';
import { MERGE_FIELDS, textIn, type MergeValues } from '@shared/playbook/text';
import { loadPlaybook, publishPlaybook } from '../../state/actions/playbook';
import { dateTime, money, shortDate } from '../../format';
import { CurrentStep } from '../pop/ScriptCard';
import { offerField, setOfferField, setText, updateScript, updateStep } from './draft';

/** A made-up customer for the preview: merge fields show filled in, and no real customer's data is on screen. */
function sampleValues(draft: Playbook, language: string, name: string): MergeValues {
  const offer = draft.offers[0] ? offerIn(draft.offers[0], language) : null;
  return {
    'customer.firstName': name, 'customer.lastName': 'Cohen', 'customer.fullName': `${name} Cohen`, 'customer.plan': 'Unlimited 40',
    'customer.monthlyCharge': money(89, language), 'customer.tenureMonths': '26', 'customer.contractEnd': shortDate('2027-03-01T00:00:00.000Z', language),
    'offer.name': offer?.name ?? null, 'offer.description': offer?.description ?? null, 'agent.firstName': 'Rachel',
  };
}

function ProblemList({ problems }: { problems: readonly PlaybookProblemView[] }) {
  const { t } = useTranslation();
  return (
    <div className="notice notice-error" role="alert" data-testid="playbook-problems">
      <p>{t('playbook.editor.problems')}</p>
      <ul>
        {problems.map((p, k) => (
          <li key={k}><bdi dir="ltr">{[p.script && `script "${p.script}"`, p.step && `step "${p.step}"`, p.field].filter(Boolean).join(', ')}</bdi>: <bdi dir="ltr">{p.message}</bdi></li>
        ))}
      </ul>
    </div>
  );
}

/** The supervisor's editor: scripts, steps, answers and offers in each language, a live preview, and publishing. */
export function PlaybookEditor({ onPublished }: { onPublished?: () => void }) {
  const { t, i18n } = useTranslation();
  const [published, setPublished] = useState<Playbook | null>(null);
  const [versions, setVersions] = useState<{ version: number; publishedAt: string; publishedBy: string }[]>([]);
  const [draft, setDraft] = useState<Playbook | null>(null);
  const [language, setLanguage] = useState<PlaybookLanguage>(() => (PLAYBOOK_LANGUAGES as readonly string[]).includes(i18n.language) ? (i18n.language as PlaybookLanguage) : 'en');
  const [tab, setTab] = useState<'scripts' | 'offers'>('scripts');
  const [scriptId, setScriptId] = useState<string | null>(null);
  const [stepId, setStepId] = useState<string | null>(null);
  const [problems, setProblems] = useState<PlaybookProblemView[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    const result = await loadPlaybook();
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setPublished(result.value.playbook);
    setVersions(result.value.versions);
    setDraft(result.value.playbook);
    setScriptId((current) => current ?? result.value.playbook?.scripts[0]?.id ?? null);
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);

  const script = draft?.scripts.find((s) => s.id === scriptId) ?? draft?.scripts[0] ?? null;
  const step = script?.steps.find((s) => s.id === stepId) ?? script?.steps[0] ?? null;
  const dirty = useMemo(() => draft !== null && JSON.stringify(draft) !== JSON.stringify(published), [draft, published]);
  const preview = useMemo(() => {
    if (!draft || !script || !step) return null;
    return scriptView(draft, [], { scriptId: script.id, path: [step.id], ended: null }, { ui: language, spoken: language }, sampleValues(draft, language, 'Dana'));
  }, [draft, script, step, language]);

  if (error) return <section className="card"><p className="notice" role="alert">{error}</p></section>;
  if (!draft || !script || !step) return <section className="card"><p className="muted card-body">{published === null ? t('playbook.editor.noPlaybook') : '…'}</p></section>;

  const edit = (next: Playbook): void => {
    setDraft(next);
    setMessage(null);
  };
  const textField = (label: string, value: string, onChange: (v: string) => void, testId: string, multiline = false) => (
    <label className="field">
      <span>{label} <span className="muted small">({t(`language.${language}`)})</span></span>
      {multiline
        ? <textarea dir="auto" lang={language} rows={3} value={value} data-testid={testId} onChange={(e) => onChange(e.target.value)} />
        : <input dir="auto" lang={language} value={value} data-testid={testId} onChange={(e) => onChange(e.target.value)} />}
    </label>
  );

  async function publish(): Promise<void> {
    if (!draft) return;
    setBusy(true);
    setProblems([]);
    setMessage(null);
    const result = await publishPlaybook({ baseVersion: published?.version ?? 0, playbook: draft });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    const answer = result.value;
    if (answer.status === 'invalid') setProblems(answer.problems);
    else if (answer.status === 'conflict') setMessage(t('playbook.editor.conflict', { version: answer.currentVersion }));
    else {
      setMessage(t('playbook.editor.published', { version: answer.playbook.version }));
      await reload();
      onPublished?.();
    }
  }

  const latest = versions[0];
  return (
    <section className="card playbook-editor" data-testid="playbook-editor">
      <header className="card-header">
        <h2>{t('playbook.editor.title')}</h2>
        <span className="pill pill-muted" data-testid="playbook-version">{t('playbook.editor.version', { version: published?.version ?? 0 })}</span>
        {latest && <span className="muted small">{t('playbook.editor.publishedBy', { who: latest.publishedBy, when: dateTime(latest.publishedAt, i18n.language) })}</span>}
        <span className="spacer" />
        <label className="inline-field">
          {t('playbook.editor.language')}{' '}
          <select value={language} data-testid="playbook-language" onChange={(e) => setLanguage(e.target.value as PlaybookLanguage)}>
            {PLAYBOOK_LANGUAGES.map((l) => <option key={l} value={l}>{t(`language.${l}`)}</option>)}
          </select>
        </label>
      </header>
      <div className="card-body">
        <div className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'scripts'} className={tab === 'scripts' ? 'tab tab-on' : 'tab'} onClick={() => setTab('scripts')}>{t('playbook.editor.scripts')}</button>
          <button type="button" role="tab" aria-selected={tab === 'offers'} className={tab === 'offers' ? 'tab tab-on' : 'tab'} onClick={() => setTab('offers')} data-testid="playbook-offers-tab">{t('playbook.editor.offers')}</button>
        </div>
        {tab === 'scripts' ? (
          <div className="pb-grid">
            <nav className="pb-list" aria-label={t('playbook.editor.scripts')}>
              {draft.scripts.map((s) => (
                <button key={s.id} type="button" className={s.id === script.id ? 'pb-item pb-item-on' : 'pb-item'} data-testid="playbook-script" data-script-id={s.id} onClick={() => { setScriptId(s.id); setStepId(null); }}>
                  <bdi>{textIn(s.name, language)}</bdi>
                  <span className="muted small"><bdi>{s.when.drivers?.join(', ') ?? t('playbook.editor.anyCustomer')}{s.when.tiers ? ` · ${s.when.tiers.join(', ')}` : ''}</bdi></span>
                </button>
              ))}
            </nav>
            <div className="pb-steps">
              {textField(t('playbook.editor.scriptName'), script.name[language] ?? '', (v) => edit(updateScript(draft, script.id, (s) => ({ ...s, name: setText(s.name, language, v) }))), 'playbook-script-name')}
              <ol className="pb-step-list">
                {script.steps.map((s) => (
                  <li key={s.id}>
                    <button type="button" className={s.id === step.id ? 'pb-item pb-item-on' : 'pb-item'} data-testid="playbook-step" data-step-id={s.id} onClick={() => setStepId(s.id)}>
                      <bdi>{textIn(s.title, language)}</bdi> <span className="muted small"><bdi dir="ltr">{s.id}</bdi></span>
                    </button>
                  </li>
                ))}
              </ol>
            </div>
            <div className="pb-step-edit" data-testid="playbook-step-editor">
              {textField(t('playbook.editor.stepTitle'), step.title[language] ?? '', (v) => edit(updateStep(draft, script.id, step.id, (s) => ({ ...s, title: setText(s.title, language, v) }))), 'playbook-step-title')}
              {textField(t('playbook.editor.say'), step.say[language] ?? '', (v) => edit(updateStep(draft, script.id, step.id, (s) => ({ ...s, say: setText(s.say, language, v) }))), 'playbook-step-say', true)}
              <p className="muted small">{t('playbook.editor.mergeHint', { fields: '' })}<bdi dir="ltr">{MERGE_FIELDS.map((f) => `{{${f}}}`).join(' ')}</bdi></p>
              <h3>{t('playbook.editor.answers')}</h3>
              {step.answers.map((answer, k) => (
                <div className="pb-answer" key={answer.id}>
                  <input
                    dir="auto" lang={language} aria-label={t('playbook.editor.answerLabel')} value={answer.label[language] ?? ''} data-testid="playbook-answer-label"
                    onChange={(e) => edit(updateStep(draft, script.id, step.id, (s) => ({ ...s, answers: s.answers.map((a, j) => (j === k ? { ...a, label: setText(a.label, language, e.target.value) } : a)) })))}
                  />
                  <label className="inline-field">
                    {t('playbook.editor.leadsTo')}{' '}
                    <select
                      value={answer.next ?? ''}
                      data-testid="playbook-answer-next"
                      onChange={(e) => edit(updateStep(draft, script.id, step.id, (s) => ({
                        ...s,
                        answers: s.answers.map((a, j) => {
                          if (j !== k) return a;
                          const { outcome: _outcome, ...rest } = a;
                          return e.target.value === '' ? { ...a, next: null } : { ...rest, next: e.target.value };
                        }),
                      })))}
                    >
                      {script.steps.map((s) => <option key={s.id} value={s.id}>{textIn(s.title, language)}</option>)}
                      <option value="">{t('playbook.editor.endsScript')}</option>
                    </select>
                  </label>
                  {answer.next === null && answer.outcome && <span className={`pill pill-${answer.outcome}`}>{t(`playbook.editor.outcome.${answer.outcome}`)}</span>}
                </div>
              ))}
            </div>
            <div className="pb-preview" data-testid="playbook-preview">
              <h3>{t('playbook.editor.preview')}</h3>
              <p className="muted small">{t('playbook.editor.previewHint')}</p>
              {preview && <CurrentStep script={preview} callId="preview" interactive={false} />}
            </div>
          </div>
        ) : (
          <table className="table table-compact" data-testid="playbook-offers">
            <thead><tr><th /><th>{t('playbook.editor.offerName')}</th><th>{t('playbook.editor.offerDescription')}</th></tr></thead>
            <tbody>
              {draft.offers.map((offer) => (
                <tr key={offer.id}>
                  <td><bdi dir="ltr" className="muted small">{offer.id}</bdi></td>
                  <td><input dir="auto" lang={language} value={offerField(offer, language, 'name')} data-testid="playbook-offer-name" onChange={(e) => edit(setOfferField(draft, offer.id, language, 'name', e.target.value))} /></td>
                  <td><input dir="auto" lang={language} className="wide" value={offerField(offer, language, 'description')} onChange={(e) => edit(setOfferField(draft, offer.id, language, 'description', e.target.value))} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {problems.length > 0 && <ProblemList problems={problems} />}
        {message && <p className="notice" role="status" data-testid="playbook-message">{message}</p>}
        <div className="pb-actions">
          {dirty && <span className="pill pill-muted" data-testid="playbook-dirty">{t('playbook.editor.edited')}</span>}
          <button type="button" className="btn btn-ghost" disabled={!dirty || busy} onClick={() => { setDraft(published); setProblems([]); }}>{t('playbook.editor.discard')}</button>
          <button type="button" className="btn btn-primary" data-testid="playbook-publish" disabled={!dirty || busy} onClick={() => void publish()}>
            {busy ? t('playbook.editor.publishing') : t('playbook.editor.publish', { version: (published?.version ?? 0) + 1 })}
          </button>
        </div>
      </div>
    </section>
  );
}
