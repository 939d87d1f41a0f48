import { useTranslation } from 'react-i18next';
import type { Agent } from '@shared/domain/agent';
import { logout, setPresence } from '../state/actions/session';
import { UI_LANGUAGES } from '../i18n/i18n';
import { openOverlay, useAppStore } from '../state/app-store';
import { openShortcuts } from '../state/actions/desk';
import { ConnectionBadge } from './ConnectionBadge';

/** Drawn, not a font glyph: emoji and symbol fonts are not on every agent's desktop. */
function EyeIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
      <circle cx="12" cy="12" r="3" />
    </svg>
  );
}

function GearIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <circle cx="12" cy="12" r="3" />
      <path d="M19.4 15a1.65 1.65 0 0 0 .33 1.82l.06.06a2 2 0 1 1-2.83 2.83l-.06-.06a1.65 1.65 0 0 0-1.82-.33 1.65 1.65 0 0 0-1 1.51V21a2 2 0 1 1-4 0v-.09a1.65 1.65 0 0 0-1-1.51 1.65 1.65 0 0 0-1.82.33l-.06.06a2 2 0 1 1-2.83-2.83l.06-.06a1.65 1.65 0 0 0 .33-1.82 1.65 1.65 0 0 0-1.51-1H3a2 2 0 1 1 0-4h.09a1.65 1.65 0 0 0 1.51-1 1.65 1.65 0 0 0-.33-1.82l-.06-.06a2 2 0 1 1 2.83-2.83l.06.06a1.65 1.65 0 0 0 1.82.33h0a1.65 1.65 0 0 0 1-1.51V3a2 2 0 1 1 4 0v.09a1.65 1.65 0 0 0 1 1.51h0a1.65 1.65 0 0 0 1.82-.33l.06-.06a2 2 0 1 1 2.83 2.83l-.06.06a1.65 1.65 0 0 0-.33 1.82v0a1.65 1.65 0 0 0 1.51 1H21a2 2 0 1 1 0 4h-.09a1.65 1.65 0 0 0-1.51 1z" />
    </svg>
  );
}

/** Display and sound: a half-filled circle (light and dark). */
function LookIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2">
      <circle cx="12" cy="12" r="9" />
      <path d="M12 3a9 9 0 0 1 0 18z" fill="currentColor" />
    </svg>
  );
}

export function TopBar({ user }: { user: Agent }) {
  const { t, i18n } = useTranslation();
  const status = useAppStore((s) => s.status);
  const phase = useAppStore((s) => s.call.current?.phase ?? null);
  
  const overlay = useAppStore((s) => s.overlay);
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
              onClick={() => setPresence(presence === 'available' ? 'away' : 'available')}
            >
              {presence === 'available' ? t('status.goAway') : t('status.goReady')}
            </button>
          )}
        </div>
      )}
      <ConnectionBadge status={status} />
      <div className="topbar-spacer" />
      <select className="lang-select" aria-label={t('desk.prefs.language')} value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
        {UI_LANGUAGES.map((code) => (
          <option key={code} value={code}>{code.toUpperCase()}</option>
        ))}
      </select>
      <button type="button" className="btn btn-ghost btn-icon-text" data-testid="open-ai-audit" aria-pressed={overlay === 'audit'} onClick={() => openOverlay(overlay === 'audit' ? null : 'audit')}>
        <EyeIcon /> {t('audit.open')}
      </button>
      <button type="button" className="btn btn-ghost btn-icon" data-testid="open-preferences" aria-label={t('desk.prefs.open')} title={t('desk.prefs.open')} aria-pressed={overlay === 'preferences'} onClick={() => openOverlay(overlay === 'preferences' ? null : 'preferences')}>
        <LookIcon />
      </button>
      {user.role === 'agent' && (
        <button type="button" className="btn btn-ghost btn-icon" data-testid="open-shortcuts" aria-label={t('desk.shortcuts.open')} title={t('desk.shortcuts.open')} aria-keyshortcuts="Shift+?" onClick={() => openShortcuts(true)}>
          <span aria-hidden="true">?</span>
        </button>
      )}
      <button type="button" className="btn btn-ghost btn-icon" data-testid="open-settings" aria-label={t('settings.open')} title={t('settings.open')} aria-pressed={overlay === 'settings'} onClick={() => openOverlay(overlay === 'settings' ? null : 'settings')}>
        <GearIcon />
      </button>
      <span className="user-name">{user.displayName}</span>
      <button type="button" className="btn btn-ghost" data-testid="sign-out" onClick={() => logout()}>
        {t('status.signOut')}
      </button>
    </header>
  );
}
