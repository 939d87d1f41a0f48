import { useTranslation } from 'react-i18next';
import { useAppStore } from '../state/app-store';
import { CallPop } from '../components/pop/CallPop';

export function AgentScreen() {
  const { t } = useTranslation();
  const pop = useAppStore((s) => s.pop);
  const phase = useAppStore((s) => s.phase);
  const presence = useAppStore((s) => s.status.presence);
  const notice = useAppStore((s) => s.notice);
  const lastSaved = useAppStore((s) => s.lastSavedCallId);

  if (pop && phase) return <CallPop pop={pop} phase={phase} />;
  const ready = presence === 'available';
  return (
    <section className="idle" data-testid="idle">
      <div className={`idle-card ${ready ? 'idle-ready' : ''}`}>
        <h1>{ready ? t('idle.readyTitle') : t('idle.awayTitle')}</h1>
        <p className="muted">{ready ? t('idle.readyHint') : t('idle.awayHint')}</p>
        {notice && <p className="notice" role="status">{t(`idle.${notice}`)}</p>}
        {!notice && lastSaved && <p className="notice notice-ok" role="status" data-testid="wrapup-saved">{t('idle.saved')}</p>}
      </div>
    </section>
  );
}
