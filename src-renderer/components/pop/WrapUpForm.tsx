import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { WrapUpDraftView, WrapUpForm as WrapUpFormState } from '@shared/contract/desktop-api';
import type { PopView } from '@shared/contract/pop';
import type { Disposition, OfferOutcome } from '@shared/domain/wrap-up';
import { autosaveWrapUp, draftWrapUp, restoreWrapUp, saveWrapUp } from '../../state/actions/wrap-up';
import { useAppStore } from '../../state/app-store';
import { clock } from '../../format';
import { failureText } from '../ai/failure-text';
import { Card } from './Card';

const DISPOSITIONS: Disposition[] = ['retained', 'churned', 'undecided', 'callback', 'not_retention'];
const OUTCOMES: OfferOutcome[] = ['accepted', 'declined', 'no_offer'];
/** How often the form is written to the local cache while it changes. */
const AUTOSAVE_MS = 2_500;
const SUMMARY_MAX = 4_000;

/** The saved summary: the agent's summary, then the follow-ups as a list under a heading. */
function composeSummary(summary: string, followUps: string, heading: string): string {
  const lines = followUps.split('\n').map((line) => line.replace(/^\s*[-•*]\s*/, '').trim()).filter(Boolean);
  if (lines.length === 0) return summary.trim();
  return `${summary.trim()}\n\n${heading}\n${lines.map((line) => `- ${line}`).join('\n')}`.trim();
}

