import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallPhase } from '@shared/contract/desktop-api';
import type { PopView } from '@shared/contract/pop';
import { bridge } from '../../bridge/bridge';
import { useAppStore } from '../../state/app-store';
import { percent } from '../../format';

function useSecondsLeft(deadline: number, active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [active]);
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

export function CallHeader({ pop, phase }: { pop: PopView; phase: CallPhase }) {
  const { t } = useTranslation();
  const setNotice = useAppStore((s) => s.setNotice);
  const seconds = useSecondsLeft(pop.reservationDeadline, phase === 'offered');
  const name = pop.customer ? `${pop.customer.givenName} ${pop.customer.familyName}` : t('call.unknownCaller');

  async function act(method: 'call.accept' | 'call.reject' | 'call.hangUp'): Promise<void> {
    const result = await bridge.invoke(method, { callId: pop.call.id });
    if (!result.ok) setNotice(result.error.message);
  }

  return (
    <header className={`call-header call-${phase}`}>
      <div className="call-title">
        <span className="call-state">{phase === 'offered' ? t('call.incoming') : phase === 'connected' ? t('call.onCall') : t('call.wrapUp')}</span>
        <h1 data-testid="caller-name">{name}</h1>
        <span className="call-meta">
          <bdi dir="ltr">{pop.call.callerNumber}</bdi> · {t(`language.${pop.call.language}`)} · {t(`intent.${pop.call.intent}`)}
        </span>
        <span className="match" data-testid="match">
          {t('call.matchedBy', { method: pop.match.method, confidence: pop.match.confidence.toFixed(2) })}
        </span>
      </div>
      {pop.match.candidates.length > 1 && (
        <div className="candidates">
          {t('call.pickCandidate')} {pop.match.candidates.map((c) => `${c.name} (${percent(c.confidence)})`).join(', ')}
        </div>
      )}
      <div className="call-actions">
        {phase === 'offered' && (
          <>
            <span className="countdown" aria-live="polite">{t('call.secondsLeft', { count: seconds })}</span>
            <button type="button" className="btn btn-ghost" onClick={() => void act('call.reject')}>{t('call.decline')}</button>
            <button type="button" className="btn btn-accept" onClick={() => void act('call.accept')} autoFocus>{t('call.accept')}</button>
          </>
        )}
        {phase === 'connected' && <button type="button" className="btn btn-danger" onClick={() => void act('call.hangUp')}>{t('call.hangUp')}</button>}
      </div>
    </header>
  );
}
