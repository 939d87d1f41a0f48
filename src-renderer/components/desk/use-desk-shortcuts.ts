import { useEffect } from 'react';
import { callAction, scriptNextOnScreen } from '../../state/actions/calls';
import { chooseOffer, openShortcuts } from '../../state/actions/desk';
import { setPresence } from '../../state/actions/session';
import { openOverlay, useAppStore } from '../../state/app-store';
import { isHelpKey, isTypingTarget, offerIndexFor, shortcutFor } from './shortcuts';

/** Focus the wrap-up notes (the wrap-up may still be mounting after End call). */
function focusNotes(): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid="wrap-up"] textarea[name="notes"]')?.focus());
}

/**
 * The agent's keys, on the whole window. What each does depends on the call's
 * phase, read from the store at the moment of the key press; see shortcuts.ts
 * for the table and the help overlay for the words.
 */
export function useDeskShortcuts(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.isComposing) return;
      const state = useAppStore.getState();
      const current = state.call.current;

      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        const form = document.querySelector<HTMLFormElement>('[data-testid="wrap-up"] form');
        if (form) {
          event.preventDefault();
          form.requestSubmit();
        }
        return;
      }
      if (event.key === 'Escape' && state.shortcutsOpen) {
        event.preventDefault();
        openShortcuts(false);
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
      if (isHelpKey(event)) {
        event.preventDefault();
        openShortcuts(!state.shortcutsOpen);
        return;
      }
      if (state.shortcutsOpen) return;

      const offer = offerIndexFor(event);
      if (offer !== null) {
        const ranked = current?.pop.offers[offer];
        if (current && ranked) {
          event.preventDefault();
          chooseOffer(current.pop.call.id, ranked.offer.id);
        }
        return;
      }
      const shortcut = shortcutFor(event);
      if (shortcut === null || event.shiftKey) return;
      const phase = current?.phase ?? null;
      const callId = current?.pop.call.id ?? null;
      const act = (done: () => void): void => {
        event.preventDefault();
        done();
      };
      switch (shortcut) {
        case 'answer':
          if (phase === 'offered' && callId) act(() => void callAction('accept', callId));
          break;
        case 'decline':
          if (phase === 'offered' && callId) act(() => void callAction('reject', callId));
          break;
        case 'nextStep':
          if (current && phase !== 'wrap_up') act(() => scriptNextOnScreen(current.pop.call.id));
          break;
        case 'wrapUp':
          if (phase === 'connected' && callId) act(() => void callAction('hangUp', callId).then(focusNotes));
          else if (phase === 'wrap_up') act(focusNotes);
          break;
        case 'presence': {
          const presence = state.status.presence;
          if (current === null && (presence === 'available' || presence === 'away')) act(() => setPresence(presence === 'available' ? 'away' : 'available'));
          break;
        }
        case 'preferences':
          act(() => openOverlay(state.overlay === 'preferences' ? null : 'preferences'));
          break;
        default:
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
