import type { DeskLogger } from '../desk/logger';
import { io } from 'socket.io-client';
import type { sessionMethods, SessionState } from '@shared/contract/desktop-api';
import type { LoginResponse } from '@shared/contract/server-http';
import type { Change } from '@shared/contract/sync';
import type { Summariser } from '../calls/pop-builder';
import type { Handlers, MethodsOf } from '../desk/desk';
import type { DesktopEventBus } from '../desk/event-bus';
import type { AiSettingsDesk } from '../ai-settings/ai-settings-desk';
import { AiSettingsStore, apiKeySecretName, type SecretStore } from '../ai-settings/index';
import type { CacheKeyProvider } from '../key-provider';
import { OutboxSender } from '../outbox/outbox-sender';
import type { ServerHttpClient } from '../server-link/server-http-client';
import { connectServerSocket, watchHandshake, type ServerSocket } from '../server-link/server-socket';
import type { StatusDesk } from '../status/status-desk';
import { ColdSyncRunner } from '../sync/cold-sync-runner';
import { DesktopClock } from '../sync/desktop-clock';
import { SyncEngine } from '../sync/sync-engine';
import type { SyncLink } from '../sync/sync-link';
import { clockNode, openUserCache } from './open-cache';
import { codeFromSystemBrowser, noSystemBrowser, providerStartUrl } from './provider-sign-in';
import type { Session, SessionHolder } from './session';
import { endsSession, SessionTokens, SIGNED_OUT_REASONS } from './session-tokens';

export interface SessionDeskOptions {
  serverUrl: string;
  dataDir: string;
  keys: CacheKeyProvider;
  secrets: SecretStore;
  summarise: Summariser;
  /** What the cache keeps: every customer ('all') or those of the agent's queues ('queues'). */
  cacheScope: 'all' | 'queues';
  snapshotPageSize?: number;
  /** Off: cold syncs take paged JSON without asking for the server's image. */
  coldSyncImages?: boolean;
  log?: DeskLogger;
  /** Opens a URL in the system browser (Electron): provider sign-in goes through it; without it, through the page (browser mode). */
  openExternal?: (url: string) => Promise<void>;
}

/**
 * Sign-in and sign-out: the session's collaborators (cache, socket, sync,
 * outbox, AI client) are made here, and taken down here.
 */
export class SessionDesk {
  private demoUsers: SessionState['demoUsers'] = [];
  private signedOutReason: string | null = null;
  /** The server's single sign-on, once /api/info has answered. */
  private provider: { label: string } | null = null;
  /** Stops the current session's token renewal and handshake retries. */
  private stopAuth: () => void = () => undefined;
  private readonly feedListeners = new Set<(changes: readonly Change[]) => void>();
  private readonly coldSyncListeners = new Set<() => void>();

  constructor(
    private readonly sessions: SessionHolder,
    private readonly events: DesktopEventBus,
    private readonly http: ServerHttpClient,
    private readonly status: StatusDesk,
    private readonly aiSettings: AiSettingsDesk,
    private readonly syncLink: SyncLink,
    /** Routes the session socket's pushes to the desks. */
    private readonly link: (session: Session) => void,
    private readonly options: SessionDeskOptions,
  ) {}

  readonly handlers: Handlers<MethodsOf<typeof sessionMethods>> = {
    'session.get': () => this.state(),
    'session.login': ({ username, password }) => this.login(username, password),
    'session.changePassword': async ({ username, password, newPassword }) => {
      await this.http.changePassword(username, password, newPassword);
      return this.login(username, newPassword);
    },
    'session.providerSignInUrl': ({ returnTo }) => ({ url: providerStartUrl(this.options.serverUrl, returnTo) }),
    'session.loginWithProvider': async ({ code }) => {
      await this.logout();
      return this.begin(await this.http.exchangeProviderCode(code));
    },
    'session.loginWithSystemBrowser': async () => {
      const open = this.options.openExternal;
      if (!open) throw noSystemBrowser();
      const code = await codeFromSystemBrowser(this.options.serverUrl, open);
      await this.logout();
      return this.begin(await this.http.exchangeProviderCode(code));
    },
    'session.logout': async () => {
      await this.logout(null);
      return this.state();
    },
  };

  /** Called with every batch of feed changes applied to the cache (benchmarks and tests). */
  onFeedApplied(listener: (changes: readonly Change[]) => void): () => void {
    this.feedListeners.add(listener);
    return () => this.feedListeners.delete(listener);
  }

  /** Called when a cold sync has filled the cache (its pages carry the playbook and models as well as customers). */
  onColdSyncDone(listener: () => void): void {
    this.coldSyncListeners.add(listener);
  }

  /** The demo logins and the single sign-on the server offers, for the sign-in screen; fetched once it answers. */
  async loadDemoUsers(): Promise<void> {
    try {
      const info = await this.http.info();
      const demoUsers = info.demoUsers.length > 0 && this.demoUsers.length === 0;
      const provider = info.oidc?.label !== this.provider?.label;
      if (demoUsers) this.demoUsers = info.demoUsers;
      this.provider = info.oidc;
      if (demoUsers || provider) this.events.emit('session.changed', this.state());
    } catch {
      // The server is away; the login form still works once it is back.
    }
  }

