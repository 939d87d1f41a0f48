import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import {
  desktopApi, isDesktopMethod,
  type ConnectionStatus, type DesktopEventName, type DesktopMethod, type EventPayload, type InvokeResult, type MethodInput, type MethodOutput, type SessionState,
} from '@shared/contract/desktop-api';
import type { PopView } from '@shared/contract/pop';
import { callOfferSchema, supervisorStateSchema, type CallOffer, type SupervisorState } from '@shared/contract/server-socket';
import type { Change } from '@shared/contract/sync';
import { outcomeRecordSchema } from '@shared/domain/wrapup';
import type { Agent } from '@shared/domain/agent';
import type { Language } from '@shared/domain/language';
import type { WrapUp } from '@shared/domain/wrapup';
import { CacheUnreadableError, LocalCache } from './cache/local-cache';
import type { CacheKeyProvider } from './key-provider';
import { buildPop, type Summariser } from './calls/pop-builder';
import { OutboxSender } from './outbox/outbox-sender';
import { ServerHttpClient, ServerRequestError } from './server-link/server-http-client';
import { connectServerSocket, request, ServerAckError, type ServerSocket } from './server-link/server-socket';
import { SyncEngine } from './sync/sync-engine';
import { HybridLogicalClock } from '@shared/sync/hlc';
import { profileEditSchema } from '@shared/sync/profile-edits';

export interface DesktopBackendOptions {
  serverUrl: string;
  dataDir: string;
  keys: CacheKeyProvider;
  summarise: Summariser;
}

export class BackendError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'BackendError';
  }
}

