import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Notification, protocol, safeStorage, session, shell, type WebContents } from 'electron';
import { DESKTOP_EVENTS, isDesktopMethod, type DesktopErrorCode, type InvokeResult } from '@shared/contract/desktop-api';
import { createDesktopBackend } from '../services/create-backend';
import type { DesktopBackend } from '../services/desktop-backend';
import { APP_ENTRY_URL, APP_SCHEME } from './app-origin';
import { createAppProtocolHandler } from './app-protocol';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './ipc-channels';
import { isTrustedSender } from './ipc-guard';
import { externalLinkToOpen, isInternalNavigation } from './navigation-policy';
import { SafeStorageKeyProvider } from './safe-storage-keys';
import { SafeStorageSecretStore } from '../services/ai-settings/secret-store';
import { SERVER_CA_ENV } from '../services/server-link/server-trust';
import { resolveServerCaFile, resolveServerUrl } from './settings';

/*
 * The Electron shell: one window, one backend, one IPC channel each way.
 * Everything that is not Electron glue lives in host-agnostic services or in
 * the pure modules next to this file, which are tested under plain Node.
 * Bundled by scripts/build-electron.mjs to dist-electron/main.cjs, so
 * __dirname is dist-electron/ (inside app.asar when packaged).
 */

const RENDERER_DIR = join(__dirname, '..', 'dist', 'renderer');
const PRELOAD = join(__dirname, 'preload.cjs');
const WINDOW_ICON = join(__dirname, '..', 'resources', 'icons', 'icon.png');

// Both must happen before 'ready'. A standard, secure scheme gives the page a
// real origin ('self' in the CSP, fetch, relative URLs) without file://.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
let backend: DesktopBackend | null = null;

function refused(code: DesktopErrorCode, message: string): InvokeResult<never> {
  return { ok: false, error: { code, message } };
}

/** Applied to every webContents Electron creates: no navigation away, no popups, no webviews. */
function harden(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isInternalNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isInternalNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalLinkToOpen(url);
    if (external !== null) void shell.openExternal(external);
    return { action: 'deny' };
  });
}

function denyPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function registerIpc(): void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method: unknown, input: unknown): Promise<InvokeResult<unknown>> => {
    const win = mainWindow !== null && !mainWindow.isDestroyed() ? mainWindow : null;
    const frame = event.senderFrame;
    const trusted = isTrustedSender({
      senderUrl: frame?.url ?? null,
      isMainFrame: frame !== null && frame.parent === null,
      senderId: event.sender.id,
      expectedId: win?.webContents.id ?? null,
    });
    if (!trusted) {
      console.warn(`holdfast: refused an IPC call from ${frame?.url ?? 'an unknown frame'}`);
      return refused('forbidden', 'This page may not call the Holdfast backend');
    }
    if (!isDesktopMethod(method)) return refused('unknown_method', `Unknown method ${String(method)}`);
    if (backend === null) return refused('shutting_down', 'Holdfast is closing');
    return backend.invoke(method, input);
  });
}

function forwardEvents(source: DesktopBackend, contents: WebContents): () => void {
  const stops = DESKTOP_EVENTS.map((name) => source.on(name, (payload) => {
    if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, name, payload);
  }));
  return () => stops.forEach((stop) => stop());
}

function createWindow(source: DesktopBackend): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Holdfast',
    ...(process.platform === 'linux' && existsSync(WINDOW_ICON) ? { icon: WINDOW_ICON } : {}),
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  const stopForwarding = forwardEvents(source, win.webContents);
  win.on('closed', () => {
    stopForwarding();
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

function focusWindow(): void {
  if (mainWindow === null || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

function start(): void {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    dialog.showErrorBox('Holdfast', `The user interface is not built at ${RENDERER_DIR}. Run "npm run build" and start again.`);
    app.quit();
    return;
  }
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rendererDir: RENDERER_DIR }));
  denyPermissions();

  const userData = app.getPath('userData');
  const { serverUrl, warnings } = resolveServerUrl(process.env, userData);
  for (const warning of warnings) console.warn(`holdfast: ${warning}`);
  // A private CA for the routing server; the backend and its cold-sync worker read it from the environment.
  const caFile = resolveServerCaFile(process.env, userData);
  if (caFile !== null) process.env[SERVER_CA_ENV] = caFile;
  backend = createDesktopBackend({
    serverUrl,
    dataDir: userData,
    keys: new SafeStorageKeyProvider({ dir: userData, safeStorage }),
    // The AI endpoint's key, encrypted by the OS like the cache key.
    secrets: new SafeStorageSecretStore({ dir: userData, safeStorage }),
    // Single sign-on in the system browser, back to the backend's loopback listener; only the routing server's start URL is opened.
    openExternal: (url) => shell.openExternal(url),
    // A call or outreach task while the window is behind another: the OS's own notification; a click brings the window forward.
    notify: ({ title, body }) => {
      if (!Notification.isSupported()) return false;
      const notice = new Notification({ title, body, silent: true });
      notice.on('click', focusWindow);
      notice.show();
      return true;
    },
  });
  registerIpc();
  mainWindow = createWindow(backend);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.setAppUserModelId('io.holdfast.desktop');
  app.on('web-contents-created', (_event, contents) => harden(contents));
  app.on('second-instance', focusWindow);
  app.on('activate', () => {
    if (mainWindow === null && backend !== null) mainWindow = createWindow(backend);
    else focusWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Close the backend (socket, cache) before the process goes, then quit for real.
  app.on('will-quit', (event) => {
    const closing = backend;
    if (closing === null) return;
    backend = null;
    event.preventDefault();
    closing.close()
      .catch((error: unknown) => console.error('holdfast: closing the backend failed', error))
      .finally(() => app.quit());
  });
  app.whenReady().then(start).catch((error: unknown) => {
    console.error('holdfast: failed to start', error);
    dialog.showErrorBox('Holdfast', `Holdfast could not start: ${error instanceof Error ? error.message : String(error)}`);
    app.exit(1);
  });
}
