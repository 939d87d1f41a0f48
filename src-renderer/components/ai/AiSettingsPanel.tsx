import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AiSettingsInput, AiSettingsView, ConnectionTest } from '@shared/contract/desktop-api';
import { aiSettings, saveAiSettings, testAiConnection } from '../../state/actions/ai';
import { failureText } from './failure-text';

const FIELDS = ['baseUrl', 'model', 'apiKey', 'clearKey', 'firstTokenTimeoutMs', 'redactionRegion', 'nationalIdCountries'] as const;
type Field = (typeof FIELDS)[number];

/** The backend answers "method: field: message"; the field decides where the message is shown. */
function fieldOf(message: string): Field | null {
  const match = /^[\w.]+: (\w+)(?:\.\w+)*: /.exec(message);
  const field = match?.[1];
  return (FIELDS as readonly string[]).includes(field ?? '') ? (field as Field) : null;
}

function stripPrefix(message: string): string {
  return message.replace(/^[\w.]+: [\w.]+: /, '');
}

/**
 * Where the brief and the wrap-up draft come from: an OpenAI-compatible
 * endpoint, or nothing (on-device only). The key is write-only here: the
 * backend says whether one is stored, never what it is.
 */
export function AiSettingsPanel({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState<AiSettingsView | null>(null);
  const [baseUrl, setBaseUrl] = useState('');
  const [model, setModel] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [clearKey, setClearKey] = useState(false);
  const [timeoutSeconds, setTimeoutSeconds] = useState('4');
  // Null until loaded: left out of a form saved before then, so the saved choice stays.
  const [region, setRegion] = useState<string | null>(null);
  const [idCountries, setIdCountries] = useState<readonly string[] | null>(null);
  const [errors, setErrors] = useState<{ field: Field | null; message: string } | null>(null);
  const [test, setTest] = useState<ConnectionTest | 'running' | null>(null);
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved'>('idle');

  useEffect(() => {
    void aiSettings().then((result) => {
      if (!result.ok) {
        setErrors({ field: null, message: result.error.message });
        return;
      }
      setSaved(result.value);
      setBaseUrl(result.value.baseUrl);
      setModel(result.value.model);
      setTimeoutSeconds(String(result.value.firstTokenTimeoutMs / 1000));
      setRegion(result.value.redactionRegion);
      setIdCountries(result.value.nationalIdCountries);
    });
  }, []);

  /** The form as the backend takes it; null (with the error shown) when the timeout is not a number. */
  function input(): AiSettingsInput | null {
    const seconds = Number(timeoutSeconds.replace(',', '.'));
    if (timeoutSeconds.trim() === '' || !Number.isFinite(seconds)) {
      setErrors({ field: 'firstTokenTimeoutMs', message: t('settings.timeoutInvalid') });
      return null;
    }
    return {
      baseUrl,
      model,
      firstTokenTimeoutMs: Math.round(seconds * 1000),
      ...(region !== null ? { redactionRegion: region } : {}),
      ...(idCountries !== null ? { nationalIdCountries: [...idCountries] } : {}),
      ...(apiKey.trim() !== '' ? { apiKey } : {}),
      ...(clearKey && apiKey.trim() === '' ? { clearKey: true } : {}),
    };
  }

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault();
    setErrors(null);
    const values = input();
    if (!values) return;
    setStatus('saving');
    const result = await saveAiSettings(values);
    if (!result.ok) {
      setStatus('idle');
      setErrors({ field: fieldOf(result.error.message), message: stripPrefix(result.error.message) });
      return;
    }
    setSaved(result.value);
    setApiKey('');
    setClearKey(false);
    setStatus('saved');
  }

  async function testConnection(): Promise<void> {
    setErrors(null);
    const values = input();
    if (!values) return;
    setTest('running');
    const result = await testAiConnection(values);
    if (!result.ok) {
      setTest(null);
      setErrors({ field: fieldOf(result.error.message), message: stripPrefix(result.error.message) });
      return;
    }
    setTest(result.value);
  }

  const error = (field: Field) =>
    errors?.field === field ? <span className="field-error" role="alert" data-testid={`error-${field}`}>{errors.message}</span> : null;

  return (
    <form className="panel settings" onSubmit={(e) => void save(e)} data-testid="ai-settings-form" noValidate>
      <header className="panel-header">
        <h2>{t('settings.title')}</h2>
        <span className={`pill ${saved?.configured ? 'pill-ai' : 'pill-muted'}`} data-testid="ai-mode">
          {saved?.configured ? t('settings.mode.model', { model: saved.model }) : t('settings.mode.onDevice')}
        </span>
        <button type="button" className="btn btn-ghost" onClick={onClose}>{t('settings.close')}</button>
      </header>
      <p className="muted small">{t('settings.privacy')}</p>

      <label>
        {t('settings.baseUrl')}
        <input name="baseUrl" type="url" dir="ltr" inputMode="url" autoComplete="off" spellCheck={false} placeholder="https://api.openai.com/v1"
          value={baseUrl} onChange={(e) => { setBaseUrl(e.target.value); setStatus('idle'); }} aria-invalid={errors?.field === 'baseUrl'} />
        <span className="hint">{t('settings.baseUrlHint')}</span>
        {error('baseUrl')}
      </label>
      <label>
        {t('settings.model')}
        <input name="model" dir="ltr" autoComplete="off" spellCheck={false} placeholder="gpt-4o-mini" value={model}
          onChange={(e) => { setModel(e.target.value); setStatus('idle'); }} aria-invalid={errors?.field === 'model'} list="ai-models" />
        {test !== null && test !== 'running' && test.ok && (
          <datalist id="ai-models">{test.models.map((m) => <option key={m} value={m} />)}</datalist>
        )}
        {error('model')}
      </label>
      <label>
        {t('settings.apiKey')}
        <input name="apiKey" type="password" dir="ltr" autoComplete="off" spellCheck={false} value={apiKey}
          placeholder={saved?.hasKey ? '••••••••••••' : ''} onChange={(e) => { setApiKey(e.target.value); setStatus('idle'); }} aria-invalid={errors?.field === 'apiKey'} />
        <span className="hint" data-testid="key-state">{saved?.hasKey ? t('settings.keyStored') : t('settings.keyNone')}</span>
        {error('apiKey')}
      </label>
      {saved?.hasKey && (
        <label className="checkbox">
          <input type="checkbox" name="clearKey" checked={clearKey} disabled={apiKey.trim() !== ''} onChange={(e) => { setClearKey(e.target.checked); setStatus('idle'); }} />
          {t('settings.removeKey')}
        </label>
      )}
      <label>
        {t('settings.timeout')}
        <input name="firstTokenTimeout" type="number" min={0.5} max={60} step={0.5} dir="ltr" value={timeoutSeconds}
          onChange={(e) => { setTimeoutSeconds(e.target.value); setStatus('idle'); }} aria-invalid={errors?.field === 'firstTokenTimeoutMs'} />
        <span className="hint">{t('settings.timeoutHint')}</span>
        {error('firstTokenTimeoutMs')}
      </label>
      <label>
        {t('settings.region')}
        <input name="redactionRegion" dir="ltr" autoComplete="off" spellCheck={false} maxLength={2} size={3} value={region ?? ''}
          onChange={(e) => { setRegion(e.target.value.toUpperCase()); setStatus('idle'); }} aria-invalid={errors?.field === 'redactionRegion'} />
        <span className="hint">{t('settings.regionHint')}</span>
        {error('redactionRegion')}
      </label>
      <fieldset data-testid="national-id-countries">
        <legend>{t('settings.nationalIds')}</legend>
        {(saved?.nationalIdCountriesAvailable ?? []).map((country) => (
          <label key={country} className="checkbox">
            <input type="checkbox" name={`nationalId-${country}`} checked={idCountries?.includes(country) ?? false}
              onChange={(e) => { setIdCountries(e.target.checked ? [...(idCountries ?? []), country] : (idCountries ?? []).filter((c) => c !== country)); setStatus('idle'); }} />
            {country}
          </label>
        ))}
        {error('nationalIdCountries')}
      </fieldset>

      {errors && errors.field === null && <p className="form-error" role="alert">{errors.message}</p>}

      <div className="test-row">
        <button type="button" className="btn btn-ghost" data-testid="test-connection" disabled={test === 'running' || baseUrl.trim() === ''} onClick={() => void testConnection()}>
          {test === 'running' ? t('settings.testing') : t('settings.test')}
        </button>
        {test !== null && test !== 'running' && (
          <span className={`test-result ${test.ok ? 'ok' : 'bad'}`} data-testid="test-result" role="status">
            {test.ok
              ? `${t('settings.testOk', { ms: test.latencyMs, count: test.models.length })}${test.modelAvailable === false ? ` ${t('settings.modelMissing', { model })}` : ''}`
              : t('settings.testFailed', { reason: failureText(t, test.failure) })}
          </span>
        )}
      </div>

      <div className="panel-actions">
        {status === 'saved' && <span className="saved-note" role="status" data-testid="settings-saved">{t('settings.saved')}</span>}
        <button type="submit" className="btn btn-primary" data-testid="save-settings" disabled={status === 'saving'}>{t('settings.save')}</button>
      </div>
    </form>
  );
}
