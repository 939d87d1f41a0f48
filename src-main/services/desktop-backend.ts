import { desktopApi, isDesktopMethod, type DesktopEventName, type DesktopMethod, type EventPayload, type InvokeResult, type MethodInput, type MethodOutput } from '@shared/contract/desktop-api';
import type { CallOffer } from '@shared/contract/server-socket';
import type { Change } from '@shared/contract/sync';
import { AiSettingsDesk } from './ai-settings/ai-settings-desk';
import { FileSecretStore, type SecretStore } from './ai-settings/index';
import type { AiClientConfigInput } from './ai/index';
import { BriefDesk } from './brief/brief-desk';
import { CallAttribution } from './calls/call-attribution';
import { CallDesk } from './calls/call-desk';
import type { Summariser } from './calls/pop-builder';
import { CustomerDesk } from './customers/customer-desk';
import { toDesktopError } from './desk/backend-error';
import type { Handlers } from './desk/desk';
import { DesktopEventBus } from './desk/event-bus';
import { silentLogger, type DeskLogger } from './desk/logger';
import { IdentityDesk } from './identity/identity-desk';
import type { CacheKeyProvider } from './key-provider';
import { OutreachDesk } from './outreach/outreach-desk';
import { PreferencesDesk } from './preferences/preferences-desk';
import { ServerHttpClient } from './server-link/server-http-client';
import { linkSessionPushes } from './session-pushes';
import { SessionDesk } from './session/session-desk';
import { SessionHolder } from './session/session';
import { StatusDesk } from './status/status-desk';
import { SupervisorDesk } from './supervisor/supervisor-desk';
import { SyncLink } from './sync/sync-link';
import { WrapUpDesk } from './wrap-up/wrap-up-desk';

export { BackendError } from './desk/backend-error';

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
  /** Customers per cold-sync page; tests shrink it to cut a cold sync between pages. */
  snapshotPageSize?: number;
  log?: DeskLogger;
  /** Check every output and event against the contract (default: under test, or HOLDFAST_CHECK_CONTRACT=1). */
  checkContract?: boolean;
}

/**
 * The desktop backend behind the one typed API the renderer uses: it joins
 * the desks (one per job, each owning its state and its slice of the
 * contract) and offers `invoke` and `on`. Host-agnostic: Electron's IPC and
 * the browser-mode web host both call these two.
 */
export class DesktopBackend {
  private readonly events: DesktopEventBus;
  private readonly handlers: Handlers;
  private readonly sessionDesk: SessionDesk;
  private readonly calls: CallDesk;
  private readonly checkContract: boolean;
  private readonly log: DeskLogger;

  constructor(options: DesktopBackendOptions) {
    this.log = options.log ?? silentLogger;
    this.checkContract = options.checkContract ?? (process.env.VITEST !== undefined || process.env.HOLDFAST_CHECK_CONTRACT === '1');
    this.events = new DesktopEventBus(this.log, this.checkContract);
    const http = new ServerHttpClient(options.serverUrl);
    const sessions = new SessionHolder();
    const attribution = new CallAttribution();
    const preferences = new PreferencesDesk();
    const status = new StatusDesk(sessions, this.events);
    const calls = new CallDesk(sessions, this.events, preferences, http, options.summarise);
    const brief = new BriefDesk(sessions, calls, preferences, attribution, options.summarise);
    const outreach = new OutreachDesk(sessions, this.events, calls, http);
    const supervisor = new SupervisorDesk(sessions, this.events, http, this.log);
    const ai = new AiSettingsDesk(sessions, attribution, options.aiOverrides);
    ai.onReconfigured(() => brief.redo());
    const syncLink = new SyncLink(sessions, status, calls);
    const session = new SessionDesk(sessions, this.events, http, status, ai, syncLink,
      (s) => linkSessionPushes(s, { status, calls, outreach, supervisor, syncLink }, this.log), {
        serverUrl: options.serverUrl, dataDir: options.dataDir, keys: options.keys, summarise: options.summarise,
        secrets: options.secrets ?? new FileSecretStore(options.dataDir), cacheScope: options.cacheScope ?? 'all',
        ...(options.snapshotPageSize ? { snapshotPageSize: options.snapshotPageSize } : {}),
      });
    this.handlers = {
      ...session.handlers, ...status.handlers, ...preferences.handlers, ...calls.handlers,
      ...new WrapUpDesk(sessions, calls, status, preferences, attribution).handlers,
      ...new CustomerDesk(sessions, calls, status).handlers,
      ...ai.handlers, ...outreach.handlers, ...supervisor.handlers,
      ...new IdentityDesk(sessions, calls, http).handlers,
    };
    this.sessionDesk = session;
    this.calls = calls;
  }

  /** Validates the input against the contract, runs the desk's handler, and returns errors as data. */
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
      const value = await handler(parsed.data);
      return this.checkContract ? this.checkedOutput(method, value) : { ok: true, value };
    } catch (error) {
      return { ok: false, error: toDesktopError(error) };
    }
  }

  on<E extends DesktopEventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Contract violations seen with checks on (tests assert there are none). */
  get contractViolations(): readonly string[] {
    return this.events.violations;
  }

  /** Offer-to-paint times, for the pop benchmark. */
  get popLatenciesMs(): readonly number[] {
    return this.calls.popLatenciesMs;
  }

  /** Hands an offer to the call desk, exactly as the server socket does (tests and benchmarks). */
  receiveOffer(offer: CallOffer): void {
    this.calls.receiveOffer(offer);
  }

  /** Backend-side hook (not part of the UI contract): called with every batch of feed changes applied to the cache. */
  onFeedApplied(listener: (changes: readonly Change[]) => void): () => void {
    return this.sessionDesk.onFeedApplied(listener);
  }

  async preloadServerInfo(): Promise<void> {
    await this.sessionDesk.loadDemoUsers();
  }

  async close(): Promise<void> {
    await this.sessionDesk.logout();
    this.events.close();
  }

  private checkedOutput(method: DesktopMethod, value: unknown): InvokeResult<unknown> {
    const checked = desktopApi[method].output.safeParse(value);
    if (checked.success) return { ok: true, value };
    const issue = checked.error.issues[0];
    const reason = `output of ${method}: ${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}`;
    this.events.violations.push(reason);
    this.log.error({ method, reason }, 'output does not match the contract');
    return { ok: false, error: { code: 'internal', message: `contract: ${reason}` } };
  }
}