export function WrapUpForm({ pop }: { pop: PopView }) {
  const { t, i18n } = useTranslation();
  const callId = pop.call.id;
  // Where the script ended suggests the outcome; the agent decides.
  const [disposition, setDisposition] = useState<Disposition>(pop.script?.ended?.outcome === 'lost' ? 'churned' : 'retained');
  // The offer the agent chose during the call (1–9), else the best one.
  const chosenOfferId = useAppStore((s) => (s.desk.callId === callId ? s.desk.chosenOfferId : null));
  const [offerId, setOfferId] = useState<string>(chosenOfferId ?? pop.offers[0]?.offer.id ?? '');
  const [offerOutcome, setOfferOutcome] = useState<OfferOutcome>(pop.offers.length > 0 ? 'accepted' : 'no_offer');
  const [notes, setNotes] = useState('');
  const [summary, setSummary] = useState('');
  const [followUps, setFollowUps] = useState('');
  const [transcript, setTranscript] = useState('');
  const [draft, setDraft] = useState<WrapUpDraftView | null>(null);
  const [drafting, setDrafting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [restored, setRestored] = useState(false);
  const [autosavedAt, setAutosavedAt] = useState<string | null>(null);

  const form: WrapUpFormState = { callId, disposition, offerId: offerId || null, offerOutcome: offerId ? offerOutcome : 'no_offer', notes, summary, followUps, transcript };
  const latest = useRef(form);
  const dirty = useRef(false);
  latest.current = form;

  /** Every edit goes through here, so the autosave knows there is something new. */
  const edit = useCallback(<T,>(setter: (value: T) => void) => (value: T) => {
    dirty.current = true;
    setter(value);
  }, []);

  // Choosing an offer by key during the wrap-up changes the form too.
  useEffect(() => {
    if (chosenOfferId !== null) {
      dirty.current = true;
      setOfferId(chosenOfferId);
    }
  }, [chosenOfferId]);

  // Restore what was typed before a crash or reload, before anything is autosaved over it.
  useEffect(() => {
    let live = true;
    void restoreWrapUp(callId).then((result) => {
      if (!live) return;
      if (result.ok && result.value) {
        const { form: saved, draft: savedDraft } = result.value;
        if (saved) {
          setDisposition(saved.disposition);
          setOfferId(saved.offerId ?? '');
          setOfferOutcome(saved.offerOutcome);
          setNotes(saved.notes);
          setSummary(saved.summary);
          setFollowUps(saved.followUps);
          setTranscript(saved.transcript);
          setRestored(true);
        }
        if (savedDraft) setDraft(savedDraft);
      }
      setLoaded(true);
    });
    return () => {
      live = false;
    };
  }, [callId]);

  useEffect(() => {
    if (!loaded) return;
    const flush = (): void => {
      if (!dirty.current) return;
      dirty.current = false;
      void autosaveWrapUp(latest.current).then((result) => {
        if (result.ok) setAutosavedAt(new Date().toISOString());
        else dirty.current = true;
      });
    };
    const timer = setInterval(flush, AUTOSAVE_MS);
    window.addEventListener('pagehide', flush);
    return () => {
      clearInterval(timer);
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [loaded]);

  async function draftWithAi(): Promise<void> {
    setDrafting(true);
    setError(null);
    const result = await draftWrapUp({ callId, notes, ...(transcript.trim() !== '' ? { transcript } : {}) });
    setDrafting(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    const d = result.value;
    dirty.current = true;
    setDraft(d);
    setSummary(d.summary);
    setDisposition(d.disposition);
    setFollowUps(d.followUps.map((f) => f.text).join('\n'));
  }

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (!pop.customer) return;
    const composed = composeSummary(summary, followUps, t('wrapUp.followUpsHeading'));
    if (composed.length > SUMMARY_MAX) {
      setError(t('wrapUp.tooLong', { max: SUMMARY_MAX }));
      return;
    }
    setSaving(true);
    dirty.current = false;
    // summaryAuthor is left to the backend: it knows the draft it made and applies the attribution rule.
    const result = await saveWrapUp({
      callId,
      customerId: pop.customer.id,
      disposition,
      offerId: offerId || null,
      offerOutcome: offerId ? offerOutcome : 'no_offer',
      notes,
      summary: composed,
    });
    setSaving(false);
    if (!result.ok) setError(result.error.message);
  }

  const draftNote = draft
    ? draft.source === 'model'
      ? t('wrapUp.draftedByModel', { model: draft.model ?? '' })
      : draft.fallbackReason && draft.fallbackReason !== 'not-configured'
        ? t('wrapUp.draftFallback', { reason: failureText(t, draft.fallbackReason) })
        : t('wrapUp.draftedOnDevice')
    : null;

  return (
    <Card
      title={t('wrapUp.title')}
      testId="wrap-up"
      className="wrapup"
      aside={autosavedAt && <span className="muted small" data-testid="autosaved" role="status">{t('wrapUp.autosaved', { time: clock(autosavedAt, i18n.language) })}</span>}
    >
      <form onSubmit={(e) => void save(e)} className="wrapup-form">
        {restored && <p className="notice small" role="status" data-testid="draft-restored">{t('wrapUp.restored')}</p>}
        <label>
          {t('wrapUp.notes')}
          <textarea name="notes" rows={3} value={notes} onChange={(e) => edit(setNotes)(e.target.value)} maxLength={10_000} />
        </label>
        <details className="transcript" open={transcript !== '' || undefined}>
          <summary>{t('wrapUp.transcript')}</summary>
          <textarea name="transcript" rows={4} value={transcript} dir="auto" placeholder={t('wrapUp.transcriptHint')} onChange={(e) => edit(setTranscript)(e.target.value)} maxLength={50_000} />
        </details>
        <div className="draft-row">
          <button type="button" className="btn btn-ai" data-testid="draft-wrap-up" disabled={drafting || (notes.trim() === '' && transcript.trim() === '')} onClick={() => void draftWithAi()}>
            <span aria-hidden="true">✦</span> {drafting ? t('wrapUp.drafting') : t('wrapUp.draft')}
          </button>
          {draftNote && <span className={`draft-note ${draft?.source === 'model' ? 'draft-model' : ''}`} data-testid="draft-note" data-author={draft?.author}>{draftNote}</span>}
        </div>
        <label>
          {t('wrapUp.summary')}
          <textarea name="summary" rows={3} value={summary} onChange={(e) => edit(setSummary)(e.target.value)} maxLength={SUMMARY_MAX} />
        </label>
        <label>
          {t('wrapUp.followUps')}
          <textarea name="followUps" rows={2} value={followUps} onChange={(e) => edit(setFollowUps)(e.target.value)} maxLength={SUMMARY_MAX} />
        </label>
        <label>
          {t('wrapUp.disposition')}
          <select name="disposition" value={disposition} onChange={(e) => edit(setDisposition)(e.target.value as Disposition)}>
            {DISPOSITIONS.map((d) => <option key={d} value={d}>{t(`wrapUp.dispositions.${d}`)}</option>)}
          </select>
          {draft && draft.disposition === disposition && draft.cue && <span className="hint">{t('wrapUp.because', { cue: draft.cue })}</span>}
        </label>
        <div className="row">
          <label>
            {t('wrapUp.offerMade')}
            <select name="offer" value={offerId} onChange={(e) => edit(setOfferId)(e.target.value)}>
              <option value="">{t('wrapUp.noOffer')}</option>
              {pop.offers.map((o) => <option key={o.offer.id} value={o.offer.id}>{o.offer.name}</option>)}
            </select>
          </label>
          <label>
            {t('wrapUp.outcome')}
            <select name="offerOutcome" value={offerId ? offerOutcome : 'no_offer'} disabled={!offerId} onChange={(e) => edit(setOfferOutcome)(e.target.value as OfferOutcome)}>
              {OUTCOMES.map((o) => <option key={o} value={o}>{t(`wrapUp.outcomes.${o}`)}</option>)}
            </select>
          </label>
        </div>
        {error && <p className="form-error" role="alert">{error}</p>}
        {/* Kept in sight at the foot of the column however long the form grows (a draft's cue, a long transcript). */}
        <div className="wrapup-actions">
          <button className="btn btn-primary btn-wide" type="submit" data-testid="save-wrap-up" aria-keyshortcuts="Control+Enter" disabled={saving || !pop.customer}>
            {saving ? t('wrapUp.saving') : t('wrapUp.save')} <kbd aria-hidden="true">Ctrl+Enter</kbd>
          </button>
        </div>
      </form>
    </Card>
  );
}
