import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PopView } from '@shared/contract/pop';
import type { IdentityCandidate } from '@shared/identity/agent-api';
import { identityCandidates, pickIdentity } from '../../state/actions/identity';
import { percent } from '../../format';

/**
 * "Who is calling?" when the caller's number is not enough: each candidate by
 * name, with what tells them apart (birth year, town, account), how sure the
 * match is and what matched. Picking one binds the call to them.
 */
export function CandidatePicker({ pop }: { pop: PopView }) {
  const { t } = useTranslation();
  const callId = pop.call.id;
  const ids = pop.match.candidates.map((c) => c.customerId).join(',');
  // The pop's names paint at once; the backend's details (fetched if a candidate was not cached) follow.
  const [details, setDetails] = useState<IdentityCandidate[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setDetails(null);
    void identityCandidates(callId).then((result) => {
      if (live && result.ok) setDetails(result.value.candidates);
    });
    return () => {
      live = false;
    };
  }, [callId, ids]);

  async function pick(customerId: string): Promise<void> {
    setBusy(customerId);
    setError(null);
    const result = await pickIdentity(callId, customerId);
    setBusy(null);
    if (!result.ok) setError(result.error.message);
  }

  const rows = pop.match.candidates.map((c) => details?.find((d) => d.customerId === c.customerId) ?? { customerId: c.customerId, name: c.name, accountId: '', city: null, birthYear: null, confidence: c.confidence, matchedOn: [] });
  return (
    <div className="candidate-picker" data-testid="candidate-picker" role="group" aria-label={t('identity.whoIsCalling')}>
      <p className="picker-title">
        <strong>{t('identity.whoIsCalling')}</strong> {t('identity.pickHint', { count: rows.length })}
      </p>
      <ul className="candidate-list">
        {rows.map((c) => {
          const facts = [c.birthYear !== null ? t('identity.born', { year: c.birthYear }) : null, c.city, c.accountId ? t('identity.accountShort', { account: c.accountId }) : null].filter(Boolean);
          const how = c.matchedOn.map((m) => t(`identity.matchedOn.${m}`, { defaultValue: m })).join(' + ');
          return (
            <li key={c.customerId}>
              <button type="button" className="candidate" data-testid="candidate" data-customer-id={c.customerId} disabled={busy !== null} onClick={() => void pick(c.customerId)}>
                <span className="candidate-name"><bdi>{c.name}</bdi></span>
                {facts.length > 0 && <span className="candidate-facts"><bdi>{facts.join(' · ')}</bdi></span>}
                <span className="candidate-match">
                  {how && <span>{t('identity.matchedVia', { how })}</span>}
                  {c.confidence !== null && <span className="candidate-confidence" title={t('identity.confidenceHint')}>{percent(c.confidence)}</span>}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {error && <p className="form-error" role="alert">{error}</p>}
    </div>
  );
}
