import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerProfile } from '@shared/domain/customer';
import type { IdentitySourceRecord } from '@shared/identity/agent-api';
import { identityRecords, splitIdentity } from '../../state/actions/identity';
import { percent, shortDate } from '../../format';
import type { DoneMessage } from './IdentityPanel';
import { sourceLabel } from './lineage';

/** "Not the same person?": tick the source records that are someone else; they leave the profile for good. */
export function SplitPanel({ customer, onDone }: { customer: CustomerProfile; onDone(message: DoneMessage | null): void }) {
  const { t, i18n } = useTranslation();
  const [records, setRecords] = useState<IdentitySourceRecord[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void identityRecords(customer.id).then((result) => {
      if (!live) return;
      if (result.ok) setRecords(result.value.records);
      else setError(result.error.message);
    });
    return () => {
      live = false;
    };
  }, [customer.id]);

  const key = (r: IdentitySourceRecord): string => `${r.source}:${r.recordId}`;
  const confidence = (r: IdentitySourceRecord): number | undefined => customer.identity?.links.find((l) => l.source === r.source && l.recordId === r.recordId)?.confidence;
  const toggle = (id: string): void => setChosen((before) => {
    const next = new Set(before);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
  const total = records?.length ?? 0;
  const valid = chosen.size > 0 && chosen.size < total;

  async function split(): Promise<void> {
    setBusy(true);
    setError(null);
    const result = await splitIdentity({ customerId: customer.id, recordIds: [...chosen] });
    setBusy(false);
    if (result.ok) onDone({ key: 'identity.splitDone', values: { count: chosen.size } });
    else setError(result.error.message);
  }

  return (
    <div className="identity-form" data-testid="split-panel">
      <p className="identity-form-title">{t('identity.splitTitle')}</p>
      {records === null && !error && <p className="muted">{t('identity.loading')}</p>}
      {records && (
        <ul className="split-records">
          {records.map((r) => {
            const id = key(r);
            const sure = confidence(r);
            const facts = [r.dateOfBirth ? shortDate(r.dateOfBirth, i18n.language) : null, r.city, r.email].filter(Boolean).join(' · ');
            return (
              <li key={id}>
                <label className={`split-record${chosen.has(id) ? ' split-chosen' : ''}`}>
                  <input type="checkbox" checked={chosen.has(id)} onChange={() => toggle(id)} data-testid="split-record" data-record={id} />
                  <span className="split-body">
                    <span className="split-head">
                      <span className="link-source">{sourceLabel(r.source)}</span> <bdi>{r.name || t('identity.noName')}</bdi>
                      {sure !== undefined && <span className="link-confidence">{percent(sure)}</span>}
                    </span>
                    {facts && <span className="split-facts"><bdi dir="auto">{facts}</bdi></span>}
                  </span>
                </label>
              </li>
            );
          })}
        </ul>
      )}
      {chosen.size > 0 && chosen.size === total && <p className="form-error">{t('identity.splitAll')}</p>}
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="editor-actions">
        <button type="button" className="btn btn-ghost" onClick={() => onDone(null)}>{t('profile.cancel')}</button>
        <button type="button" className="btn btn-primary" disabled={!valid || busy} onClick={() => void split()} data-testid="split-confirm">
          {t('identity.splitConfirm', { count: chosen.size })}
        </button>
      </div>
      <p className="hint">{t('identity.splitRemembered')}</p>
    </div>
  );
}
