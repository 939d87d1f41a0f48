import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountView } from '@shared/contract/server-http';
import type { Role } from '@shared/domain/agent';
import { SUPPORTED_LANGUAGES, type Language } from '@shared/domain/language';
import { addAccount, listAccounts, resetAccountPassword, setAccountDisabled } from '../state/actions/accounts';
import { useAppStore } from '../state/app-store';

const ROLES: readonly Role[] = ['agent', 'supervisor', 'admin'];
const LEVELS = [1, 2, 3, 4, 5] as const;
type Field = 'username' | 'displayName' | 'role' | 'languages' | 'skills';
const FIELDS: readonly string[] = ['username', 'displayName', 'role', 'languages', 'skills'];

/** The server names the field it refused ("languages.0.proficiency"); the form shows the message there, without the field's name. */
function refusal(error: { message: string; field?: string | undefined }): { field: Field | null; message: string } {
  const root = error.field?.split('.')[0] ?? '';
  const field = FIELDS.includes(root) ? (root as Field) : null;
  const message = error.field && error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
  return { field, message };
}

/** The one-time password, shown once in a modal dialog the admin copies it from. */
function PasswordDialog({ shown, onClose }: { shown: { account: AccountView; oneTimePassword: string; reset: boolean }; onClose(): void }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(shown.oneTimePassword);
      setCopied(true);
    } catch {
      // No clipboard (browser mode over plain http): the password is selected for a manual copy.
      const range = document.createRange();
      const node = document.getElementById('one-time-password');
      if (node) {
        range.selectNodeContents(node);
        window.getSelection()?.removeAllRanges();
        window.getSelection()?.addRange(range);
      }
    }
  }
  return (
    <dialog ref={dialog} className="password-dialog" aria-labelledby="password-dialog-title" data-testid="password-dialog" onClose={onClose}>
      <h2 id="password-dialog-title">{t(shown.reset ? 'accounts.resetTitle' : 'accounts.addedTitle', { name: shown.account.displayName })}</h2>
      <p>{t('accounts.passwordFor', { username: shown.account.username })}</p>
      <p className="one-time-password"><code id="one-time-password" data-testid="one-time-password" dir="ltr">{shown.oneTimePassword}</code></p>
      <p className="notice">{t('accounts.mustChangeNote')}</p>
      <p className="hint">{t('accounts.shownOnce')}</p>
      <div className="panel-actions">
        <button type="button" className="btn btn-ghost" onClick={() => void copy()} data-testid="copy-password">{copied ? t('accounts.copied') : t('accounts.copy')}</button>
        <button type="button" className="btn btn-primary" onClick={() => dialog.current?.close()} data-testid="close-password">{t('accounts.done')}</button>
      </div>
      <p className="sr-only" role="status">{copied ? t('accounts.copied') : ''}</p>
    </dialog>
  );
}

