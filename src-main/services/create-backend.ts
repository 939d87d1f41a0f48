import { join } from 'node:path';
import { DesktopBackend } from './desktop-backend';
import { interimSummary } from './calls/interim-summary';
import type { CacheKeyProvider } from './key-provider';

export interface BackendSettings {
  serverUrl: string;
  dataDir: string;
  keys: CacheKeyProvider;
}

/** The one place the desktop backend is composed, for Electron and browser mode alike. */
export function createDesktopBackend(settings: BackendSettings): DesktopBackend {
  const backend = new DesktopBackend({
    serverUrl: settings.serverUrl,
    dataDir: join(settings.dataDir),
    keys: settings.keys,
    summarise: interimSummary,
  });
  void backend.preloadServerInfo();
  return backend;
}
