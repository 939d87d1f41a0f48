import type { CallDesk } from './calls/call-desk';
import type { DeskLogger } from './desk/logger';
import type { OutreachDesk } from './outreach/outreach-desk';
import { routePushes } from './server-link/push-router';
import type { Session } from './session/session';
import type { StatusDesk } from './status/status-desk';
import type { SupervisorDesk } from './supervisor/supervisor-desk';
import type { SyncLink } from './sync/sync-link';

export interface PushDesks {
  status: StatusDesk;
  calls: CallDesk;
  outreach: OutreachDesk;
  supervisor: SupervisorDesk;
  syncLink: SyncLink;
}

/** Which desk hears which push of a session's socket. */
export function linkSessionPushes(session: Session, desks: PushDesks, log: DeskLogger): void {
  const { status, calls, outreach, supervisor, syncLink } = desks;
  status.setConnection('connecting');
  routePushes(session.socket, {
    connected: () => {
      status.setConnection('online');
      void syncLink.connected(session);
    },
    disconnected: () => {
      status.setConnection('offline');
      status.setPresence('offline');
      outreach.linkLost();
    },
    connecting: () => status.setConnection(status.connectionState === 'online' ? 'online' : 'connecting'),
    connectFailed: () => status.setConnection('offline'),
    offer: (offer) => calls.receiveOffer(offer),
    callRevoked: ({ callId, reason }) => calls.revoked(callId, reason),
    callEnded: ({ callId }) => calls.ended(callId),
    callLine: (line) => calls.lineChanged(line),
    presenceChanged: ({ presence }) => status.setPresence(presence),
    changesAvailable: (push) => syncLink.changesAvailable(session, push),
    outreachTask: (task) => outreach.offered(session, task),
    outreachRevoked: ({ taskId, reason }) => outreach.taskGone(taskId, reason),
    supervisorState: (state) => supervisor.received(state),
    supervisorOutcome: (outcome) => supervisor.outcome(outcome),
  }, log);
}
