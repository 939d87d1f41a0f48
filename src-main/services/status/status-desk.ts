import type { statusMethods} from '@shared/contract/desktop-api';
import { type ConnectionStatus } from '@shared/contract/desktop-api';
import type { Handlers, MethodsOf } from '../desk/desk';
import type { DesktopEventBus } from '../desk/event-bus';
import { describeRefusal } from '../models/model-check';
import { request } from '../server-link/server-socket';
import type { SessionHolder } from '../session/session';

type SyncStatus = ConnectionStatus['sync'];
const IDLE_SYNC: SyncStatus = { phase: 'idle', done: 0, total: 0, message: null };

/** The status bar: link to the server, the agent's presence, sync progress and unsent work. */
export class StatusDesk {
  private connection: ConnectionStatus['connection'] = 'offline';
  private presence = 'offline';
  private sync: SyncStatus = IDLE_SYNC;
  private notice: string | null = null;

  constructor(private readonly sessions: SessionHolder, private readonly events: DesktopEventBus) {
    sessions.onEnded(() => {
      this.connection = 'offline';
      this.presence = 'offline';
      this.sync = IDLE_SYNC;
      this.notice = null;
      this.changed();
    });
  }

  readonly handlers: Handlers<MethodsOf<typeof statusMethods>> = {
    'status.get': () => this.status(),
    'presence.set': async ({ presence }) => {
      const session = this.sessions.require();
      const result = await request(session.socket, 'presence:set', { presence });
      this.setPresence(result.presence);
      return { ok: true as const };
    },
  };

  get syncStatus(): SyncStatus {
    return this.sync;
  }

  get connectionState(): ConnectionStatus['connection'] {
    return this.connection;
  }

  setConnection(connection: ConnectionStatus['connection']): void {
    if (this.connection === connection) return;
    this.connection = connection;
    this.changed();
  }

  setPresence(presence: string): void {
    if (this.presence === presence) return;
    this.presence = presence;
    this.changed();
  }

  /** What the link is doing about a refused sign-in, shown to the agent; null clears it. */
  setNotice(notice: string | null): void {
    if (this.notice === notice) return;
    this.notice = notice;
    this.changed();
  }

  setSync(sync: SyncStatus): void {
    this.sync = sync;
    this.changed();
  }

  /** Something the status shows (e.g. the outbox count) changed elsewhere. */
  changed(): void {
    this.events.emit('status.changed', this.status());
  }

  private status(): ConnectionStatus {
    const cache = this.sessions.current?.cache;
    // A refused model file is a sync problem the agent's supervisor should see; the previous model stays in use meanwhile.
    const refused = this.sync.message === null ? cache?.models.refusals().at(-1) : undefined;
    const sync = refused ? { ...this.sync, message: describeRefusal(refused) } : this.sync;
    return { connection: this.connection, outboxPending: cache?.outbox.pendingCount() ?? 0, sync, presence: this.presence, notice: this.notice };
  }
}
