import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PopView } from '@shared/contract/pop';
import type { Disposition, OfferOutcome } from '@shared/domain/wrapup';
import { bridge } from '../../bridge/bridge';
import { Card } from './Card';

const DISPOSITIONS: Disposition[] = ['retained', 'churned', 'undecided', 'callback', 'not_retention'];
const OUTCOMES: OfferOutcome[] = ['accepted', 'declined', 'no_offer'];

export function WrapUpForm({ pop }: { pop: PopView }) {
  const { t } = useTranslation();
  const [disposition, setDisposition] = useState<Disposition>('retained');
  const [offerId, setOfferId] = useState<string>(pop.offers[0]?.offer.id ?? '');
  const [offerOutcome, setOfferOutcome] = useState<OfferOutcome>(pop.offers.length > 0 ? 'accepted' : 'no_offer');
  const [notes, setNotes] = useState('');
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (!pop.customer) return;
    setSaving(true);
    const result = await bridge.invoke('wrapup.save', {
      callId: pop.call.id,
      customerId: pop.customer.id,
      disposition,
      offerId: offerId || null,
      offerOutcome: offerId ? offerOutcome : 'no_offer',
      notes,
      summary,
    });
    setSaving(false);
    if (!result.ok) setError(result.error.message);
  }

  return (
    <Card title={t('wrapup.title')} testId="wrapup" className="wrapup">
      <form onSubmit={(e) => void save(e)} className="wrapup-form">
        <label>
          {t('wrapup.disposition')}
          <select name="disposition" value={disposition} onChange={(e) => setDisposition(e.target.value as Disposition)}>
            {DISPOSITIONS.map((d) => <option key={d} value={d}>{t(`wrapup.dispositions.${d}`)}</option>)}
          </select>
        </label>
        <div className="row">
          <label>
            {t('wrapup.offerMade')}
            <select name="offer" value={offerId} onChange={(e) => setOfferId(e.target.value)}>
              <option value="">{t('wrapup.noOffer')}</option>
              {pop.offers.map((o) => <option key={o.offer.id} value={o.offer.id}>{o.offer.name}</option>)}
            </select>
          </label>
          <label>
            {t('wrapup.outcome')}
            <select name="offerOutcome" value={offerId ? offerOutcome : 'no_offer'} disabled={!offerId} onChange={(e) => setOfferOutcome(e.target.value as OfferOutcome)}>
              {OUTCOMES.map((o) => <option key={o} value={o}>{t(`wrapup.outcomes.${o}`)}</option>)}
            </select>
          </label>
        </div>
        <label>
          {t('wrapup.notes')}
          <textarea name="notes" rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={10_000} />
        </label>
        <label>
          {t('wrapup.summary')}
          <textarea name="summary" rows={2} value={summary} onChange={(e) => setSummary(e.target.value)} maxLength={4_000} />
        </label>
        {error && <p className="form-error" role="alert">{error}</p>}
        <button className="btn btn-primary btn-wide" type="submit" disabled={saving || !pop.customer}>{saving ? t('wrapup.saving') : t('wrapup.save')}</button>
      </form>
    </Card>
  );
}
