import { join } from 'node:path';
import { DesktopBackend } from './desktop-backend';
import { onDeviceSummary } from './calls/on-device-summary';
import type { CacheKeyProvider } from './key-provider';
import type { SecretStore } from './ai-settings/index';
import type { AiClientConfigInput } from './ai/index';
import type { Notifier } from './attention/attention-desk';
import type { DeskLogger } from './desk/logger';
import { createDesktopLogger } from './logging/logger';

export interface BackendSettings {
  serverUrl: string;
  dataDir: string;
  keys: CacheKeyProvider;
  /** Electron passes a safeStorage-backed store; without one, secrets are 0600 files in dataDir (browser mode). */
  secrets?: SecretStore;
  /** Fixed AI client settings beneath each user's endpoint settings (retries, backoff); tests shorten them. */
  aiOverrides?: Partial<AiClientConfigInput>;
  /** 'queues' keeps only the customers of the agent's queues; default from HOLDFAST_CACHE_SCOPE, else 'all'. */
  cacheScope?: 'all' | 'queues';
  /** Electron: opens the system browser, for signing in through the company's identity provider (RFC 8252). */
  openExternal?: (url: string) => Promise<void>;
  /** Electron: shows a system notification when a call or outreach task arrives behind another window. */
  notify?: Notifier;
  /** Off: cold syncs take paged JSON without asking for the server's image (default on; HOLDFAST_COLD_SYNC_IMAGE=0 turns it off). */
  coldSyncImages?: boolean;
  /** Default: JSON lines on stderr at HOLDFAST_LOG_LEVEL (else info), secrets censored. */
  log?: DeskLogger;
}

/** The one place the desktop backend is composed, for Electron and browser mode alike. */
export function createDesktopBackend(settings: BackendSettings): DesktopBackend {
  const backend = new DesktopBackend({
    serverUrl: settings.serverUrl,
    dataDir: join(settings.dataDir),
    keys: settings.keys,
    summarise: onDeviceSummary,
    log: settings.log ?? createDesktopLogger(),
    cacheScope: settings.cacheScope ?? (process.env.HOLDFAST_CACHE_SCOPE === 'queues' ? 'queues' : 'all'),
    ...((settings.coldSyncImages ?? process.env.HOLDFAST_COLD_SYNC_IMAGE !== '0') ? {} : { coldSyncImages: false }),
    ...(settings.secrets ? { secrets: settings.secrets } : {}),
    ...(settings.aiOverrides ? { aiOverrides: settings.aiOverrides } : {}),
    ...(settings.openExternal ? { openExternal: settings.openExternal } : {}),
    ...(settings.notify ? { notify: settings.notify } : {}),
  });
  void backend.preloadServerInfo();
  return backend;
}
