import { create } from 'zustand';
import { DEFAULT_PREFERENCES, type CallEnd, type CallState, type ConnectionStatus, type CurrentCall, type OutreachState, type PreferencesState, type SessionState } from '@shared/contract/desktop-api';
import type { SupervisorState } from '@shared/contract/server-socket';
import type { Language } from '@shared/domain/language';
import { bridge, call } from '../bridge/bridge';
import { i18next } from '../i18n/i18n';

/** What covers the main screen: nothing, the AI settings, the AI audit log, or display and sound. */
export type Overlay = 'settings' | 'audit' | 'preferences' | null;

interface AppState {
  session: SessionState | null;
  status: ConnectionStatus;
  /** The call on this desk, exactly as the backend's call desk last sent it. */
  call: CallState;
  /** The outreach preview on offer, as the backend's outreach desk last sent it. */
  outreach: OutreachState;
  supervisor: SupervisorState | null;
  /** An action of the agent's that the backend refused, until the call on screen changes. */
  actionError: string | null;
  overlay: Overlay;
  /** The audit log opened from a call's brief shows that call first. */
  auditCallId: string | null;
  /** The signed-in agent's theme, density, ring volume and language. */
  preferences: PreferencesState;
  /** The agent's place in the call: the script step they are on and the offer they chose (for this call only). */
  desk: { callId: string | null; chosenOfferId: string | null };
  /** The keyboard shortcuts list is open. */
  shortcutsOpen: boolean;
}

const initialStatus: ConnectionStatus = {
  connection: 'connecting',
  outboxPending: 0,
  sync: { phase: 'idle', done: 0, total: 0, message: null },
  presence: 'offline',
  notice: null,
};

export const useAppStore = create<AppState>()(() => ({
  session: null,
  status: initialStatus,
  call: { version: 0, current: null, last: null },
  outreach: { open: null, notice: null },
  supervisor: null,
  actionError: null,
  overlay: null,
  auditCallId: null,
  preferences: { agentId: null, preferences: DEFAULT_PREFERENCES },
  desk: { callId: null, chosenOfferId: null },
  shortcutsOpen: false,
}));

// ---- Selectors: what components read, never worked out again from other state ----

export const selectCurrentCall = (s: AppState): CurrentCall | null => s.call.current;

/** How the last call left, as the words the idle screen shows ('missedCall', 'callGone', 'phoneNoAnswer'), or null. */
export function endNotice(last: CallEnd | null): 'missedCall' | 'callGone' | 'phoneNoAnswer' | null {
  if (!last || last.outcome !== 'revoked' || last.reason === 'rejected' || last.reason === null) return null;
  if (last.reason === 'no_answer') return 'phoneNoAnswer';
  return last.reason === 'timeout' ? 'missedCall' : 'callGone';
}

export const selectLastSavedCallId = (s: AppState): string | null => (s.call.last?.outcome === 'saved' ? s.call.last.callId : null);

// ---- The only writers of the store: the backend's events, and the UI's own panels ----

/** Keeps the newest call state: an older one that arrives late (a reply racing an event) is dropped. */
function receiveCall(next: CallState): void {
  const { call: previous } = useAppStore.getState();
  if (next.version <= previous.version && previous.version !== 0) return;
  const newCall = next.current !== null && next.current.pop.call.id !== previous.current?.pop.call.id;
  // A new call clears any open panel so its pop is in full view, and starts at the script's first step.
  useAppStore.setState({
    call: next,
    ...(newCall || next.current === null ? { actionError: null } : {}),
    ...(newCall ? { overlay: null, shortcutsOpen: false, desk: { callId: next.current?.pop.call.id ?? null, chosenOfferId: null } } : {}),
  });
}

export function openOverlay(overlay: Overlay, auditCallId: string | null = null): void {
  useAppStore.setState({ overlay, auditCallId });
}

export function showActionError(message: string | null): void {
  useAppStore.setState({ actionError: message });
}

/** Tells the backend the UI language, so briefs and drafts are written in it; a signed-in agent keeps it as theirs. */
function shareLanguage(language: string): void {
  void bridge.invoke('ui.setLanguage', { language: language as Language });
  const { preferences } = useAppStore.getState();
  if (preferences.agentId !== null && preferences.preferences.language !== language) {
    void bridge.invoke('preferences.set', { language: language as Language });
  }
}

/** An agent's preferences arrived (sign-in) or changed: their language is put on screen, or the one on screen becomes theirs. */
function receivePreferences(next: PreferencesState): void {
  useAppStore.setState({ preferences: next });
  if (next.agentId === null) return;
  const wanted = next.preferences.language;
  if (wanted === null) void bridge.invoke('preferences.set', { language: i18next.language as Language });
  else if (wanted !== i18next.language) void i18next.changeLanguage(wanted);
}

/** Subscribes the store to the backend's events once, and loads the current picture. */
export function connectStore(): void {
  const set = useAppStore.setState;
  bridge.on('session.changed', (session) => set({ session, ...(session.user ? {} : { supervisor: null }) }));
  bridge.on('status.changed', (status) => set({ status }));
  bridge.on('call.changed', receiveCall);
  bridge.on('outreach.changed', (outreach) => set({ outreach }));
  bridge.on('supervisor.changed', (supervisor) => set({ supervisor }));
  bridge.on('preferences.changed', receivePreferences);
  shareLanguage(i18next.language);
  i18next.on('languageChanged', shareLanguage);

  void call('session.get', {}).then((session) => set({ session }));
  void call('status.get', {}).then((status) => set({ status }));
  void call('call.current', {}).then(receiveCall);
  void call('supervisor.state', {}).then((supervisor) => supervisor && set({ supervisor }));
  void call('outreach.current', {}).then((outreach) => set({ outreach }));
  void call('preferences.get', {}).then(receivePreferences);
}
