import { create } from 'zustand';
import type { CallPhase, ConnectionStatus, SessionState } from '@shared/contract/desktop-api';
import type { PopView } from '@shared/contract/pop';
import type { OutreachTask, SupervisorState } from '@shared/contract/server-socket';
import type { Language } from '@shared/domain/language';
import { bridge, call } from '../bridge/bridge';
import { i18next } from '../i18n/i18n';

/** What covers the main screen: nothing, the AI settings, or the AI audit log. */
export type Overlay = 'settings' | 'audit' | null;

interface AppState {
  session: SessionState | null;
  status: ConnectionStatus;
  pop: PopView | null;
  phase: CallPhase | null;
  /** A short message for the agent, e.g. "Call taken by another agent". */
  notice: string | null;
  supervisor: SupervisorState | null;
  lastSavedCallId: string | null;
  overlay: Overlay;
  /** The audit log opened from a call's brief shows that call first. */
  auditCallId: string | null;
  /** The outreach preview task on offer to this (idle) agent. */
  outreach: OutreachTask | null;
  /** The task behind the outbound call on screen: its why and why now stay in view. */
  outboundTask: { callId: string; task: OutreachTask } | null;
  /** Why the last preview went away, when the agent should be told (it lapsed). */
  outreachNotice: 'lapsed' | null;
  setNotice(notice: string | null): void;
  openOverlay(overlay: Overlay, auditCallId?: string | null): void;
}

const initialStatus: ConnectionStatus = {
  connection: 'connecting',
  outboxPending: 0,
  sync: { phase: 'idle', done: 0, total: 0, message: null },
  presence: 'offline',
};

export const useAppStore = create<AppState>()((set) => ({
  session: null,
  status: initialStatus,
  pop: null,
  phase: null,
  notice: null,
  supervisor: null,
  lastSavedCallId: null,
  overlay: null,
  auditCallId: null,
  outreach: null,
  outboundTask: null,
  outreachNotice: null,
  setNotice: (notice) => set({ notice }),
  openOverlay: (overlay, auditCallId = null) => set({ overlay, auditCallId }),
}));

/** Tells the backend the UI language, so briefs and drafts are written in it. */
function shareLanguage(language: string): void {
  void bridge.invoke('ui.setLanguage', { language: language as Language });
}

/** Subscribes the store to the backend's events once, and loads the current picture. */
export function connectStore(): void {
  const set = useAppStore.setState;
  bridge.on('session.changed', (session) => set({ session, ...(session.user ? {} : { pop: null, phase: null, supervisor: null, outreach: null, outboundTask: null, outreachNotice: null }) }));
  bridge.on('status.changed', (status) => set({ status }));
  shareLanguage(i18next.language);
  i18next.on('languageChanged', shareLanguage);
  bridge.on('call.offered', (pop) => {
    const current = useAppStore.getState();
    const sameCall = current.pop?.call.id === pop.call.id;
    // A refresh of the pop for the call on screen keeps its phase; a new call clears any open panel so the pop is in full view.
    // An outbound call (from an outreach task) arrives already connected: it never rings.
    const phase = sameCall && current.phase ? current.phase : pop.call.state === 'connected' ? 'connected' : 'offered';
    set({ pop, phase, notice: null, outreach: null, outreachNotice: null, ...(sameCall ? {} : { overlay: null }) });
  });
  bridge.on('brief.updated', ({ callId, source, model, bullets, done, fallbackReason, language }) => {
    const { pop } = useAppStore.getState();
    if (!pop || pop.call.id !== callId) return;
    set({ pop: { ...pop, summary: { source, model, bullets, status: done ? 'done' : source === 'model' ? 'streaming' : 'pending', fallbackReason, language } } });
  });
  bridge.on('call.updated', ({ callId, state, reason }) => {
    const { pop } = useAppStore.getState();
    if (!pop || pop.call.id !== callId) return;
    if (state === 'connected') set({ phase: 'connected' });
    else if (state === 'wrap_up') set({ phase: 'wrap_up' });
    else if (state === 'saved') set({ pop: null, phase: null, lastSavedCallId: callId, notice: null, outboundTask: null });
    else if (state === 'revoked') set({ pop: null, phase: null, notice: reason === 'rejected' ? null : reason === 'timeout' ? 'missedCall' : 'callGone' });
  });
  bridge.on('supervisor.changed', (supervisor) => set({ supervisor }));
  bridge.on('outreach.task', (task) => set({ outreach: task, outreachNotice: null }));
  bridge.on('outreach.revoked', ({ taskId, reason }) => {
    if (useAppStore.getState().outreach?.taskId !== taskId) return;
    // An inbound call replaces the preview with its pop, and "away" was the agent's own doing: only a lapse needs a word.
    set({ outreach: null, outreachNotice: reason === 'timeout' ? 'lapsed' : null });
  });

  void call('session.get', {}).then((session) => set({ session }));
  void call('status.get', {}).then((status) => set({ status }));
  void call('call.current', {}).then((current) => current && set({ pop: current.pop, phase: current.phase }));
  void call('supervisor.state', {}).then((supervisor) => supervisor && set({ supervisor }));
  void call('outreach.current', {}).then(({ open, onCall }) => set({ outreach: open, outboundTask: onCall }));
}
