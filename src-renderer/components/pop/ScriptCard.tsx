import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { PopScript, PopView } from '@shared/contract/pop';
import { RTL_LANGUAGES, type Language } from '@shared/domain/language';
import { percent } from '../../format';
import { scriptAction } from '../../state/actions/calls';
import { chooseOffer } from '../../state/actions/desk';
import { useAppStore } from '../../state/app-store';
import { Card } from './Card';
import { ScriptLine } from './ScriptLine';

/** The step the call is on: what to say, the customer's possible answers, and next / back. */
export function CurrentStep({ script, callId, interactive }: { script: PopScript; callId: string; interactive: boolean }) {
  const { t } = useTranslation();
  const stepId = script.path[script.path.length - 1];
  const here = useRef<HTMLDivElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    // Focus follows the step the agent moved to (N, an answer), not the first paint, where it belongs on Answer.
    if (moved.current) here.current?.focus();
    moved.current = true;
  }, [stepId]);
  const index = script.steps.findIndex((s) => s.id === stepId);
  const step = script.steps[index];
  if (!step) return null;
  if (script.ended) {
    return (
      <div className={`script-ended script-ended-${script.ended.outcome ?? 'none'}`} data-testid="script-ended">
        <p>{t(`playbook.ended.${script.ended.outcome ?? 'none'}`)}</p>
        {interactive && <button type="button" className="btn btn-ghost" onClick={() => void scriptAction(callId, { kind: 'back' })}>{t('playbook.back')}</button>}
      </div>
    );
  }
  return (
    <div className="script-step-current" data-testid="script-current" data-step-id={step.id} ref={here} tabIndex={-1}>
      <div className="script-step-head">
        <span className="pill pill-muted" data-testid="script-position">{t('playbook.stepOf', { n: index + 1, total: script.steps.length })}</span>
        <h3 dir="auto">{step.title}</h3>
      </div>
      <p className="script-say" dir={RTL_LANGUAGES.has(script.spokenLanguage as Language) ? 'rtl' : 'ltr'}>“<ScriptLine parts={step.say} language={script.spokenLanguage} />”</p>
      {step.answers.length > 0 && (
        <div className="script-answers" role="group" aria-label={t('playbook.customerSays')}>
          <span className="script-answers-label">{t('playbook.customerSays')}</span>
          {step.answers.map((answer) => (
            <button
              key={answer.id}
              type="button"
              className={`btn btn-answer${answer.outcome ? ` btn-answer-${answer.outcome}` : ''}`}
              data-testid="script-answer"
              data-answer-id={answer.id}
              disabled={!interactive}
              onClick={() => void scriptAction(callId, { kind: 'answer', answerId: answer.id })}
            >
              <bdi>{answer.label}</bdi>
            </button>
          ))}
        </div>
      )}
      {interactive && (
        <div className="script-nav">
          <button type="button" className="btn btn-ghost" disabled={script.path.length < 2} onClick={() => void scriptAction(callId, { kind: 'back' })}>{t('playbook.back')}</button>
          <button
            type="button"
            className="btn"
            data-testid="script-next"
            data-action="script-next"
            disabled={step.answers.length === 0}
            onClick={() => void scriptAction(callId, { kind: 'next' })}
          >
            {t('playbook.next')}
          </button>
        </div>
      )}
    </div>
  );
}

/** The steps reached so far, then the rest of the script, dimmed. */
function StepTrail({ script }: { script: PopScript }) {
  const current = script.path[script.path.length - 1];
  return (
    <ol className="script-trail" data-testid="script-trail">
      {script.steps.map((step) => {
        const state = step.id === current && !script.ended ? 'current' : script.path.includes(step.id) ? 'done' : 'todo';
        return <li key={step.id} className={`trail-${state}`} data-step-id={step.id} aria-current={state === 'current' ? 'step' : undefined}><bdi>{step.title}</bdi></li>;
      })}
    </ol>
  );
}

export function ScriptCard({ pop, interactive = true }: { pop: PopView; interactive?: boolean }) {
  const { t } = useTranslation();
  const script = pop.script;
  const callId = pop.call.id;
  // The offer the agent is making (1–9 choose it); the wrap-up starts from it.
  const chosen = useAppStore((s) => (s.desk.callId === callId ? s.desk.chosenOfferId : null));
  const switcher = script && script.alternatives.length > 1 ? (
    <label className="script-switch">
      <span className="sr-only">{t('playbook.switchScript')}</span>
      <select
        data-testid="script-switch"
        value={script.scriptId}
        disabled={!interactive}
        title={t('playbook.switchScript')}
        onChange={(e) => void scriptAction(pop.call.id, { kind: 'switch', scriptId: e.target.value })}
      >
        {script.alternatives.map((a) => <option key={a.scriptId} value={a.scriptId}>{a.fits ? a.name : t('playbook.otherScript', { name: a.name })}</option>)}
      </select>
    </label>
  ) : null;
  return (
    <Card title={script ? script.name : t('script.title')} testId="script" className="script" aside={switcher} focusable>
      {script ? (
        <>
          <CurrentStep script={script} callId={pop.call.id} interactive={interactive} />
          <StepTrail script={script} />
        </>
      ) : (
        <p className="muted">—</p>
      )}
      {pop.offers.length > 0 && (
        <div className="offers">
          <h3>{t('script.offers')}</h3>
          <ul data-testid="offers">
            {pop.offers.map((ranked, index) => {
              const isChosen = chosen === ranked.offer.id;
              return (
                <li key={ranked.offer.id} className={`offer${index === 0 ? ' offer-best' : ''}${isChosen ? ' offer-chosen' : ''}`} data-chosen={isChosen || undefined}>
                  <div className="offer-head">
                    <div className="offer-name" dir="auto">{ranked.offer.name}{ranked.recommended && <> <span className="pill pill-ok" data-testid="offer-recommended">{t('verified.recommended')}</span></>}</div>
                    {index < 9 && (
                      <button
                        type="button" className="btn btn-ghost btn-small offer-choose" aria-pressed={isChosen} aria-keyshortcuts={String(index + 1)}
                        title={isChosen ? t('desk.offer.chosenHint') : undefined} onClick={() => chooseOffer(callId, ranked.offer.id)}
                      >
                        {isChosen ? <><span aria-hidden="true">✓ </span>{t('desk.offer.chosen')}</> : t('desk.offer.choose', { key: index + 1 })}
                      </button>
                    )}
                  </div>
                  <div className="offer-desc" dir="auto">{ranked.offer.description}</div>
                  <div className="offer-meta">
                    {t('script.acceptance', { pct: Math.round(ranked.expectedAcceptance * 100) })} ·{' '}
                    {ranked.made > 0 ? t('script.evidence', { accepted: ranked.accepted, made: ranked.made }) : t('script.noEvidence')}
                  </div>
                  <meter min={0} max={1} value={ranked.expectedAcceptance} aria-label={percent(ranked.expectedAcceptance)} />
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </Card>
  );
}
