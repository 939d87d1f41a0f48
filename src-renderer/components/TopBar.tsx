import { useTranslation } from 'react-i18next';
import type { Agent } from '@shared/domain/agent';
import { call } from '../bridge/bridge';
import { UI_LANGUAGES } from '../i18n/i18n';
import { useAppStore } from '../state/app-store';
import { ConnectionBadge } from './ConnectionBadge';

export function TopBar({ user }: { user: Agent }) {
  const { t, i18n } = useTranslation();
  const status = useAppStore((s) => s.status);
  const phase = useAppStore((s) => s.phase);
  const presence = status.presence;
  const canToggle = user.role === 'agent' && (presence === 'available' || presence === 'away') && phase === null;

  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">◆</span> {t('app.name')}
      </div>
      {user.role === 'agent' && (
        <div className="presence" data-presence={presence}>
          <span className="presence-dot" aria-hidden="true" />
          <span className="presence-label">{t(`status.presence.${presence}`, { defaultValue: presence })}</span>
          {canToggle && (
            <button
              type="button"
              className={presence === 'available' ? 'btn btn-ghost' : 'btn btn-primary'}
              onClick={() => void call('presence.set', { presence: presence === 'available' ? 'away' : 'available' })}
            >
              {presence === 'available' ? t('status.goAway') : t('status.goReady')}
            </button>
          )}
        </div>
      )}
      <ConnectionBadge status={status} />
      <div className="topbar-spacer" />
      <select className="lang-select" aria-label="UI language" value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
        {UI_LANGUAGES.map((code) => (
          <option key={code} value={code}>{code.toUpperCase()}</option>
        ))}
      </select>
      <span className="user-name">{user.displayName}</span>
      <button type="button" className="btn btn-ghost" onClick={() => void call('session.logout', {})}>
        {t('status.signOut')}
      </button>
    </header>
  );
}