function AddAccountForm({ onAdded }: { onAdded(added: { account: AccountView; oneTimePassword: string }): void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [languages, setLanguages] = useState<Array<{ code: Language; proficiency: number }>>([{ code: 'en', proficiency: 5 }]);
  const [skills, setSkills] = useState('');
  const [error, setError] = useState<{ field: Field | null; message: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const unused = SUPPORTED_LANGUAGES.filter((code) => !languages.some((l) => l.code === code));

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setError(null);
    setSaving(true);
    const result = await addAccount({
      username: username.trim(), displayName: displayName.trim(), role, languages,
      skills: skills.split(',').map((s) => s.trim()).filter((s) => s !== ''),
    });
    setSaving(false);
    if (!result.ok) {
      setError(refusal(result.error));
      return;
    }
    setUsername('');
    setDisplayName('');
    setRole('agent');
    setLanguages([{ code: 'en', proficiency: 5 }]);
    setSkills('');
    onAdded(result.value);
  }

  const errorId = (field: Field) => `account-error-${field}`;
  const errorFor = (field: Field) =>
    error?.field === field ? <p className="field-error" id={errorId(field)} role="alert" data-testid={errorId(field)}>{error.message}</p> : null;
  const invalid = (field: Field) => (error?.field === field ? { 'aria-invalid': true, 'aria-describedby': errorId(field) } : {});

  return (
    <form className="panel account-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="add-account-title" data-testid="add-account">
      <h2 id="add-account-title">{t('accounts.addTitle')}</h2>
      <label className="account-field">
        <span>{t('accounts.username')}</span>
        <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" spellCheck={false} dir="ltr" {...invalid('username')} />
        <span className="hint">{t('accounts.usernameHint')}</span>
      </label>
      {errorFor('username')}
      <label className="account-field">
        <span>{t('accounts.displayName')}</span>
        <input name="displayName" value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="off" {...invalid('displayName')} />
      </label>
      {errorFor('displayName')}
      <label className="account-field">
        <span>{t('accounts.role')}</span>
        <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)} {...invalid('role')}>
          {ROLES.map((r) => <option key={r} value={r}>{t(`accounts.roles.${r}`)}</option>)}
        </select>
      </label>
      {errorFor('role')}
      <fieldset className="editor-section" {...invalid('languages')}>
        <legend>{t('accounts.languages')}</legend>
        {languages.map((language, index) => (
          <div className="language-row" key={index}>
            <select aria-label={t('accounts.language')} name={`language-${index}`} value={language.code}
              onChange={(e) => setLanguages(languages.map((l, i) => (i === index ? { ...l, code: e.target.value as Language } : l)))}>
              {SUPPORTED_LANGUAGES.map((code) => (
                <option key={code} value={code} disabled={code !== language.code && languages.some((l) => l.code === code)}>{t(`language.${code}`)}</option>
              ))}
            </select>
            <select aria-label={t('accounts.proficiency')} name={`proficiency-${index}`} value={language.proficiency}
              onChange={(e) => setLanguages(languages.map((l, i) => (i === index ? { ...l, proficiency: Number(e.target.value) } : l)))}>
              {LEVELS.map((level) => <option key={level} value={level}>{t(`accounts.level.${level}`)}</option>)}
            </select>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setLanguages(languages.filter((_, i) => i !== index))}
              aria-label={`${t('accounts.remove')} (${t(`language.${language.code}`)})`}>{t('accounts.remove')}</button>
          </div>
        ))}
        {unused[0] && (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setLanguages([...languages, { code: unused[0] as Language, proficiency: 3 }])}>{t('accounts.addLanguage')}</button>
        )}
        {errorFor('languages')}
      </fieldset>
      <label className="account-field">
        <span>{t('accounts.skills')}</span>
        <input name="skills" value={skills} onChange={(e) => setSkills(e.target.value)} autoComplete="off" {...invalid('skills')} />
        <span className="hint">{t('accounts.skillsHint')}</span>
      </label>
      {errorFor('skills')}
      {error && error.field === null && <p className="field-error" role="alert" data-testid="account-error">{t('accounts.refused', { message: error.message })}</p>}
      <div className="panel-actions">
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="submit-account">{saving ? t('accounts.adding') : t('accounts.add')}</button>
      </div>
    </form>
  );
}

