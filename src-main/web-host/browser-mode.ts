import { join } from 'node:path';
import { createDesktopBackend } from '../services/create-backend';
import { FileKeyProvider } from '../services/key-provider';
import { checkServerUrl } from '../services/server-link/server-trust';
import { startWebHost, type RunningWebHost } from './web-host';

export interface BrowserModeOptions {
  serverUrl: string;
  dataDir: string;
  rendererDir: string;
  port?: number;
  host?: string;
}

/** The desktop backend served to a browser: what `npm start` runs when Electron is not there. */
export async function startBrowserMode(options: BrowserModeOptions): Promise<RunningWebHost> {
  // Refused before anything is served: plain http to another machine would carry passwords and customer records in the clear.
  checkServerUrl(options.serverUrl);
  // Browser mode has no OS keychain, so the cache key lives in a file only this user can read.
  const keys = new FileKeyProvider(join(options.dataDir, 'cache.key'));
  return startWebHost({
    host: options.host,
    port: options.port,
    rendererDir: options.rendererDir,
    createBackend: () => createDesktopBackend({ serverUrl: options.serverUrl, dataDir: options.dataDir, keys }),
  });
}
