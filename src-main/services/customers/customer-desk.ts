import { randomUUID } from 'node:crypto';
import type { customerMethods } from '@shared/contract/desktop-api';
import { profileEditSchema } from '@shared/sync/profile-edits';
import { BackendError } from '../desk/backend-error';
import type { Handlers, MethodsOf } from '../desk/desk';
import type { CallDesk } from '../calls/call-desk';
import type { SessionHolder } from '../session/session';
import type { StatusDesk } from '../status/status-desk';

/** The agent's corrections to a profile: saved in the cache at once, sent through the outbox, merged per field. */
export class CustomerDesk {
  constructor(
    private readonly sessions: SessionHolder,
    private readonly calls: CallDesk,
    private readonly status: StatusDesk,
  ) {}

  readonly handlers: Handlers<MethodsOf<typeof customerMethods>> = {
    'customer.edit': ({ customerId, field, value }) => {
      const session = this.sessions.require();
      const edit = profileEditSchema.safeParse({ id: randomUUID(), customerId, field, value, hlc: session.clock.tick(), author: session.agent.id });
      if (!edit.success) throw new BackendError('invalid_input', edit.error.issues[0]?.message ?? 'invalid edit');
      if (!session.cache.outbox.saveProfileEdit(edit.data)) throw new BackendError('unknown_customer', `Customer ${customerId} is not in the local cache`);
      this.calls.refreshPopFor(customerId);
      this.status.changed();
      if (session.socket.connected) void session.outbox.flush(session.socket);
      return { ok: true as const };
    },
  };
}
