import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import {
  desktopApi, isDesktopMethod,
  type AiAuditRow, type BriefUpdate, type ConnectionStatus, type ConnectionTest, type DesktopEventName, type DesktopMethod, type EventPayload, type InvokeResult,
  type MethodInput, type MethodOutput, type OutcomeBreakdown, type SavedDraft, type SaveWrapUpInput, type SessionState, type WrapUpDraftView,
} from '@shared/contract/desktop-api';
import type { PopView } from '@shared/contract/pop';
import {
  callOfferSchema, OUTREACH_MATCH_METHOD, outreachAcceptResultSchema, outreachRevokedSchema, outreachTaskSchema, supervisorStateSchema,
  type CallOffer, type OutreachTask, type SupervisorState,
} from '@shared/contract/server-socket';
import { changesAvailableSchema, type Change } from '@shared/contract/sync';
import { outcomeRecordSchema, type OutcomeRecord } from '@shared/domain/wrapup';
import type { Agent } from '@shared/domain/agent';
import type { Call } from '@shared/domain/call';
import type { Language } from '@shared/domain/language';
import type { WrapUp } from '@shared/domain/wrapup';
import { outcomeBreakdown } from '@shared/supervisor/outcome-breakdown';
import type { IdentityActionResult } from '@shared/identity/agent-api';
import { AGENT_PICK_METHOD, candidateFromProfile, matchedOnFor } from '@shared/identity/pick';
import { CacheUnreadableError, LocalCache } from './cache/local-cache';
import { describeRebuild, salvageOutbox } from './cache/salvage-outbox';
import type { CacheKeyProvider } from './key-provider';
import { buildPop, HISTORY_FOR_SUMMARY, type Summariser } from './calls/pop-builder';
import { attributeSummary, type SummaryAuthor } from './calls/summary-author';
import { parseTranscript } from './calls/transcript';
import { createAiClient, sha256Hex, type AiAuditRecord, type AiClient, type AiClientConfigInput } from './ai/index';
import { AiSettingsStore, apiKeySecretName, cacheAuditSink, FileSecretStore, type SecretStore } from './ai-settings/index';
import { OutboxSender } from './outbox/outbox-sender';
import { ServerHttpClient, ServerRequestError } from './server-link/server-http-client';
import { connectServerSocket, request, ServerAckError, type ServerSocket } from './server-link/server-socket';
import { SyncEngine } from './sync/sync-engine';
import { ColdSyncRunner } from './sync/cold-sync-runner';
import { DesktopClock } from './sync/desktop-clock';
import { describeRefusal } from './models/model-check';
import type { HybridLogicalClock } from '@shared/sync/hlc';
import { profileEditSchema } from '@shared/sync/profile-edits';

export interface DesktopBackendOptions {
  serverUrl: string;
  dataDir: string;
  keys: CacheKeyProvider;
  /** The on-device brief, painted with the pop. */
  summarise: Summariser;
  /** Where the AI endpoint's key is kept (Electron: safeStorage); default: 0600 files in dataDir, as browser mode keeps the cache key. */
  secrets?: SecretStore;
  /** Fixed AI client settings (retries, backoff, request timeouts) beneath the user's own; for deployments and tests. */
  aiOverrides?: Partial<AiClientConfigInput>;
  /** What the cache keeps: every customer ('all', the default) or those of the agent's queues ('queues'). */
  cacheScope?: 'all' | 'queues';
  /** Customers per cold-sync page (default 2,000); tests shrink it to cut a cold sync between pages. */
  snapshotPageSize?: number;
}

