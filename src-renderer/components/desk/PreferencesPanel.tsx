import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DENSITIES, THEMES } from '@shared/contract/desktop-api';
import { UI_LANGUAGES } from '../../i18n/i18n';
import { notificationsShownBy, setPreferences } from '../../state/actions/desk';
import { useAppStore } from '../../state/app-store';
import { playRingOnce } from './ringer';

type Permission = NotificationPermission | 'unsupported' | 'native';

function notificationPermission(): Permission {
  if (notificationsShownBy === 'shell') return 'native';
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Theme, density, ring volume, language and notifications: the agent's own, kept for their next sign-in. */
export function PreferencesPanel({ onClose }: { onClose(): void }) {
  const { t, i18n } = useTranslation();
  const prefs = useAppStore((s) => s.preferences.preferences);
  const [error, setError] = useState<string | null>(null);
  const [permission, setPermission] = useState<Permission>(notificationPermission);
  const change = (value: Parameters<typeof setPreferences>[0]): void => {
    void setPreferences(value).then(setError);
  };
  const volumePct = Math.round(prefs.ringVolume * 100);

  return (
    <div className="panel prefs-panel" data-testid="preferences">
      <div className="panel-header">
        <h2>{t('desk.prefs.title')}</h2>
        <button type="button" className="btn btn-ghost" onClick={onClose}>{t('desk.prefs.close')}</button>
      </div>
      <fieldset className="choice-group">
        <legend>{t('desk.prefs.theme')}</legend>
        {THEMES.map((theme) => (
          <label key={theme} className="checkbox">
            <input type="radio" name="theme" value={theme} checked={prefs.theme === theme} onChange={() => change({ theme })} />
            {t(`desk.prefs.themes.${theme}`)}
          </label>
        ))}
      </fieldset>
      <fieldset className="choice-group">
        <legend>{t('desk.prefs.density')}</legend>
        {DENSITIES.map((density) => (
          <label key={density} className="checkbox">
            <input type="radio" name="density" value={density} checked={prefs.density === density} onChange={() => change({ density })} />
            {t(`desk.prefs.densities.${density}`)}
          </label>
        ))}
      </fieldset>
      <div className="ring-row">
        <label htmlFor="ring-volume">{t('desk.prefs.ringVolume')}</label>
        <input
          id="ring-volume" name="ringVolume" type="range" min={0} max={100} step={5} value={volumePct}
          aria-valuetext={volumePct === 0 ? t('desk.prefs.ringOff') : `${volumePct}%`}
          onChange={(e) => change({ ringVolume: Number(e.target.value) / 100 })}
        />
        <output htmlFor="ring-volume" data-testid="ring-volume">{volumePct === 0 ? t('desk.prefs.ringOff') : `${volumePct}%`}</output>
        <button type="button" className="btn btn-ghost btn-small" disabled={volumePct === 0} onClick={() => playRingOnce(prefs.ringVolume)}>{t('desk.prefs.ringTest')}</button>
      </div>
      <label>
        {t('desk.prefs.language')}
        <select name="language" value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
          {UI_LANGUAGES.map((code) => <option key={code} value={code}>{t(`language.${code}`)}</option>)}
        </select>
      </label>
      <div className="notify-row">
        <span className="label-like">{t('desk.prefs.notifications')}</span>
        <span className="hint" data-testid="notification-permission" data-permission={permission}>{t(`desk.prefs.notificationState.${permission}`)}</span>
        {permission === 'default' && (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => void Notification.requestPermission().then(setPermission)}>
            {t('desk.prefs.notificationsAllow')}
          </button>
        )}
      </div>
      {error ? <p className="form-error" role="alert">{error}</p> : <p className="hint">{t('desk.prefs.saved')}</p>}
    </div>
  );
}
