import { AccountsDesk } from './accounts/accounts-desk';
import { AttentionDesk, type Notifier } from './attention/attention-desk';
import { AiSettingsDesk } from './ai-settings/ai-settings-desk';
import { FileSecretStore, type SecretStore } from './ai-settings/index';
import type { AiClientConfigInput } from './ai/index';
import { BriefDesk } from './brief/brief-desk';
import { CallAttribution } from './calls/call-attribution';
import { CallDesk } from './calls/call-desk';
import type { Summariser } from './calls/pop-builder';
import { CustomerDesk } from './customers/customer-desk';
import type { Handlers } from './desk/desk';
import type { DesktopEventBus } from './desk/event-bus';
import type { DeskLogger } from './desk/logger';
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
import { PlaybookDesk } from './playbook/playbook-desk';
import { ReviewDesk } from './review/review-desk';
import { join } from 'node:path';
import { SyncLink } from './sync/sync-link';
import { WrapUpDesk } from './wrap-up/wrap-up-desk';

export interface DeskOptions {
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
  /** Where the supervisor's review exports are saved (default: <dataDir>/exports). */
  exportDir?: string;
  /** Off: cold syncs take paged JSON without asking for the server's image. */
  coldSyncImages?: boolean;
  /** Opens a URL in the system browser (Electron), for signing in through the company's identity provider. */
  openExternal?: (url: string) => Promise<void>;
  /** Electron's system notifications; without it the page uses the web Notification API (browser mode). */
  notify?: Notifier;
}

export interface Desks {
  /** Every method of the contract, each from the one desk that owns it. */
  handlers: Handlers;
  session: SessionDesk;
  calls: CallDesk;
}

/**
 * The one place the desks are made and wired to each other. Each desk gets
 * only the collaborators it uses; the order is the order of dependence.
 */
export function composeDesks(options: DeskOptions, events: DesktopEventBus, log: DeskLogger): Desks {
  const http = new ServerHttpClient(options.serverUrl);
  const sessions = new SessionHolder();
  const attribution = new CallAttribution();
  const preferences = new PreferencesDesk(options.dataDir, sessions, events, log);
  const status = new StatusDesk(sessions, events);
  const calls = new CallDesk(sessions, events, preferences, http, options.summarise);
  const brief = new BriefDesk(sessions, calls, preferences, attribution, options.summarise);
  const outreach = new OutreachDesk(sessions, events, calls, http);
  const supervisor = new SupervisorDesk(sessions, events, http, log, () => preferences.language);
  const playbook = new PlaybookDesk(sessions, http);
  const ai = new AiSettingsDesk(sessions, attribution, options.aiOverrides);
  ai.onReconfigured(() => brief.redo());
  const syncLink = new SyncLink(sessions, status);
  const link = (s: Parameters<typeof linkSessionPushes>[0]): void => linkSessionPushes(s, { status, calls, outreach, supervisor, syncLink }, log);
  const session = new SessionDesk(sessions, events, http, status, ai, syncLink, link, {
    serverUrl: options.serverUrl,
    dataDir: options.dataDir,
    keys: options.keys,
    summarise: options.summarise,
    secrets: options.secrets ?? new FileSecretStore(options.dataDir),
    cacheScope: options.cacheScope ?? 'all',
    ...(options.openExternal ? { openExternal: options.openExternal } : {}),
    ...(options.snapshotPageSize ? { snapshotPageSize: options.snapshotPageSize } : {}),
    ...(options.coldSyncImages === false ? { coldSyncImages: false } : {}),
    log,
  });
  session.onFeedApplied((changes) => calls.feedApplied(changes));
  session.onColdSyncDone(() => calls.cacheFilled());
  const handlers: Handlers = {
    ...session.handlers,
    ...status.handlers,
    ...preferences.handlers,
    ...calls.handlers,
    ...new WrapUpDesk(sessions, calls, status, preferences, attribution).handlers,
    ...new CustomerDesk(sessions, calls, status).handlers,
    ...ai.handlers,
    ...outreach.handlers,
    ...supervisor.handlers,
    ...playbook.handlers,
    ...new ReviewDesk(sessions, http, options.exportDir ?? join(options.dataDir, 'exports')).handlers,
    ...new IdentityDesk(sessions, calls, http).handlers,
    ...new AccountsDesk(sessions, http).handlers,
    ...new AttentionDesk(options.notify ?? null).handlers,
  };
  return { handlers, session, calls };
}
