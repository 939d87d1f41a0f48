import { useTranslation } from 'react-i18next';
import type { CallPhase, CurrentCall } from '@shared/contract/desktop-api';
import type { PopView } from '@shared/contract/pop';
import { OUTREACH_MATCH_METHOD, type OutreachTask } from '@shared/contract/server-socket';
import { callAction } from '../../state/actions/calls';
import { useAppStore } from '../../state/app-store';
import { percent } from '../../format';
import { useSecondsLeft } from '../use-seconds-left';
import { ReasonList } from '../outreach/ReasonList';
import { AGENT_PICK_METHOD } from '@shared/identity/pick';
import { CandidatePicker } from '../identity/CandidatePicker';
import { matchMethodText } from './localise';

type Line = CurrentCall['line'];

export function CallHeader({ pop, phase, outboundTask, line = null }: { pop: PopView; phase: CallPhase; outboundTask: OutreachTask | null; line?: Line }) {
  const { t } = useTranslation();
  const actionError = useAppStore((s) => s.actionError);
  const seconds = useSecondsLeft(pop.reservationDeadline, phase === 'offered');
  const outbound = pop.match.method === OUTREACH_MATCH_METHOD;
  // An outbound customer not yet in this desk's cache (cold sync still running) is named from the task until fetched.
  const name = pop.customer ? `${pop.customer.givenName} ${pop.customer.familyName}` : outboundTask?.customerName ?? t('call.unknownCaller');
  // Unsure who is calling (no pick, or a close second): the agent asks and picks.
  const unsure = !outbound && pop.call.customerId === null && pop.match.candidates.length > 0;
  const others = pop.match.candidates.filter((c) => c.customerId !== pop.call.customerId);
  const state = phase === 'offered' ? t('call.incoming') : phase === 'connected' ? t('call.onCall') : t('call.wrapUp');

  const act = (action: 'accept' | 'reject' | 'hangUp'): Promise<void> => callAction(action, pop.call.id);

  return (
    <header className={`call-header call-${phase}${outbound ? ' call-outbound' : ''}`} data-direction={outbound ? 'outbound' : 'inbound'}>
      <div className="call-title">
        <span className="call-state" data-testid="call-state">
          {outbound && <span className="pill pill-outbound" data-testid="outbound-badge">{t('call.outboundBadge')}</span>} {state}
          {line && <span className={`pill pill-line pill-line-${line.status}`} data-testid="call-line">{lineText(line, t)}</span>}
        </span>
        <h1 data-testid="caller-name">{name}</h1>
        {pop.customer?.accountStatus?.state === 'left' && (
          <span className="pill pill-warn left-badge" data-testid="left-badge">{t('verified.leftBadge', { date: pop.customer.accountStatus.since.slice(0, 10) })}</span>
        )}
        <span className="call-meta">
          {pop.call.callerNumber && <><bdi dir="ltr">{pop.call.callerNumber}</bdi> · </>}
          {t(`language.${pop.call.language}`)} · {outbound ? t('call.outboundPurpose') : t(`intent.${pop.call.intent}`)}
        </span>
        <span className="match" data-testid="match">
          {outbound ? t('call.outboundMatch') : pop.match.method === AGENT_PICK_METHOD ? t('identity.pickedByYou') : t('call.matchedBy', { method: matchMethodText(pop.match.method, (key, options) => t(key, options ?? {})), confidence: pop.match.confidence.toFixed(2) })}
        </span>
        {outboundTask && (
          <span className="outbound-why small" data-testid="outbound-why">
            <span className="why-label">{t('outreach.whyThis')}:</span> <ReasonList reasons={outboundTask.whyThisCustomer} context={outboundTask} compact />
            <br />
            <span className="why-label">{t('outreach.whyNow')}:</span> <ReasonList reasons={outboundTask.whyNow} context={outboundTask} compact />
          </span>
        )}
      </div>
      {unsure && <CandidatePicker pop={pop} />}
      {!unsure && others.length > 0 && (
        <div className="candidates" data-testid="other-candidates">
          {t('identity.alsoPossible')} {others.map((c) => `${c.name} (${percent(c.confidence)})`).join(', ')}
        </div>
      )}
      <div className="call-actions">
        {actionError && <p className="notice" role="alert" data-testid="call-action-error">{actionError}</p>}
        {phase === 'offered' && (
          <>
            <span className="countdown" aria-live="polite">{t('call.secondsLeft', { count: seconds })}</span>
            <button type="button" className="btn btn-ghost" data-action="decline" aria-keyshortcuts="D" onClick={() => void act('reject')}>{t('call.decline')} <kbd aria-hidden="true">D</kbd></button>
            <button type="button" className="btn btn-accept" data-action="answer" aria-keyshortcuts="A" onClick={() => void act('accept')} autoFocus>{t('call.accept')} <kbd aria-hidden="true">A</kbd></button>
          </>
        )}
        {phase === 'connected' && <button type="button" className="btn btn-danger" data-action="hang-up" aria-keyshortcuts="W" onClick={() => void act('hangUp')}>{t('call.hangUp')} <kbd aria-hidden="true">W</kbd></button>}
      </div>
    </header>
  );
}

/** The phone line as the phone system reports it, in the agent's words. */
function lineText(line: NonNullable<Line>, t: (key: string) => string): string {
  if (line.status === 'ringing') return t('telephony.ringingPhone');
  if (line.status === 'connected') return t('telephony.connected');
  if (line.status === 'transferred') return t('telephony.transferredToQueue');
  if (line.status === 'transferred_out') return t('telephony.transferredOut');
  return line.endedBy === 'caller' ? t('telephony.endedByCaller') : line.endedBy === 'agent' ? t('telephony.endedByAgent') : t('telephony.ended');
}