/** Wrap-up drafts of calls that never got saved are dropped after this long. */
const DRAFT_RETENTION_MS = 7 * 24 * 3_600_000;
/** Outcomes a supervisor's desk keeps for the save-rate breakdown (the server sends the latest 50 on subscribe, then each new one). */
const OUTCOME_LOG_LIMIT = 5_000;

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
  /** Keeps the cold sync going (retried with backoff, resumed on reconnect) until the cache is complete. */
  coldSync: ColdSyncRunner;
  outbox: OutboxSender;
  aiSettings: AiSettingsStore;
  ai: AiClient;
  /** The configured model, or null when everything is on-device. */
  aiModel: string | null;
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
  private readonly secrets: SecretStore;
  /** Bumped for every brief started: events of an older one are ignored. */
  private briefRun = 0;
  /** Which call a customer's model calls belong to, for the audit log. */
  private readonly lastCallByCustomer = new Map<string, string>();
  /** The preview task on offer to this agent. */
  private outreachTask: OutreachTask | null = null;
  /** The outbound call opened from a task, with the task (its why and why now stay on screen). */
  private outboundCall: { callId: string; task: OutreachTask } | null = null;
  /** Every outcome this supervisor desk has seen, by id, for the breakdowns. */
  private readonly outcomeLog = new Map<string, OutcomeRecord>();

  constructor(private readonly options: DesktopBackendOptions) {
    this.http = new ServerHttpClient(options.serverUrl);
    this.emitter.setMaxListeners(50);
    this.secrets = options.secrets ?? new FileSecretStore(options.dataDir);
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
      const { summaryAuthor: claimed, ...fields } = input;
      const wrapUp: WrapUp = {
        ...fields,
        id: randomUUID(),
        agentId: session.agent.id,
        summaryAuthor: this.summaryAuthorFor(session, input, claimed),
        createdAt: new Date().toISOString(),
      };
      session.cache.outbox.saveWrapUp(wrapUp);
      session.cache.wrapUpDrafts.delete(input.callId);
      if (this.current?.pop.call.id === input.callId) this.current = null;
      if (this.outboundCall?.callId === input.callId) this.outboundCall = null;
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
      const profile = session.cache.outbox.saveProfileEdit(edit.data);
      if (!profile) throw new BackendError('unknown_customer', `Customer ${customerId} is not in the local cache`);
      this.refreshPopFor(session, customerId);
      this.emitStatus();
      if (session.socket.connected) void session.outbox.flush(session.socket);
      return { ok: true as const };
    },
    'ui.setLanguage': ({ language }) => {
      if (language !== this.uiLanguage) {
        this.uiLanguage = language;
        if (this.session) this.relocaliseBrief(this.session);
      }
      return { ok: true as const };
    },
    'ai.settings.get': () => this.requireSession().aiSettings.view(),
    'ai.settings.save': async (input) => {
      const session = this.requireSession();
      const view = await session.aiSettings.save(input);
      await this.reconfigureAi(session);
      return view;
    },
    'ai.testConnection': async (input) => this.testConnection(this.requireSession(), input),
    'ai.audit.list': ({ limit, callId }) => this.auditRows(this.requireSession(), limit, callId),
    'ai.audit.payload': ({ id }) => {
      const row = this.requireSession().cache.aiAudit.payload(id);
      if (!row) throw new BackendError('not_found', `No AI audit entry ${id}`);
      return { id, payload: row.payload, payloadSha256: row.payloadSha256, verified: sha256Hex(row.payload) === row.payloadSha256 };
    },
    'wrapup.draft': async ({ callId, notes, transcript }) => this.draftWrapUp(this.requireSession(), callId, notes, transcript ?? ''),
    'wrapup.autosave': (form) => {
      const session = this.requireSession();
      // A timer firing after the save (or for a call that is gone) must not bring a draft back.
      if (this.current?.pop.call.id !== form.callId) return { ok: true as const };
      session.cache.wrapUpDrafts.putForm(form.callId, this.current.pop.customer?.id ?? null, form, new Date().toISOString());
      return { ok: true as const };
    },
    'wrapup.restore': ({ callId }) => this.savedDraft(this.requireSession(), callId),
    'outreach.current': () => ({ open: this.outreachTask, onCall: this.outboundCall }),
    'outreach.accept': async ({ taskId }) => this.acceptOutreach(this.requireSession(), taskId),
    'outreach.skip': async ({ taskId, reason }) => {
      const session = this.requireSession();
      await request(session.socket, 'outreach:skip', { taskId, ...(reason ? { reason } : {}) });
      if (this.outreachTask?.taskId === taskId) this.outreachTask = null;
      return { ok: true as const };
    },
    'outreach.list': ({ limit }) => this.http.outreach(this.requireSession().token, limit),
    // Roles are the server's to enforce: an agent asking gets its 403 back as data.
    'agents.list': () => this.http.agents(this.requireSession().token),
    'agents.update': ({ agentId, changes }) => this.http.updateAgent(this.requireSession().token, agentId, changes),
    'supervisor.breakdown': () => this.breakdown(this.requireSession()),
    // ---- Identity: who the caller is, and the agent's confirm / merge / split ----
    'identity.candidates': async ({ callId }) => {
      const session = this.requireSession();
      const pop = this.current?.pop;
      if (!pop || pop.call.id !== callId) throw new BackendError('not_found', `identity.candidates: call ${callId} is not on screen`);
      const candidates = [];
      for (const { customerId, confidence } of pop.match.candidates) {
        // A candidate outside this desk's cached scope is fetched (and kept: they are calling).
        let profile = session.cache.customers.get(customerId);
        if (!profile) {
          const bundle = await this.http.customer(session.token, customerId).catch(() => null);
          if (bundle) session.cache.feed.applySnapshotPage({ customers: [bundle.customer], scores: bundle.scores ? [bundle.scores] : [], interactions: bundle.interactions }, { keepOutOfScope: true });
          profile = bundle?.customer ?? null;
        }
        if (profile) candidates.push(candidateFromProfile(profile, confidence, matchedOnFor(profile, pop.call.callerNumber, pop.call.accountId)));
        else candidates.push({ customerId, name: customerId, accountId: '', city: null, birthYear: null, confidence, matchedOn: [] });
      }
      return { candidates };
    },
    'identity.pick': async ({ callId, customerId }) => {
      const session = this.requireSession();
      const pop = this.current?.pop;
      if (!pop || pop.call.id !== callId) throw new BackendError('not_found', `identity.pick: call ${callId} is not on screen`);
      const picked = pop.match.candidates.find((c) => c.customerId === customerId);
      if (!picked) throw new BackendError('invalid_input', `identity.pick: ${customerId} is not a candidate of this call`);
      const offer: CallOffer = {
        call: { ...pop.call, customerId },
        reservationDeadline: pop.reservationDeadline,
        match: { method: AGENT_PICK_METHOD, confidence: 1, candidates: [{ customerId, confidence: 1 }] },
      };
      this.replacePop(session, offer);
      if (!session.cache.customers.get(customerId)) await this.fetchMissingCustomer(session, offer);
      // The binding stands offline too; the server hears the confirmation when it can be reached.
      const confirmed = await this.http.identityAction(session.token, 'confirm', { customerId }).then(() => true, () => false);
      return { confirmed };
    },
    'identity.confirm': async ({ customerId }) => this.afterIdentityAction(await this.http.identityAction(this.requireSession().token, 'confirm', { customerId })),
    'identity.merge': async ({ customerIds }) => this.afterIdentityAction(await this.http.identityAction(this.requireSession().token, 'merge', { customerIds })),
    'identity.split': async ({ customerId, recordIds }) => this.afterIdentityAction(await this.http.identityAction(this.requireSession().token, 'split', { customerId, recordIds })),
    'identity.find': ({ query }) => this.http.findIdentities(this.requireSession().token, query),
    'identity.records': ({ customerId }) => this.http.identityRecords(this.requireSession().token, customerId),
  };

  /**
   * After a confirm, merge or split: the cache catches up on the change feed,
   * and the customer on screen is re-read from the server (they may be outside
   * this desk's cached scope) so the pop shows the profile as it now stands.
   */
  private async afterIdentityAction(result: IdentityActionResult): Promise<IdentityActionResult> {
    const session = this.requireSession();
    await session.sync.pull(session.socket).catch(() => undefined);
    const onScreen = this.current?.pop.call.customerId;
    if (onScreen && result.changedCustomers.includes(onScreen)) {
      const bundle = await this.http.customer(session.token, onScreen).catch(() => null);
      if (bundle) session.cache.feed.applySnapshotPage({ customers: [bundle.customer], scores: bundle.scores ? [bundle.scores] : [], interactions: bundle.interactions }, { keepOutOfScope: true });
      this.refreshPopFor(session, onScreen);
    }
    return result;
  }

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
      if (error instanceof ServerRequestError && error.field !== undefined) {
        return { ok: false, error: { code: error.code, message: error.message, field: error.field } };
      }
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
    // Inbound calls always come first; the server revokes the task too, this just does not wait for it.
    this.dropOutreachTask('inbound');
    const pop = buildPop(session.cache, offer, this.options.summarise, this.uiLanguage, session.aiModel ? 'pending' : 'done');
    this.current = { pop, state: 'offered' };
    this.emit('call.offered', pop);
    if (pop.customer) this.rememberCall(pop.customer.id, offer.call.id);
    // The pop is out; now the model's brief starts (the prefetch), while the call is still ringing.
    if (pop.customer && session.aiModel) this.startBrief(session, offer.call.id);
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
    // An agent's queues are its languages, and so is its outreach list: the server hands an agent a
    // preview task only for a customer whose language it speaks (shared/routing/outreach.ts).
    // Supervisors and the 'all' setting keep the whole book.
    if (this.options.cacheScope === 'queues' && agent.role === 'agent') cache.customers.setScope({ languages: new Set(agent.languages.map((l) => l.code)) });
    cache.wrapUpDrafts.prune(new Date(Date.now() - DRAFT_RETENTION_MS).toISOString());
    const aiSettings = new AiSettingsStore(cache, this.secrets, apiKeySecretName(agent.username));
    const { ai, model } = await this.createAi(cache, aiSettings);
    const socket = connectServerSocket(this.options.serverUrl, token);
    // What openCache said (a rebuild) stays on screen through the sync; a failure's text goes once the sync moves again.
    const notice = this.sync.message;
    const sync = new SyncEngine(
      cache, this.http, () => token,
      (p) => this.setSync({ phase: p.phase, done: p.done, total: p.total, message: notice }),
      (changes) => this.feedListeners.forEach((listener) => listener(changes)),
      this.options.snapshotPageSize ? { snapshotPageSize: this.options.snapshotPageSize } : {},
    );
    const live = (): boolean => this.session === session && socket.connected;
    const coldSync = new ColdSyncRunner(sync, {
      online: live,
      onComplete: () => (live() ? void this.onConnected(session) : undefined),
      onFailure: (error, retryInMs) => this.setSync({
        ...this.sync, phase: 'error',
        message: `Sync failed: ${error instanceof Error ? error.message : String(error)}. ${retryInMs === null ? 'It resumes when the server is back.' : `Retrying in ${Math.ceil(retryInMs / 1000)} s.`}`,
      }),
    });
    const session: Session = {
      aiSettings, ai, aiModel: model,
      clock: new DesktopClock(cache, this.clockNode(cache, agent.id)),
      agent, token, cache, socket, sync, coldSync,
      outbox: new OutboxSender(cache, () => this.emitStatus()),
    };
    this.session = session;
    this.wireSocket(session);
    this.emit('session.changed', this.sessionState());
    // The cold sync runs in the background (retried until it completes); the UI shows its progress.
    coldSync.start();
    return this.sessionState();
  }

  private async logout(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = null;
    this.current = null;
    this.supervisorState = null;
    this.outreachTask = null;
    this.outboundCall = null;
    this.outcomeLog.clear();
    session.coldSync.stop();
    session.outbox.stop();
    session.socket.removeAllListeners();
    session.socket.disconnect();
    session.ai.dispose();
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
    const key = await this.options.keys.cacheKey();
    try {
      return new LocalCache(file, key);
    } catch (error) {
      if (!(error instanceof CacheUnreadableError)) throw error;
      const aside = `${file}.unreadable-${Date.now()}`;
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
      }
      const cache = new LocalCache(file, await this.options.keys.cacheKey());
      // Saved work not yet sent is read out of the damaged file and queued again; the server applies each id once.
      const salvage = salvageOutbox(aside, key);
      cache.outbox.requeue(salvage.entries);
      this.sync = { phase: 'snapshot', done: 0, total: 0, message: describeRebuild(salvage) };
      return cache;
    }
  }

  private wireSocket(session: Session): void {
    const { socket } = session;
    this.setConnection('connecting');
    socket.on('connect', () => {
      this.setConnection('online');
      void this.onConnected(session);
    });
    socket.on('disconnect', () => {
      this.setConnection('offline');
      this.setPresence('offline');
      // The server hands a task that still stands back on reconnect.
      this.dropOutreachTask('unavailable');
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
    socket.on('changes:available', (raw) => {
      // The snapshot's feed position covers this; a cold sync waiting out its backoff keeps waiting (a busy feed must not hammer a failing snapshot).
      if (session.sync.needsSnapshot()) return;
      // A malformed push is not trusted: the feed is pulled instead, and that answer is checked too.
      const push = changesAvailableSchema.safeParse(raw);
      (push.success ? session.sync.receive(push.data, socket) : session.sync.pull(socket)).then(
        () => this.current?.pop.call.customerId && this.refreshPopFor(session, this.current.pop.call.customerId),
        () => undefined,
      );
    });
    socket.on('outreach:task', (raw) => {
      const task = outreachTaskSchema.safeParse(raw);
      if (!task.success || session.agent.role !== 'agent') return;
      this.outreachTask = task.data;
      this.emit('outreach.task', task.data);
    });
    socket.on('outreach:revoked', (raw) => {
      const revoked = outreachRevokedSchema.safeParse(raw);
      if (!revoked.success) return;
      if (this.outreachTask?.taskId === revoked.data.taskId) this.outreachTask = null;
      this.emit('outreach.revoked', revoked.data);
    });
    socket.on('supervisor:state', (raw) => {
      const state = supervisorStateSchema.safeParse(raw);
      if (!state.success) return;
      this.logOutcomes(state.data.outcomes);
      this.supervisorState = state.data;
      this.emit('supervisor.changed', state.data);
    });
    socket.on('supervisor:outcome', (raw) => {
      const parsed = outcomeRecordSchema.safeParse(raw);
      if (!this.supervisorState || !parsed.success) return;
      const outcome = parsed.data;
      this.logOutcomes([outcome]);
      const outcomes = [outcome, ...this.supervisorState.outcomes.filter((o) => o.id !== outcome.id)].slice(0, 50);
      this.supervisorState = { ...this.supervisorState, outcomes };
      this.emit('supervisor.changed', this.supervisorState);
    });
  }

  /** On every (re)connect: drain the outbox, resume a cold sync or catch up on the feed, and resubscribe. */
  private async onConnected(session: Session): Promise<void> {
    // Saved work goes first, whatever state the cache is in: a pending snapshot must not hold it back.
    void session.outbox.flush(session.socket);
    if (session.sync.needsSnapshot()) {
      // Its completion pulls the feed.
      session.coldSync.start();
    } else {
      try {
        await session.sync.pull(session.socket);
      } catch (error) {
        this.setSync({ ...this.sync, phase: 'error', message: `Sync failed: ${error instanceof Error ? error.message : String(error)}` });
        // The server asked for a fresh snapshot and it did not finish: keep at it.
        if (this.session === session && session.sync.needsSnapshot()) session.coldSync.start();
      }
    }
    if (session.agent.role === 'supervisor') {
      try {
        const { state: raw } = await request(session.socket, 'supervisor:subscribe', {});
        const state = supervisorStateSchema.safeParse(raw);
        if (!state.success) return;
        this.logOutcomes(state.data.outcomes);
        this.supervisorState = state.data;
        this.emit('supervisor.changed', state.data);
      } catch {
        // The next connect retries.
      }
    }
  }

  private async fetchMissingCustomer(session: Session, offer: CallOffer): Promise<void> {
    try {
      const bundle = await this.http.customer(session.token, offer.call.customerId as string);
      // A caller outside this desk's cached scope is kept once fetched: they may call back.
      session.cache.feed.applySnapshotPage({ customers: [bundle.customer], scores: bundle.scores ? [bundle.scores] : [], interactions: bundle.interactions }, { keepOutOfScope: true });
      this.replacePop(session, offer);
    } catch {
      // Offline or unknown: the pop already shows what the cache had.
    }
  }

  // ---- Outreach: preview tasks and the outbound calls they open ----

  private dropOutreachTask(reason: 'inbound' | 'unavailable'): void {
    const task = this.outreachTask;
    if (!task) return;
    this.outreachTask = null;
    this.emit('outreach.revoked', { taskId: task.taskId, reason });
  }

  /**
   * The server opens the outbound call (no offer follows: the agent is
   * connected at once); the pop is built from the cache exactly as for an
   * inbound caller, and its wrap-up is saved with the server's call id.
   */
  private async acceptOutreach(session: Session, taskId: string): Promise<{ callId: string; customerId: string }> {
    if (this.current) throw new BackendError('busy', 'Finish the call on screen before taking an outreach task');
    const task = this.outreachTask?.taskId === taskId ? this.outreachTask : null;
    const answer = outreachAcceptResultSchema.safeParse(await request(session.socket, 'outreach:accept', { taskId }));
    if (!answer.success) throw new BackendError('bad_response', 'The server accepted the task but its answer did not match the contract');
    const { callId, customerId } = answer.data;
    if (this.outreachTask?.taskId === taskId) this.outreachTask = null;
    const customer = session.cache.customers.get(customerId);
    const now = new Date().toISOString();
    const call: Call = {
      id: callId,
      callerNumber: task?.phone ?? customer?.phones[0] ?? '',
      accountId: customer?.accountId ?? null,
      language: task?.language ?? customer?.language ?? 'en',
      intent: 'cancellation',
      customerId,
      state: 'connected',
      agentId: session.agent.id,
      createdAt: now,
      answeredAt: now,
      endedAt: null,
      priority: task?.valueAtRisk ?? 0,
    };
    const offer: CallOffer = { call, reservationDeadline: Date.now(), match: { method: OUTREACH_MATCH_METHOD, confidence: 1, candidates: [{ customerId, confidence: 1 }] } };
    const pop = buildPop(session.cache, offer, this.options.summarise, this.uiLanguage, session.aiModel ? 'pending' : 'done');
    this.current = { pop, state: 'connected' };
    this.outboundCall = task ? { callId, task } : null;
    this.emit('call.offered', pop);
    this.emit('call.updated', { callId, state: 'connected' });
    if (pop.customer) {
      this.rememberCall(pop.customer.id, callId);
      if (session.aiModel) this.startBrief(session, callId);
    } else {
      void this.fetchMissingCustomer(session, offer);
    }
    return { callId, customerId };
  }

  // ---- Supervisor: save rate by agent, offer and segment ----

  private logOutcomes(outcomes: readonly OutcomeRecord[]): void {
    for (const outcome of outcomes) this.outcomeLog.set(outcome.id, outcome);
    if (this.outcomeLog.size <= OUTCOME_LOG_LIMIT) return;
    const oldestFirst = [...this.outcomeLog.values()].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    for (const outcome of oldestFirst.slice(0, this.outcomeLog.size - OUTCOME_LOG_LIMIT)) this.outcomeLog.delete(outcome.id);
  }

  private breakdown(session: Session): OutcomeBreakdown {
    const offers = new Map((session.cache.reference.playbook()?.offers ?? []).map((o) => [o.id, o.name]));
    return outcomeBreakdown(this.outcomeLog.values(), {
      // Routing's segment (value tier x churn band) from the customer's scores in this desk's cache.
      segmentOf: (customerId) => {
        const scores = session.cache.customers.scores(customerId);
        return scores ? `${scores.valueTier}-${scores.churnBand}` : 'unscored';
      },
      offerName: (offerId) => offers.get(offerId) ?? offerId,
    });
  }

  /** A stable clock node per desktop cache, so two desktops of one agent never tie. */
  private clockNode(cache: LocalCache, agentId: string): string {
    let node = cache.meta.get('hlc_node');
    if (!node) {
      node = `${agentId}-${randomUUID().slice(0, 8)}`.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32);
      cache.meta.set('hlc_node', node);
    }
    return node;
  }

  /** Rebuilds the pop on screen when its customer changed underneath it. */
  private refreshPopFor(session: Session, customerId: string): void {
    const current = this.current;
    if (!current || current.pop.call.customerId !== customerId) return;
    this.replacePop(session, { call: current.pop.call, reservationDeadline: current.pop.reservationDeadline, match: current.pop.match });
  }

  /**
   * Rebuilds the pop on screen from the cache. A model brief (or one under
   * way) for the same customer is kept; a customer who has just become known
   * gets their brief started.
   */
  private replacePop(session: Session, offer: CallOffer): void {
    const current = this.current;
    if (!current || current.pop.call.id !== offer.call.id) return;
    let pop = buildPop(session.cache, offer, this.options.summarise, this.uiLanguage, session.aiModel ? 'pending' : 'done');
    const before = current.pop.summary;
    const sameCustomer = pop.customer !== null && pop.customer.id === current.pop.customer?.id;
    if (sameCustomer && (before.source === 'model' || before.status === 'pending' || before.status === 'streaming')) {
      pop = { ...pop, summary: before };
    } else if (sameCustomer) {
      pop = { ...pop, summary: { ...pop.summary, status: 'done', fallbackReason: before.fallbackReason ?? null } };
    }
    this.current = { ...current, pop };
    this.emit('call.offered', pop);
    if (!sameCustomer && pop.customer) {
      this.rememberCall(pop.customer.id, pop.call.id);
      if (session.aiModel) this.startBrief(session, pop.call.id);
    }
  }

  // ---- AI: the brief, settings, audit log and wrap-up drafts ----

  private async createAi(cache: LocalCache, settings: AiSettingsStore): Promise<{ ai: AiClient; model: string | null }> {
    const audit = cacheAuditSink(cache, (record: AiAuditRecord) => (record.customerId ? this.lastCallByCustomer.get(record.customerId) ?? null : null));
    const config = await settings.clientConfig(this.options.aiOverrides);
    try {
      return { ai: createAiClient({ config, audit }), model: config?.model ?? null };
    } catch {
      // Settings that no longer parse (an older app wrote them) must not stop the desk: on-device until fixed.
      return { ai: createAiClient({ config: null, audit }), model: null };
    }
  }

  private async reconfigureAi(session: Session): Promise<void> {
    const previous = session.ai;
    const { ai, model } = await this.createAi(session.cache, session.aiSettings);
    session.ai = ai;
    session.aiModel = model;
    previous.dispose();
    // The brief on screen is redone with the new endpoint (or settles on-device without one).
    if (this.session === session) this.relocaliseBrief(session);
  }

  private rememberCall(customerId: string, callId: string): void {
    this.lastCallByCustomer.delete(customerId);
    this.lastCallByCustomer.set(customerId, callId);
    if (this.lastCallByCustomer.size > 200) this.lastCallByCustomer.delete(this.lastCallByCustomer.keys().next().value as string);
  }

  /** Redoes the brief on screen in the current language and with the current endpoint: on-device at once, the model's streaming after. */
  private relocaliseBrief(session: Session): void {
    const current = this.current;
    if (!current?.pop.customer) return;
    const history = session.cache.customers.recentInteractions(current.pop.customer.id, HISTORY_FOR_SUMMARY).reverse();
    const bullets = this.options.summarise(history, this.uiLanguage).bullets;
    this.briefRun++;
    this.applyBrief(current.pop.call.id, { source: 'on-device', model: null, bullets, done: !session.aiModel, fallbackReason: null, language: this.uiLanguage }, session.aiModel ? 'pending' : 'done');
    if (session.aiModel) this.startBrief(session, current.pop.call.id);
  }

  private startBrief(session: Session, callId: string): void {
    const run = ++this.briefRun;
    // After this turn, so building and redacting the prompt never delays the pop.
    setImmediate(() => void this.streamBrief(session, callId, run));
  }

  private async streamBrief(session: Session, callId: string, run: number): Promise<void> {
    const stale = (): boolean => run !== this.briefRun || this.session !== session || this.current?.pop.call.id !== callId;
    const customer = this.current?.pop.customer;
    if (stale() || !customer) return;
    const language = this.uiLanguage;
    const model = session.aiModel;
    const history = session.cache.customers.recentInteractions(customer.id, HISTORY_FOR_SUMMARY);
    const bullets: string[] = [];
    try {
      // Leaving the loop early detaches this listener only: the run goes on and its brief is cached.
      for await (const event of session.ai.streamBrief(customer, history, { agentId: session.agent.id, language })) {
        if (stale()) return;
        if (event.type === 'bullet') {
          // On-device bullets are already on screen; only the model's replace them.
          if (event.source !== 'model') continue;
          bullets.push(event.text);
          this.applyBrief(callId, { source: 'model', model, bullets: [...bullets], done: false, fallbackReason: null, language });
        } else {
          const result = event.result;
          this.applyBrief(callId, { source: result.source, model: result.model, bullets: [...result.bullets], done: true, fallbackReason: result.fallbackReason, language: result.language });
        }
      }
    } catch {
      if (stale()) return;
      const onDevice = this.options.summarise([...history].reverse(), language).bullets;
      this.applyBrief(callId, { source: 'on-device', model: null, bullets: onDevice, done: true, fallbackReason: 'internal-error', language });
    }
  }

  private applyBrief(callId: string, update: Omit<BriefUpdate, 'callId'>, status: 'pending' | 'streaming' | 'done' = update.done ? 'done' : 'streaming'): void {
    const current = this.current;
    if (current?.pop.call.id === callId) {
      const summary = { source: update.source, model: update.model, bullets: update.bullets, status, fallbackReason: update.fallbackReason, language: update.language };
      this.current = { ...current, pop: { ...current.pop, summary } };
    }
    this.emit('brief.updated', { callId, ...update });
  }

  private async testConnection(session: Session, input: ParsedInput<'ai.testConnection'>): Promise<ConnectionTest> {
    const config = await session.aiSettings.trialConfig(input, this.options.aiOverrides);
    if (!config) return { ok: false, latencyMs: 0, models: [], modelAvailable: null, failure: 'not-configured' };
    let client: AiClient;
    try {
      client = createAiClient({ config, audit: { record: () => undefined } });
    } catch {
      return { ok: false, latencyMs: 0, models: [], modelAvailable: null, failure: 'bad-request' };
    }
    try {
      const result = await client.testConnection();
      return result.ok
        ? { ok: true, latencyMs: Math.round(result.latencyMs), models: [...result.models], modelAvailable: result.modelAvailable, failure: null }
        : { ok: false, latencyMs: Math.round(result.latencyMs), models: [], modelAvailable: null, failure: result.failure };
    } finally {
      client.dispose();
    }
  }

  private auditRows(session: Session, limit: number, callId: string | undefined): AiAuditRow[] {
    const names = new Map<string, string | null>();
    const customerName = (id: string | null): string | null => {
      if (id === null) return null;
      if (!names.has(id)) {
        const customer = session.cache.customers.get(id);
        names.set(id, customer ? `${customer.givenName} ${customer.familyName}` : null);
      }
      return names.get(id) ?? null;
    };
    const agentName = (id: string): string | null => (id === session.agent.id ? session.agent.displayName : session.cache.reference.agent(id)?.displayName ?? null);
    return session.cache.aiAudit.summaries(limit, callId).map((row) => ({ ...row, agentName: agentName(row.agentId), customerName: customerName(row.customerId) }));
  }

  private async draftWrapUp(session: Session, callId: string, notes: string, transcriptText: string): Promise<WrapUpDraftView> {
    const current = this.current;
    if (current?.pop.call.id !== callId) throw new BackendError('no_such_call', `Call ${callId} is not on this desk`);
    const customer = current.pop.customer;
    if (!customer) throw new BackendError('unknown_customer', 'The caller is not identified, so there is nothing to draft for');
    const transcript = parseTranscript(transcriptText);
    const now = new Date().toISOString();
    this.rememberCall(customer.id, callId);
    const result = await session.ai.draftWrapUp(
      { customer, notes, ...(transcript.length > 0 ? { transcript } : {}), now },
      { agentId: session.agent.id, language: this.uiLanguage },
    );
    const author: SummaryAuthor = result.source === 'model' && result.model ? `model:${result.model}` : 'on-device';
    const draft: WrapUpDraftView = {
      source: author === 'on-device' ? 'on-device' : 'model',
      model: author === 'on-device' ? null : result.model,
      author,
      summary: result.summary,
      disposition: result.disposition,
      confidence: result.confidence,
      cue: result.cue,
      followUps: result.followUps.map((f) => ({ kind: f.kind, text: f.text, due: f.due, amount: f.amount })),
      fallbackReason: result.fallbackReason,
      createdAt: now,
    };
    if (session.cache.isOpen) session.cache.wrapUpDrafts.putResult(callId, customer.id, draft, now);
    return draft;
  }

  /** The autosaved form and the last draft for a call; parts that no longer parse are dropped, not trusted. */
  private savedDraft(session: Session, callId: string): SavedDraft | null {
    return session.cache.wrapUpDrafts.saved(callId);
  }

  /** Applies the rule in summary-author.ts; a claimed drafter must match a draft this desk made for the call. */
  private summaryAuthorFor(session: Session, input: Omit<SaveWrapUpInput, 'summaryAuthor'>, claimed: SummaryAuthor | undefined): SummaryAuthor {
    const draft = this.savedDraft(session, input.callId)?.draft ?? null;
    if (claimed === 'agent') return 'agent';
    if (claimed !== undefined) {
      if (draft?.author !== claimed) throw new BackendError('invalid_input', `wrapup.save: summaryAuthor ${claimed} does not match a draft made for this call`);
      return claimed;
    }
    return attributeSummary(input.summary, draft ? { author: draft.author, text: [draft.summary, ...draft.followUps.map((f) => f.text)].join('\n') } : null);
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
    // A refused model file is a sync problem the agent's supervisor should see; the previous model stays in use meanwhile.
    const refused = this.sync.message === null ? this.session?.cache.models.refusals().at(-1) : undefined;
    const sync = refused ? { ...this.sync, message: describeRefusal(refused) } : this.sync;
    return { connection: this.connection, outboxPending: this.session?.cache.outbox.pendingCount() ?? 0, sync, presence: this.presence };
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
