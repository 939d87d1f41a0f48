import { useTranslation } from 'react-i18next';
import type { PopView } from '@shared/contract/pop';
import { percent } from '../../format';
import { Card } from './Card';

export function ScriptCard({ pop }: { pop: PopView }) {
  const { t } = useTranslation();
  const best = pop.offers[0];
  const fill = (text: string): string => text.replace('{offer}', best ? best.offer.name.toLowerCase() : '—');
  return (
    <Card title={t('script.title')} testId="script" className="script">
      {pop.script ? (
        <>
          <p className="script-opening" dir="auto">“{pop.script.opening}”</p>
          <ol className="script-steps">
            {pop.script.steps.map((step) => (
              <li key={step.title}>
                <bdi><strong>{step.title}</strong> <span>{fill(step.say)}</span></bdi>
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
            {pop.offers.map((ranked, index) => (
              <li key={ranked.offer.id} className={index === 0 ? 'offer offer-best' : 'offer'}>
                <div className="offer-name" dir="auto">{ranked.offer.name}{ranked.recommended && <> <span className="pill pill-ok" data-testid="offer-recommended">{t('verified.recommended')}</span></>}</div>
                <div className="offer-desc" dir="auto">{ranked.offer.description}</div>
                <div className="offer-meta">
                  {t('script.acceptance', { pct: Math.round(ranked.expectedAcceptance * 100) })} ·{' '}
                  {ranked.made > 0 ? t('script.evidence', { accepted: ranked.accepted, made: ranked.made }) : t('script.noEvidence')}
                </div>
                <meter min={0} max={1} value={ranked.expectedAcceptance} aria-label={percent(ranked.expectedAcceptance)} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
