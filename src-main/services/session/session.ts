import type { Agent } from '@shared/domain/agent';
import type { HybridLogicalClock } from '@shared/sync/hlc';
import type { AiClient } from '../ai/index';
import type { AiSettingsStore } from '../ai-settings/index';
import type { LocalCache } from '../cache/local-cache';
import type { OutboxSender } from '../outbox/outbox-sender';
import type { ServerSocket } from '../server-link/server-socket';
import type { ColdSyncRunner } from '../sync/cold-sync-runner';
import type { SyncEngine } from '../sync/sync-engine';
import { BackendError } from '../desk/backend-error';

/** What one signed-in agent's desk works with, from sign-in to sign-out. */
export interface Session {
  clock: HybridLogicalClock;
  agent: Agent;
  token: string;
  cache: LocalCache;
  socket: ServerSocket;
  sync: SyncEngine;
  /** Keeps the cold sync going (retried with backoff, resumed on reconnect) until the cache is complete. */
  coldSync: ColdSyncRunner;
  outbox: OutboxSender;
  aiSettings: AiSettingsStore;
  ai: AiClient;
  /** The configured model, or null when everything is on-device. */
  aiModel: string | null;
}

type Listener = (session: Session) => void;

/**
 * The signed-in session, and the hooks desks use to set up and clear their
 * own state when it starts, connects and ends. The session desk drives them.
 */
export class SessionHolder {
  private session: Session | null = null;
  private readonly started = new Set<Listener>();
  private readonly connected = new Set<Listener>();
  private readonly ended = new Set<Listener>();

  get current(): Session | null {
    return this.session;
  }

  require(): Session {
    if (!this.session) throw new BackendError('not_logged_in', 'Log in first');
    return this.session;
  }

  /** True while `session` is the one signed in (work started for an older one is dropped). */
  isCurrent(session: Session): boolean {
    return this.session === session;
  }

  onStarted(listener: Listener): void {
    this.started.add(listener);
  }

  /** Every (re)connect of the server socket, after the outbox and the sync have been set going. */
  onConnected(listener: Listener): void {
    this.connected.add(listener);
  }

  onEnded(listener: Listener): void {
    this.ended.add(listener);
  }

  start(session: Session): void {
    this.session = session;
    for (const listener of this.started) listener(session);
  }

  connect(session: Session): void {
    if (this.session === session) for (const listener of this.connected) listener(session);
  }

  end(): Session | null {
    const session = this.session;
    if (!session) return null;
    this.session = null;
    for (const listener of this.ended) listener(session);
    return session;
  }
}