type ParsedInput<M extends DesktopMethod> = z.output<(typeof desktopApi)[M]['input']>;
type Handlers = { [M in DesktopMethod]: (input: ParsedInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M> };

interface Session {
  clock: HybridLogicalClock;
  agent: Agent;
  token: string;
  cache: LocalCache;
  socket: ServerSocket;
  sync: SyncEngine;
  outbox: OutboxSender;
}

interface CurrentCall {
  pop: PopView;
  state: 'offered' | 'connected' | 'wrap_up';
}

/**
 * The desktop backend: session, local cache, sync, calls and the outbox,
 * behind the one typed API the renderer uses. Host-agnostic: Electron's IPC
 * and the browser-mode web host both call `invoke` and listen with `on`.
 */
export class DesktopBackend {
  private readonly emitter = new EventEmitter();
  private readonly http: ServerHttpClient;
  private session: Session | null = null;
  private demoUsers: SessionState['demoUsers'] = [];
  private current: CurrentCall | null = null;
  private supervisorState: SupervisorState | null = null;
  private presence = 'offline';
  private connection: ConnectionStatus['connection'] = 'offline';
  private sync: ConnectionStatus['sync'] = { phase: 'idle', done: 0, total: 0, message: null };
  private readonly offerReceivedAt = new Map<string, number>();
  private readonly feedListeners = new Set<(changes: readonly Change[]) => void>();
  /** Offer-to-paint times, for the pop benchmark. */
  readonly popLatenciesMs: number[] = [];
  uiLanguage: Language = 'en';

  constructor(private readonly options: DesktopBackendOptions) {
    this.http = new ServerHttpClient(options.serverUrl);
    this.emitter.setMaxListeners(50);
  }

  private readonly handlers: Handlers = {
    'session.get': async () => this.sessionState(),
    'session.login': async ({ username, password }) => this.login(username, password),
    'session.logout': async () => {
      await this.logout();
      return this.sessionState();
    },
    'status.get': () => this.status(),
    'presence.set': async ({ presence }) => {
      const session = this.requireSession();
      const result = await request(session.socket, 'presence:set', { presence });
      this.setPresence(result.presence);
      return { ok: true as const };
    },
    'call.accept': async ({ callId }) => {
      const session = this.requireSession();
      await request(session.socket, 'offer:accept', { callId });
      if (this.current?.pop.call.id === callId) this.current.state = 'connected';
      this.emit('call.updated', { callId, state: 'connected' });
      return { ok: true as const };
    },
    'call.reject': async ({ callId }) => {
      const session = this.requireSession();
      await request(session.socket, 'offer:reject', { callId });
      if (this.current?.pop.call.id === callId) this.current = null;
      this.emit('call.updated', { callId, state: 'revoked', reason: 'rejected' });
      return { ok: true as const };
    },
    'call.hangUp': async ({ callId }) => {
      const session = this.requireSession();
      await request(session.socket, 'call:hangup', { callId });
      this.enterWrapUp(callId);
      return { ok: true as const };
    },
    'call.current': () => (this.current ? { pop: this.current.pop, phase: this.current.state } : null),
    'call.popPainted': ({ callId }) => {
      const started = this.offerReceivedAt.get(callId);
      if (started !== undefined) {
        this.popLatenciesMs.push(performance.now() - started);
        this.offerReceivedAt.delete(callId);
      }
      return { ok: true as const };
    },
    'wrapup.save': (input) => {
      const session = this.requireSession();
      const wrapUp: WrapUp = {
        ...input,
        id: randomUUID(),
        agentId: session.agent.id,
        summaryAuthor: 'agent',
        createdAt: new Date().toISOString(),
      };
      session.cache.saveWrapUp(wrapUp);
      if (this.current?.pop.call.id === input.callId) this.current = null;
      this.emit('call.updated', { callId: input.callId, state: 'saved' });
      this.emitStatus();
      if (session.socket.connected) void session.outbox.flush(session.socket);
      return { id: wrapUp.id };
    },
    'supervisor.state': () => this.supervisorState,
    'customer.edit': ({ customerId, field, value }) => {
      const session = this.requireSession();
      const edit = profileEditSchema.safeParse({ id: randomUUID(), customerId, field, value, hlc: session.clock.tick(), author: session.agent.id });
      if (!edit.success) throw new BackendError('invalid_input', edit.error.issues[0]?.message ?? 'invalid edit');
      const profile = session.cache.saveProfileEdit(edit.data);
      if (!profile) throw new BackendError('unknown_customer', `Customer ${customerId} is not in the local cache`);
      this.refreshPopFor(session, customerId);
      this.emitStatus();
      if (session.socket.connected) void session.outbox.flush(session.socket);
      return { ok: true as const };
    },
  };

  /** Validates the input against the contract, runs the handler, and returns errors as data. */
  async invoke<M extends DesktopMethod>(method: M, input: MethodInput<M>): Promise<InvokeResult<MethodOutput<M>>>;
  async invoke(method: unknown, input: unknown): Promise<InvokeResult<unknown>>;
  async invoke(method: unknown, input: unknown): Promise<InvokeResult<unknown>> {
    if (!isDesktopMethod(method)) return { ok: false, error: { code: 'unknown_method', message: `Unknown method ${String(method)}` } };
    const parsed = desktopApi[method].input.safeParse(input ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, error: { code: 'invalid_input', message: `${method}: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}` } };
    }
    try {
      const handler = this.handlers[method] as (input: unknown) => Promise<unknown> | unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      if (error instanceof BackendError || error instanceof ServerAckError || error instanceof ServerRequestError) {
        return { ok: false, error: { code: error.code, message: error.message } };
      }
      return { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
    }
  }

  on<E extends DesktopEventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  /** Backend-side hook (not part of the UI contract): called with every batch of feed changes applied to the cache. */
  onFeedApplied(listener: (changes: readonly Change[]) => void): () => void {
    this.feedListeners.add(listener);
    return () => this.feedListeners.delete(listener);
  }

  /** Hands an offer to the call flow, exactly as the server socket does. */
  receiveOffer(offer: CallOffer): void {
    const session = this.session;
    if (!session) return;
    this.offerReceivedAt.set(offer.call.id, performance.now());
    if (this.offerReceivedAt.size > 100) this.offerReceivedAt.delete(this.offerReceivedAt.keys().next().value as string);
    const pop = buildPop(session.cache, offer, this.options.summarise, this.uiLanguage);
    this.current = { pop, state: 'offered' };
    this.emit('call.offered', pop);
    if (offer.call.customerId && !pop.customer) void this.fetchMissingCustomer(session, offer);
  }

  async close(): Promise<void> {
    await this.logout();
    this.emitter.removeAllListeners();
  }

  private async login(username: string, password: string): Promise<SessionState> {
    await this.logout();
    const { token, agent } = await this.http.login(username, password);
    const cache = await this.openCache(agent.username);
    const socket = connectServerSocket(this.options.serverUrl, token);
    const session: Session = {
      clock: new HybridLogicalClock(this.clockNode(cache, agent.id)),
      agent, token, cache, socket,
      sync: new SyncEngine(
        cache, this.http, () => token,
        (p) => this.setSync({ phase: p.phase, done: p.done, total: p.total, message: this.sync.message }),
        (changes) => this.feedListeners.forEach((listener) => listener(changes)),
      ),
      outbox: new OutboxSender(cache, () => this.emitStatus()),
    };
    this.session = session;
    this.wireSocket(session);
    this.emit('session.changed', this.sessionState());
    // The cold sync runs in the background; the UI shows its progress.
    session.sync.coldSync().then(
      () => (socket.connected ? this.onConnected(session) : undefined),
      (error: unknown) => this.setSync({ ...this.sync, phase: 'error', message: `Sync failed: ${error instanceof Error ? error.message : String(error)}` }),
    );
    return this.sessionState();
  }

  private async logout(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = null;
    this.current = null;
    this.supervisorState = null;
    session.socket.removeAllListeners();
    session.socket.disconnect();
    session.cache.close();
    this.connection = 'offline';
    this.presence = 'offline';
    this.sync = { phase: 'idle', done: 0, total: 0, message: null };
    this.emit('session.changed', this.sessionState());
    this.emitStatus();
  }

  /** Opens the user's cache; an unreadable one is set aside and rebuilt from the server. */
  private async openCache(username: string): Promise<LocalCache> {
    const dir = join(this.options.dataDir, 'users', username.replace(/[^a-zA-Z0-9_-]/g, '_'));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'cache.db');
    try {
      return new LocalCache(file, await this.options.keys.cacheKey());
    } catch (error) {
      if (!(error instanceof CacheUnreadableError)) throw error;
      const aside = `${file}.unreadable-${Date.now()}`;
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
      }
      this.sync = { phase: 'snapshot', done: 0, total: 0, message: 'The local cache could not be read and is being rebuilt from the server.' };
      return new LocalCache(file, await this.options.keys.cacheKey());
    }
  }

  private wireSocket(session: Session): void {
    const { socket } = session;
    this.setConnection('connecting');
    socket.on('connect', () => {
      this.setConnection('online');
      if (!session.sync.needsSnapshot()) void this.onConnected(session);
    });
    socket.on('disconnect', () => {
      this.setConnection('offline');
      this.setPresence('offline');
    });
    socket.io.on('reconnect_attempt', () => this.setConnection(this.connection === 'online' ? 'online' : 'connecting'));
    socket.on('connect_error', () => this.setConnection('offline'));
    // Everything from the server is parsed against the contract; a malformed push is dropped, not trusted.
    socket.on('call:offer', (offer) => {
      const parsed = callOfferSchema.safeParse(offer);
      if (parsed.success) this.receiveOffer(parsed.data);
    });
    socket.on('call:revoked', ({ callId, reason }) => {
      if (this.current?.pop.call.id === callId && this.current.state === 'offered') this.current = null;
      this.emit('call.updated', { callId, state: 'revoked', reason });
    });
    socket.on('call:ended', ({ callId }) => this.enterWrapUp(callId));
    socket.on('presence:changed', ({ presence }) => this.setPresence(presence));
    socket.on('changes:available', () => {
      if (session.sync.needsSnapshot()) return;
      session.sync.pull(socket).then(
        () => this.current?.pop.call.customerId && this.refreshPopFor(session, this.current.pop.call.customerId),
        () => undefined,
      );
    });
    socket.on('supervisor:state', (raw) => {
      const state = supervisorStateSchema.safeParse(raw);
      if (!state.success) return;
      this.supervisorState = state.data;
      this.emit('supervisor.changed', state.data);
    });
    socket.on('supervisor:outcome', (raw) => {
      const parsed = outcomeRecordSchema.safeParse(raw);
      if (!this.supervisorState || !parsed.success) return;
      const outcome = parsed.data;
      const outcomes = [outcome, ...this.supervisorState.outcomes.filter((o) => o.id !== outcome.id)].slice(0, 50);
      this.supervisorState = { ...this.supervisorState, outcomes };
      this.emit('supervisor.changed', this.supervisorState);
    });
  }

  /** On every (re)connect: catch up on the feed, drain the outbox, and resubscribe. */
  private async onConnected(session: Session): Promise<void> {
    try {
      await session.sync.pull(session.socket);
    } catch (error) {
      this.setSync({ ...this.sync, phase: 'error', message: `Sync failed: ${error instanceof Error ? error.message : String(error)}` });
    }
    void session.outbox.flush(session.socket);
    if (session.agent.role === 'supervisor') {
      try {
        const { state } = await request(session.socket, 'supervisor:subscribe', {});
        this.supervisorState = state;
        this.emit('supervisor.changed', state);
      } catch {
        // The next connect retries.
      }
    }
  }

  private async fetchMissingCustomer(session: Session, offer: CallOffer): Promise<void> {
    try {
      const bundle = await this.http.customer(session.token, offer.call.customerId as string);
      session.cache.applySnapshotPage({ customers: [bundle.customer], scores: bundle.scores ? [bundle.scores] : [], interactions: bundle.interactions });
      if (this.current?.pop.call.id === offer.call.id) {
        const pop = buildPop(session.cache, offer, this.options.summarise, this.uiLanguage);
        this.current = { ...this.current, pop };
        this.emit('call.offered', pop);
      }
    } catch {
      // Offline or unknown: the pop already shows what the cache had.
    }
  }

  /** A stable clock node per desktop cache, so two desktops of one agent never tie. */
  private clockNode(cache: LocalCache, agentId: string): string {
    let node = cache.meta('hlc_node');
    if (!node) {
      node = `${agentId}-${randomUUID().slice(0, 8)}`.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32);
      cache.setMeta('hlc_node', node);
    }
    return node;
  }

  /** Rebuilds the pop on screen when its customer changed underneath it. */
  private refreshPopFor(session: Session, customerId: string): void {
    const current = this.current;
    if (!current || current.pop.call.customerId !== customerId) return;
    const pop = buildPop(session.cache, { call: current.pop.call, reservationDeadline: current.pop.reservationDeadline, match: current.pop.match }, this.options.summarise, this.uiLanguage);
    this.current = { ...current, pop };
    this.emit('call.offered', pop);
  }

  private enterWrapUp(callId: string): void {
    if (this.current?.pop.call.id === callId) this.current.state = 'wrap_up';
    this.emit('call.updated', { callId, state: 'wrap_up' });
  }

  private requireSession(): Session {
    if (!this.session) throw new BackendError('not_logged_in', 'Log in first');
    return this.session;
  }

  private sessionState(): SessionState {
    if (this.demoUsers.length === 0) void this.loadDemoUsers();
    return { serverUrl: this.options.serverUrl, user: this.session?.agent ?? null, demoUsers: this.demoUsers };
  }

  private async loadDemoUsers(): Promise<void> {
    try {
      const info = await this.http.info();
      if (info.demoUsers.length > 0 && this.demoUsers.length === 0) {
        this.demoUsers = info.demoUsers;
        this.emit('session.changed', this.sessionState());
      }
    } catch {
      // The server is away; the login form still works once it is back.
    }
  }

  async preloadServerInfo(): Promise<void> {
    await this.loadDemoUsers();
  }

  private status(): ConnectionStatus {
    return { connection: this.connection, outboxPending: this.session?.cache.pendingOutboxCount() ?? 0, sync: this.sync, presence: this.presence };
  }

  private setConnection(connection: ConnectionStatus['connection']): void {
    if (this.connection === connection) return;
    this.connection = connection;
    this.emitStatus();
  }

  private setPresence(presence: string): void {
    if (this.presence === presence) return;
    this.presence = presence;
    this.emitStatus();
  }

  private setSync(sync: ConnectionStatus['sync']): void {
    this.sync = sync;
    this.emitStatus();
  }

  private emitStatus(): void {
    this.emit('status.changed', this.status());
  }

  private emit<E extends DesktopEventName>(event: E, payload: EventPayload<E>): void {
    this.emitter.emit(event, payload);
  }
}
