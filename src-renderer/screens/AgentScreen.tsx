import { useTranslation } from 'react-i18next';
import { endNotice, selectCurrentCall, selectLastSavedCallId, useAppStore } from '../state/app-store';
import { CallPop } from '../components/pop/CallPop';
import { OutreachCard } from '../components/outreach/OutreachCard';
import { OutreachList } from '../components/outreach/OutreachList';
import { CallAttention } from '../components/desk/CallAttention';

export function AgentScreen() {
  const { t } = useTranslation();
  const current = useAppStore(selectCurrentCall);
  const presence = useAppStore((s) => s.status.presence);
  const ended = useAppStore((s) => endNotice(s.call.last));
  const actionError = useAppStore((s) => s.actionError);
  const notice = ended ?? actionError;
  const noticeText = notice === 'phoneNoAnswer' ? t('telephony.phoneNoAnswer') : notice ? t(`idle.${notice}`, { defaultValue: notice }) : null;
  const lastSaved = useAppStore(selectLastSavedCallId);
  const outreach = useAppStore((s) => s.outreach.open);
  const outreachNotice = useAppStore((s) => s.outreach.notice);

  const ready = presence === 'available';
  // The announcer stays mounted from ring to idle, so screen readers hear each change.
  return (
    <>
      <CallAttention />
      {current ? <CallPop current={current} /> : (
        <div className="agent-idle">
          <section className="idle" data-testid="idle">
            {ready && outreach ? (
              <div className="idle-stack">
                {/* The saved wrap-up is confirmed even when the next preview is already here. */}
                {noticeText && <p className="notice" role="status">{noticeText}</p>}
                {!notice && lastSaved && <p className="notice notice-ok" role="status" data-testid="wrap-up-saved" tabIndex={-1} data-focus-start>{t('idle.saved')}</p>}
                <OutreachCard key={outreach.taskId} task={outreach} />
              </div>
            ) : (
              <div className={`idle-card ${ready ? 'idle-ready' : ''}`}>
                <h1 tabIndex={-1} data-focus-start>{ready ? t('idle.readyTitle') : t('idle.awayTitle')}</h1>
                <p className="muted">{ready ? t('idle.readyHint') : t('idle.awayHint')}</p>
                {noticeText && <p className="notice" role="status">{noticeText}</p>}
                {!notice && ready && outreachNotice === 'lapsed' && <p className="notice" role="status" data-testid="outreach-lapsed">{t('outreach.lapsed')}</p>}
                {!notice && outreachNotice === null && lastSaved && <p className="notice notice-ok" role="status" data-testid="wrap-up-saved">{t('idle.saved')}</p>}
              </div>
            )}
          </section>
          <OutreachList />
        </div>
      )}
    </>
  );
}
