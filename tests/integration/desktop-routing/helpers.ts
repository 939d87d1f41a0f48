import type { ServerConfigInput } from '../../../src-server/config';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import type { DesktopEventName, EventPayload } from '@shared/contract/desktop-api';
import type { PopView } from '@shared/contract/pop';
import type { OutreachTask } from '@shared/contract/server-socket';

/** An as-of date a week back, so the demo book's last contacts are past the outreach cool-off whatever day the tests run. */
export function weekAgo(): string {
  return new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A server whose outreach finds customers to call at any hour: calling hours
 * open all day (but the minute before midnight), quick sweeps, and time to
 * decide on a preview. Everything else is the default.
 */
export function outreachServerConfig(overrides: ServerConfigInput = {}): ServerConfigInput {
  return {
    demoCustomers: 200,
    demoAsOf: weekAgo(),
    reservationTimeoutMs: 30_000,
    outreach: { callingHours: { start: '00:00', end: '23:59' }, sweepMs: 200, taskTimeoutMs: 60_000 },
    ...overrides,
  };
}

/** Everything a backend emits of one event, in order. */
export function record<E extends DesktopEventName>(backend: DesktopBackend, event: E): EventPayload<E>[] {
  const seen: EventPayload<E>[] = [];
  backend.on(event, (payload) => seen.push(payload));
  return seen;
}

/** Unwraps a backend result, failing the test with the backend's own message. */
export function value<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`backend error ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Each pop a backend shows, as it first appears (a call coming on screen), in order. */
export function recordPops(backend: DesktopBackend): PopView[] {
  const seen: PopView[] = [];
  backend.on('call.changed', ({ current }) => {
    if (current && seen.at(-1)?.call.id !== current.pop.call.id) seen.push(current.pop);
  });
  return seen;
}

/** Each preview task a backend offers, as it first appears, in order. */
export function recordTasks(backend: DesktopBackend): OutreachTask[] {
  const seen: OutreachTask[] = [];
  backend.on('outreach.changed', ({ open }) => {
    if (open && seen.at(-1)?.taskId !== open.taskId) seen.push(open);
  });
  return seen;
}
