import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { selectCurrentCall, selectLastSavedCallId, useAppStore } from '../../state/app-store';
import { notifyAgent } from '../../state/actions/desk';
import { callerName, riskWords, valueWords } from './describe-call';
import { startRing, stopRing } from './ringer';

/** Announcements this close together are read as one. */
const JOIN_WITHIN_MS = 2_000;

/** The window is behind another window, minimised, or on another tab. */
function outOfSight(): boolean {
  return document.visibilityState === 'hidden' || !document.hasFocus();
}

/** Where focus goes for each moment of a call, so the next key does the next thing. */
const FOCUS_TARGET = {
  offered: '[data-action="answer"]',
  connected: '[data-testid="script-current"], [data-testid="script"]',
  wrap_up: '[data-testid="wrap-up"] textarea[name="notes"]',
  idle: '[data-testid="idle"] [data-focus-start]',
} as const;

function focusFirst(selector: string): void {
  // After the frame that paints the new phase, when its elements exist. The selectors are tried in
  // order (a selector list would pick whichever comes first in the page, e.g. the card before its step).
  requestAnimationFrame(() => {
    for (const candidate of selector.split(/,\s*/)) {
      const target = document.querySelector<HTMLElement>(candidate);
      if (target) {
        target.focus({ preventScroll: false });
        return;
      }
    }
  });
}

/**
 * Everything that tells the agent a call has come or gone, without looking:
 * the ring (while it rings, at their volume), a system notification when the
 * window is not in front, a spoken announcement (aria-live), and focus on the
 * control that comes next (Answer, the script, the notes, the idle screen).
 */
export function CallAttention() {
  const { t, i18n } = useTranslation();
  const current = useAppStore(selectCurrentCall);
  const ringVolume = useAppStore((s) => s.preferences.preferences.ringVolume);
  const lastSaved = useAppStore(selectLastSavedCallId);
  const task = useAppStore((s) => s.outreach.open);
  const [announcement, setSpoken] = useState('');
  const spokenAt = useRef(0);
  // Two things at once (a wrap-up saved and the next outreach task) are said one after the other, not one over the other.
  const setAnnouncement = (text: string, join = true): void => {
    const now = Date.now();
    const joined = join && now - spokenAt.current < JOIN_WITHIN_MS;
    spokenAt.current = now;
    setSpoken((previous) => (joined && previous && previous !== text ? `${previous} ${text}` : text));
  };
  const seen = useRef<{ callId: string | null; phase: string | null; customerId: string | null; taskId: string | null }>({ callId: null, phase: null, customerId: null, taskId: null });

  const callId = current?.pop.call.id ?? null;
  const phase = current?.phase ?? null;
  // A pop can arrive before the cache knows the caller; it is announced again once it does.
  const customerId = current?.pop.customer?.id ?? null;
  const ringing = phase === 'offered';

  useEffect(() => {
    if (!ringing) return;
    startRing(ringVolume);
    return stopRing;
  }, [ringing, ringVolume, callId]);

  useEffect(() => {
    const before = seen.current;
    seen.current = { ...before, callId, phase, customerId };
    const sameMoment = callId === before.callId && phase === before.phase;
    if (sameMoment && customerId === before.customerId) return;
    if (!current) {
      if (before.callId !== null) {
        setAnnouncement(lastSaved === before.callId ? t('desk.announce.saved') : t('desk.announce.ended'));
        focusFirst(FOCUS_TARGET.idle);
      }
      return;
    }
    const { pop, outreach } = current;
    const name = callerName(t, pop, outreach);
    if (current.phase === 'offered') {
      setAnnouncement([t('desk.announce.incoming', { name }), riskWords(t, pop), valueWords(t, pop, i18n.language), t('desk.announce.keys')].filter(Boolean).join('. '), !sameMoment);
      if (!sameMoment && outOfSight()) void notifyAgent('call', t('desk.notify.callTitle'), t('desk.notify.callBody', { name, risk: riskWords(t, pop) }));
    } else if (sameMoment) {
      return;
    } else if (current.phase === 'connected') {
      setAnnouncement(callId !== before.callId && outreach ? t('desk.announce.incomingOutbound', { name, risk: riskWords(t, pop) }) : t('desk.announce.connected', { name }));
    } else {
      setAnnouncement(t('desk.announce.wrapUp'));
    }
    if (!sameMoment) focusFirst(FOCUS_TARGET[current.phase]);
  }, [callId, phase, customerId, current, lastSaved, t, i18n.language]);

  // An outreach task offered while the agent looks elsewhere: told once per task.
  const taskId = task?.taskId ?? null;
  useEffect(() => {
    if (taskId === null || taskId === seen.current.taskId || !task) return;
    seen.current = { ...seen.current, taskId };
    setAnnouncement(t('desk.announce.outreach', { name: task.customerName }));
    // The idle screen re-laid itself out around the task: focus that was on the old layout is put back on the new one.
    if (document.activeElement === null || document.activeElement === document.body) focusFirst(`${FOCUS_TARGET.idle}, [data-testid="idle"] button`);
    if (outOfSight()) void notifyAgent('outreach', t('desk.notify.outreachTitle'), t('desk.notify.outreachBody', { name: task.customerName }));
  }, [taskId, task, t]);

  return (
    <div className="sr-only" role="status" aria-live="assertive" aria-atomic="true" data-testid="call-announcer">
      {announcement}
    </div>
  );
}
