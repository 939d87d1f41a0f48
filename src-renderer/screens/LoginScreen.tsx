import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionState } from '@shared/contract/desktop-api';
import { changePassword, login, loginWithProvider, takeProviderReturn } from '../state/actions/session';

export function LoginScreen({ session }: { session: SessionState }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Waiting for the system browser to come back from the identity provider (Electron). */
  const [inBrowser, setInBrowser] = useState(false);
  /** The server wants a new password (a one-time one was given) before it signs this user in. */
  const [mustChange, setMustChange] = useState(false);
  const [newPassword, setNewPassword] = useState('');

  async function signIn(user: string, pass: string): Promise<void> {
    setBusy(true);
    setError(null);
    const result = mustChange ? await changePassword(user, pass, newPassword) : await login(user, pass);
    setBusy(false);
    if (result.ok) return;
    if (result.error.code === 'password_change_required') setMustChange(true);
    else setError(t('login.failed', { message: result.error.message }));
  }

  // Back from the identity provider (browser mode): the one-time code signs in, a refusal is shown.
  useEffect(() => {
    const pending = takeProviderReturn();
    if (!pending) return;
    setBusy(true);
    void pending.then((result) => {
      setBusy(false);
      if (!result.ok) setError(t('login.failed', { message: result.error.message }));
    });
  }, [t]);

  async function signInWithProvider(via: NonNullable<SessionState['provider']>['via']): Promise<void> {
    // The system browser may be closed without an answer: the form stays usable while it is waited for.
    const setWaiting = via === 'system-browser' ? setInBrowser : setBusy;
    setWaiting(true);
    setError(null);
    const result = await loginWithProvider(via);
    // Browser mode: the page is on its way to the provider.
    if (result.ok && via === 'page') return;
    setWaiting(false);
    if (!result.ok) setError(t('login.failed', { message: result.error.message }));
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    void signIn(username.trim(), password);
  }

  const provider = session.provider;
  return (
    <div className="login">
      <div className="login-card">
        <h1 className="login-brand"><span className="brand-mark" aria-hidden="true">◆</span> {t('app.name')}</h1>
        <p className="login-tagline">{t('app.tagline')}</p>
        <form onSubmit={submit} className="login-form">
          <label>
            {t('login.username')}
            <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
          </label>
          <label>
            {t('login.password')}
            <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          {mustChange && (
            <>
              <p className="muted small" data-testid="must-change-password">{t('login.mustChange')}</p>
              <label>
                {t('login.newPassword')}
                <input name="newPassword" type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNewPassword(e.target.value)} />
              </label>
            </>
          )}
          {error && <p className="form-error" role="alert">{error}</p>}
          {!error && session.signedOutReason && <p className="form-error" role="alert" data-testid="signed-out-reason">{session.signedOutReason}</p>}
          <button className="btn btn-primary btn-wide" type="submit" disabled={busy || !username || !password || (mustChange && !newPassword)}>{mustChange ? t('login.changeSubmit') : t('login.submit')}</button>
          {provider && (
            <button type="button" className="btn btn-wide" data-testid="sign-in-with-provider" disabled={busy} onClick={() => void signInWithProvider(provider.via)}>
              {t('login.provider', { label: provider.label })}
            </button>
          )}
          {inBrowser && <p className="muted small" data-testid="provider-waiting">{t('login.providerWaiting')}</p>}
          <p className="muted small">{t('login.server')}: {session.serverUrl}</p>
        </form>
        {session.demoUsers.length > 0 && (
          <section className="demo-users" aria-label={t('login.demoUsers')}>
            <h2>{t('login.demoUsers')}</h2>
            <ul>
              {[...session.demoUsers].sort((a, b) => (a.role === b.role ? 0 : a.role === 'supervisor' ? -1 : 1)).map((user) => (
                <li key={user.username}>
                  <button type="button" className="demo-user" data-username={user.username} disabled={busy} onClick={() => void signIn(user.username, user.password)}>
                    <span className="demo-name">{user.displayName}</span>
                    <span className="demo-meta">
                      {user.role === 'supervisor' ? t('login.supervisor') : t('login.agent')} · {user.languages.map((l) => l.toUpperCase()).join(' ')}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </div>
  );
}