  /**
   * Signs out. `reason` is the server's, when it ended the session (revoked, disabled): the login
   * screen says why. Signing out oneself revokes the session's tokens on the server too.
   */
  async logout(reason: keyof typeof SIGNED_OUT_REASONS | null = null): Promise<void> {
    this.stopAuth();
    this.stopAuth = () => undefined;
    this.http.setTokenRenewer(null);
    const session = this.sessions.end();
    if (!session) return;
    this.signedOutReason = reason ? SIGNED_OUT_REASONS[reason] : null;
    // Best effort: the server may be away, and the tokens expire anyway.
    if (!reason) void this.http.logout(session.token).catch(() => undefined);
    session.coldSync.stop();
    session.outbox.stop();
    session.socket.removeAllListeners();
    session.socket.disconnect();
    session.ai.dispose();
    // A cold sync's threads write into the cache through their own connections: they end before it closes.
    await session.sync.stop();
    session.cache.close();
    this.events.emit('session.changed', this.state());
  }

  private state(): SessionState {
    if (this.demoUsers.length === 0) void this.loadDemoUsers();
    const provider = this.provider ? { label: this.provider.label, via: this.options.openExternal ? 'system-browser' as const : 'page' as const } : null;
    return { serverUrl: this.options.serverUrl, user: this.sessions.current?.agent ?? null, demoUsers: this.demoUsers, signedOutReason: this.signedOutReason, provider };
  }

  private async login(username: string, password: string): Promise<SessionState> {
    await this.logout();
    return this.begin(await this.http.login(username, password));
  }

  /** A session for the tokens the server signed in with (a password or the provider's one-time code). */
  private async begin(signedIn: LoginResponse): Promise<SessionState> {
    const { agent } = signedIn;
    // Admins manage accounts over HTTP: no calls, no socket (the server refuses an admin's
    // handshake), no customer book, no outbox. Their session has a cache only for its settings.
    const admin = agent.role === 'admin';
    this.signedOutReason = null;
    // Ends this session (not a later one) when the server refuses its tokens.
    const end = (reason: keyof typeof SIGNED_OUT_REASONS): void => {
      if (this.sessions.isCurrent(session)) void this.logout(reason);
    };
    const tokens = new SessionTokens(this.http, signedIn, { renewed: () => undefined, ended: end });
    const { cache, rebuildNotice } = await openUserCache(this.options.dataDir, agent.username, this.options.keys);
    if (rebuildNotice) this.status.setSync({ phase: 'snapshot', done: 0, total: 0, message: rebuildNotice });
    // An agent's queues are its languages, and so is its outreach list: the server hands an agent a
    // preview task only for a customer whose language it speaks (shared/routing/outreach.ts).
    // Supervisors and the 'all' setting keep the whole book.
    if (this.options.cacheScope === 'queues' && agent.role === 'agent') cache.customers.setScope({ languages: new Set(agent.languages.map((l) => l.code)) });
    const aiSettings = new AiSettingsStore(cache, this.options.secrets, apiKeySecretName(agent.username));
    const { ai, model } = await this.aiSettings.createClient(cache, aiSettings);
    const socket: ServerSocket = admin ? io(this.options.serverUrl, { autoConnect: false }) : connectServerSocket(this.options.serverUrl, () => tokens.token);
    // What opening the cache said (a rebuild) stays on screen through the sync; a failure's text goes once the sync moves again.
    const notice = rebuildNotice;
    const sync = new SyncEngine(
      cache, this.http, () => tokens.token,
      (p) => this.status.setSync({ phase: p.phase, done: p.done, total: p.total, message: notice }),
      (changes) => this.feedListeners.forEach((listener) => listener(changes)),
      {
        ...(this.options.snapshotPageSize ? { snapshotPageSize: this.options.snapshotPageSize } : {}),
        ...(this.options.coldSyncImages === false ? { images: false } : {}),
        ...(this.options.log ? { log: this.options.log } : {}),
      },
    );
    const live = (): boolean => this.sessions.isCurrent(session) && socket.connected;
    const coldSync = new ColdSyncRunner(sync, {
      online: live,
      onComplete: () => {
        for (const listener of this.coldSyncListeners) listener();
        if (live()) void this.syncLink.connected(session);
      },
      onFailure: (error, retryInMs) => this.status.setSync({
        ...this.status.syncStatus, phase: 'error',
        message: `Sync failed: ${error instanceof Error ? error.message : String(error)}. ${retryInMs === null ? 'It resumes when the server is back.' : `Retrying in ${Math.ceil(retryInMs / 1000)} s.`}`,
      }),
    });
    const session: Session = {
      aiSettings, ai, aiModel: model,
      clock: new DesktopClock(cache, clockNode(cache, agent.id)),
      agent, cache, socket, sync, coldSync,
      get token() {
        return tokens.token;
      },
      outbox: new OutboxSender(cache, () => this.status.changed()),
    };
    if (admin) return this.startAdmin(session, tokens, end);
    const stopHandshake = watchHandshake(socket, {
      renew: () => tokens.renew(),
      refused: end,
      notice: (message) => this.status.setNotice(message),
    });
    this.stopAuth = () => {
      tokens.stop();
      stopHandshake();
    };
    this.http.setTokenRenewer({ renew: (stale) => tokens.renew(stale), refused: (code) => endsSession(code) && end(code) });
    this.sessions.start(session);
    this.link(session);
    this.events.emit('session.changed', this.state());
    // The cold sync runs in the background (retried until it completes); the UI shows its progress.
    coldSync.start();
    return this.state();
  }

  /**
   * An admin's session: its requests are plain HTTP, so the link is up once sign-in answered;
   * nothing syncs (the status stays idle) and nothing is queued. A refused token ends it.
   */
  private startAdmin(session: Session, tokens: SessionTokens, end: (reason: keyof typeof SIGNED_OUT_REASONS) => void): SessionState {
    this.stopAuth = () => tokens.stop();
    this.http.setTokenRenewer({ renew: (stale) => tokens.renew(stale), refused: (code) => endsSession(code) && end(code) });
    this.sessions.start(session);
    this.status.setConnection('online');
    this.events.emit('session.changed', this.state());
    return this.state();
  }
}
