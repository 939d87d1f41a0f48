import type { LocalisedText, Playbook, PlaybookLanguage, PlaybookScript, PlaybookStep } from '@shared/domain/playbook';
import type { RetentionOffer } from '@shared/domain/offer';

/** Edits to a draft playbook; each returns a new draft, so React sees the change and undo stays possible. */
export function setText(text: LocalisedText, language: PlaybookLanguage, value: string): LocalisedText {
  const next = { ...text };
  if (value === '' && language !== 'en') delete next[language];
  else next[language] = value;
  return next;
}

export function updateStep(draft: Playbook, scriptId: string, stepId: string, change: (step: PlaybookStep) => PlaybookStep): Playbook {
  return updateScript(draft, scriptId, (script) => ({ ...script, steps: script.steps.map((s) => (s.id === stepId ? change(s) : s)) }));
}

export function updateScript(draft: Playbook, scriptId: string, change: (script: PlaybookScript) => PlaybookScript): Playbook {
  return { ...draft, scripts: draft.scripts.map((s) => (s.id === scriptId ? change(s) : s)) };
}

/** An offer's name or description in one language: English is the base field, the others its translations. */
export function offerField(offer: RetentionOffer, language: PlaybookLanguage, field: 'name' | 'description'): string {
  if (language === 'en') return offer[field];
  return offer.translations?.[language]?.[field] ?? '';
}

export function setOfferField(draft: Playbook, offerId: string, language: PlaybookLanguage, field: 'name' | 'description', value: string): Playbook {
  return {
    ...draft,
    offers: draft.offers.map((offer) => {
      if (offer.id !== offerId) return offer;
      if (language === 'en') return { ...offer, [field]: value };
      const current = offer.translations?.[language] ?? { name: '', description: '' };
      return { ...offer, translations: { ...offer.translations, [language]: { ...current, [field]: value } } };
    }),
  };
}
