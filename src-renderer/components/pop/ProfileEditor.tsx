import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerProfile } from '@shared/domain/customer';
import { SUPPORTED_LANGUAGES, type Language } from '@shared/domain/language';
import { editCustomer } from '../../state/actions/customers';

/** Corrections an agent can make mid-call; each field syncs on its own (last writer wins). */
export function ProfileEditor({ customer, onDone }: { customer: CustomerProfile; onDone(): void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState(customer.email ?? '');
  const [language, setLanguage] = useState<Language>(customer.language);
  const [doNotCall, setDoNotCall] = useState(customer.doNotCall);
  const [error, setError] = useState<string | null>(null);

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault();
    const edits: { field: 'email' | 'language' | 'doNotCall'; value: unknown }[] = [];
    const trimmed = email.trim().toLowerCase();
    if (trimmed !== (customer.email ?? '')) edits.push({ field: 'email', value: trimmed === '' ? null : trimmed });
    if (language !== customer.language) edits.push({ field: 'language', value: language });
    if (doNotCall !== customer.doNotCall) edits.push({ field: 'doNotCall', value: doNotCall });
    for (const edit of edits) {
      const result = await editCustomer({ customerId: customer.id, ...edit });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
    }
    onDone();
  }

  return (
    <form className="profile-editor" onSubmit={(e) => void save(e)} data-testid="profile-editor">
      <label>{t('profile.email')}<input name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} /></label>
      <label>
        {t('call.language')}
        <select name="language" value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
          {SUPPORTED_LANGUAGES.map((code) => <option key={code} value={code}>{t(`language.${code}`)}</option>)}
        </select>
      </label>
      <label className="checkbox"><input name="doNotCall" type="checkbox" checked={doNotCall} onChange={(e) => setDoNotCall(e.target.checked)} /> {t('profile.doNotCall')}</label>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="editor-actions">
        <button type="button" className="btn btn-ghost" onClick={onDone}>{t('profile.cancel')}</button>
        <button type="submit" className="btn btn-primary">{t('profile.save')}</button>
      </div>
    </form>
  );
}
