import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerProfile } from '@shared/domain/customer';
import type { IdentityCandidate } from '@shared/identity/agent-api';
import { findIdentities, mergeIdentities } from '../../state/actions/identity';
import type { DoneMessage } from './IdentityPanel';

/** "Merge with…": find the other profile by account, phone or customer id; it is absorbed into this one. */
export function MergePanel({ customer, onDone }: { customer: CustomerProfile; onDone(message: DoneMessage | null): void }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<IdentityCandidate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function search(event: FormEvent): Promise<void> {
    event.preventDefault();
    setError(null);
    const result = await findIdentities(query.trim());
    if (result.ok) setFound(result.value.candidates.filter((c) => c.customerId !== customer.id));
    else setError(result.error.message);
  }

  async function merge(other: IdentityCandidate): Promise<void> {
    setBusy(true);
    setError(null);
    const result = await mergeIdentities([customer.id, other.customerId]);
    setBusy(false);
    if (result.ok) onDone({ key: 'identity.mergeDone', values: { name: other.name } });
    else setError(result.error.message);
  }

  return (
    <div className="identity-form" data-testid="merge-panel">
      <form className="merge-search" onSubmit={(e) => void search(e)}>
        <input name="merge-query" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('identity.mergePlaceholder')} aria-label={t('identity.mergePlaceholder')} dir="auto" />
        <button type="submit" className="btn btn-ghost" disabled={query.trim().length < 2}>{t('identity.search')}</button>
      </form>
      {found && found.length === 0 && <p className="muted">{t('identity.noneFound')}</p>}
      {found && found.length > 0 && (
        <ul className="merge-results">
          {found.map((c) => (
            <li key={c.customerId} className="merge-result">
              <span>
                <bdi>{c.name}</bdi>
                <span className="candidate-facts"><bdi>{[c.birthYear !== null ? t('identity.born', { year: c.birthYear }) : null, c.city, t('identity.accountShort', { account: c.accountId })].filter(Boolean).join(' · ')}</bdi></span>
              </span>
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void merge(c)} data-testid="merge-confirm">{t('identity.mergeConfirm')}</button>
            </li>
          ))}
        </ul>
      )}
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="editor-actions">
        <button type="button" className="btn btn-ghost" onClick={() => onDone(null)}>{t('profile.cancel')}</button>
      </div>
      <p className="hint">{t('identity.mergeHint')}</p>
    </div>
  );
}
