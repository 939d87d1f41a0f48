import type { AgentPreferences } from '@shared/contract/desktop-api';
import { bridge, inDesktopShell } from '../../bridge/bridge';
import { useAppStore } from '../app-store';

/**
 * Changes some of the agent's preferences. Shown at once (a radio button or
 * slider must not spring back while the backend writes); put back if the
 * backend could not keep them. The backend's preferences.changed follows.
 */
export async function setPreferences(change: Partial<AgentPreferences>): Promise<string | null> {
  const before = useAppStore.getState().preferences;
  useAppStore.setState({ preferences: { ...before, preferences: { ...before.preferences, ...change } } });
  const result = await bridge.invoke('preferences.set', change);
  if (result.ok) return null;
  useAppStore.setState({ preferences: before });
  return result.error.message;
}

/**
 * A system notification that a call or outreach task is waiting. Electron
 * shows its own; elsewhere (browser mode) the page uses the web API, when the
 * agent has allowed it.
 */
export async function notifyAgent(kind: 'call' | 'outreach', title: string, body: string): Promise<void> {
  const result = await bridge.invoke('attention.notify', { kind, title, body });
  if (result.ok && result.value.shown) return;
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const notice = new Notification(title, { body, tag: `holdfast-${kind}`, silent: true });
  notice.onclick = () => {
    window.focus();
    notice.close();
  };
}

/** Who shows notifications: the desktop shell natively, or the page through the web API. */
export const notificationsShownBy: 'shell' | 'page' = inDesktopShell ? 'shell' : 'page';

export function openShortcuts(open: boolean): void {
  useAppStore.setState({ shortcutsOpen: open });
}

/** Marks the offer the agent is making on this call; the wrap-up starts from it. */
export function chooseOffer(callId: string, offerId: string): void {
  const { desk } = useAppStore.getState();
  useAppStore.setState({ desk: { ...desk, callId, chosenOfferId: offerId } });
}
