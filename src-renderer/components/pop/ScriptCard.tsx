import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { PopView } from '@shared/contract/pop';
import { percent } from '../../format';
import { chooseOffer } from '../../state/actions/desk';
import { useAppStore } from '../../state/app-store';
import { Card } from './Card';

export function ScriptCard({ pop }: { pop: PopView }) {
  const { t } = useTranslation();
  const callId = pop.call.id;
  const best = pop.offers[0];
  const fill = (text: string): string => text.replace('{offer}', best ? best.offer.name.toLowerCase() : '—');
  // The step and offer the agent is on (N and 1–9 move them); a new call starts at the first step.
  const step = useAppStore((s) => (s.desk.callId === callId ? s.desk.scriptStep : 0));
  const chosen = useAppStore((s) => (s.desk.callId === callId ? s.desk.chosenOfferId : null));
  const currentStep = useRef<HTMLLIElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    // Focus follows the step the agent moved to (not the first paint, where focus belongs on Answer).
    if (moved.current) currentStep.current?.focus();
    moved.current = true;
  }, [step]);

  return (
    <Card title={t('script.title')} testId="script" className="script" focusable>
      {pop.script ? (
        <>
          <p className="script-opening" dir="auto">“{pop.script.opening}”</p>
          <ol className="script-steps">
            {pop.script.steps.map((s, index) => (
              <li
                key={s.title}
                ref={index === step ? currentStep : undefined}
                tabIndex={-1}
                aria-current={index === step ? 'step' : undefined}
                data-testid={index === step ? 'script-current-step' : undefined}
              >
                <bdi><strong>{s.title}</strong> <span>{fill(s.say)}</span></bdi>
                {index === step && <span className="sr-only"> ({t('desk.step.current')})</span>}
              </li>
            ))}
          </ol>
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
                    <div className="offer-name" dir="auto">{ranked.offer.name}</div>
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