/** Admins: every account, adding one, disabling and enabling, and one-time password resets. */
export function AccountsScreen() {
  const { t } = useTranslation();
  const me = useAppStore((s) => s.session?.user?.username ?? null);
  const [accounts, setAccounts] = useState<AccountView[] | null>(null);
  // Kept as a key and its values, so it follows a change of UI language.
  const [message, setMessage] = useState<{ key: string; values: Record<string, string>; error: boolean } | null>(null);
  const [shown, setShown] = useState<{ account: AccountView; oneTimePassword: string; reset: boolean } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await listAccounts();
    if (result.ok) setAccounts([...result.value.users].sort((a, b) => a.username.localeCompare(b.username)));
    else setMessage({ key: 'accounts.loadFailed', values: { message: result.error.message }, error: true });
  }, [t]);
  useEffect(() => {
    void load();
  }, [load]);

  async function toggle(account: AccountView): Promise<void> {
    setBusy(account.username);
    const result = await setAccountDisabled(account.username, !account.disabled);
    setBusy(null);
    if (!result.ok) {
      setMessage({ key: 'accounts.refused', values: { message: result.error.message }, error: true });
      return;
    }
    setMessage({ key: result.value.disabled ? 'accounts.disabledNote' : 'accounts.enabledNote', values: { name: account.displayName }, error: false });
    void load();
  }

  async function reset(account: AccountView): Promise<void> {
    setBusy(account.username);
    const result = await resetAccountPassword(account.username);
    setBusy(null);
    if (!result.ok) {
      setMessage({ key: 'accounts.refused', values: { message: result.error.message }, error: true });
      return;
    }
    setMessage(null);
    setShown({ ...result.value, reset: true });
    void load();
  }

  return (
    <section className="accounts" aria-labelledby="accounts-title">
      <div className="panel accounts-list">
        <div className="panel-header">
          <h1 id="accounts-title">{t('accounts.title')}</h1>
        </div>
        <p className="hint">{t('accounts.hint')}</p>
        <div role="status" aria-live="polite">
          {message && <p className={message.error ? 'field-error' : 'notice notice-ok'} data-testid="accounts-message">{t(message.key, message.values)}</p>}
        </div>
        {accounts === null ? <p className="muted">{t('accounts.loading')}</p> : (
          <div className="table-scroll">
            <table className="table accounts-table" data-testid="accounts-table">
              <thead>
                <tr>
                  <th scope="col">{t('accounts.name')}</th>
                  <th scope="col">{t('accounts.username')}</th>
                  <th scope="col">{t('accounts.role')}</th>
                  <th scope="col">{t('accounts.status')}</th>
                  <th scope="col"><span className="sr-only">{t('accounts.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {accounts.map((account) => (
                  <tr key={account.id} data-testid={`account-${account.username}`} data-disabled={account.disabled}>
                    <td><bdi>{account.displayName}</bdi></td>
                    <td><bdi dir="ltr">{account.username}</bdi></td>
                    <td>{t(`accounts.roles.${account.role}`)}</td>
                    <td>
                      <span className={account.disabled ? 'pill pill-muted' : 'pill'} data-testid="account-status">
                        <span aria-hidden="true">{account.disabled ? '⊘ ' : '✓ '}</span>{t(account.disabled ? 'accounts.disabled' : 'accounts.active')}
                      </span>
                      {account.mustChangePassword && <span className="hint account-must-change">{t('accounts.mustChange')}</span>}
                    </td>
                    <td className="account-actions">
                      {/* Each accessible name starts with the words on the button (WCAG 2.5.3, label in name). */}
                      <button type="button" className="btn btn-ghost btn-small"
                        disabled={busy !== null || account.username === me} title={account.username === me ? t('accounts.notSelf') : undefined}
                        onClick={() => void toggle(account)} data-testid={account.disabled ? 'enable-account' : 'disable-account'}
                        aria-label={`${t(account.disabled ? 'accounts.enable' : 'accounts.disable')} (${account.displayName})`}>
                        {t(account.disabled ? 'accounts.enable' : 'accounts.disable')}
                      </button>
                      <button type="button" className="btn btn-ghost btn-small" disabled={busy !== null} onClick={() => void reset(account)}
                        data-testid="reset-password" aria-label={`${t('accounts.reset')} (${account.displayName})`}>
                        {t('accounts.reset')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <AddAccountForm onAdded={(added) => {
        setMessage(null);
        setShown({ ...added, reset: false });
        void load();
      }} />
      {shown && <PasswordDialog shown={shown} onClose={() => setShown(null)} />}
    </section>
  );
}
