import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HoldfastBridge } from '@shared/contract/desktop-api';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/security/content-security-policy';
import { makeTempDir } from '../../support/temp-dir';

/*
 * The Electron binary cannot run here, so these tests run the real bundles
 * against a stand-in `electron` module: the preload in a fresh V8 context
 * whose `require` knows only 'electron' (as in a sandboxed renderer), and
 * main.cjs in Node with the backend talking to a tiny fake routing server.
 */

const root = join(import.meta.dirname, '..', '..', '..');
const temp = makeTempDir('electron-bundles');
const outDir = join(temp.path, 'dist-electron');
const rendererDir = join(temp.path, 'dist', 'renderer');

beforeAll(async () => {
  await promisify(execFile)(process.execPath, [join(root, 'scripts', 'build-electron.mjs'), '--outdir', outDir], { cwd: root });
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Holdfast test</title>');
}, 60_000);
afterAll(() => temp.remove());

function requiredModules(code: string): string[] {
  return [...code.matchAll(/\brequire\(\s*(["'`])([^"'`]+)\1\s*\)/g)].map((match) => match[2] as string);
}

describe('build-electron.mjs', () => {
  it('writes both bundles as CommonJS', () => {
    for (const file of ['main.cjs', 'preload.cjs']) {
      const code = readFileSync(join(outDir, file), 'utf8');
      expect(code).not.toMatch(/^\s*(import|export)\s[^(]/m);
      expect(code).toMatch(/require\(["']electron["']\)/);
    }
  });

  it('leaves the preload nothing to require but electron', () => {
    const code = readFileSync(join(outDir, 'preload.cjs'), 'utf8');
    expect(new Set(requiredModules(code))).toEqual(new Set(['electron']));
    // No require(variable) or dynamic import that the regex above would miss.
    expect(code.match(/\brequire\(/g)?.length).toBe(requiredModules(code).length);
    expect(code).not.toMatch(/\bimport\(/);
  });

  it('keeps only electron and the native SQLite addon external in main, besides Node built-ins', () => {
    const { builtinModules } = createRequire(import.meta.url)('node:module') as { builtinModules: string[] };
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    const external = requiredModules(readFileSync(join(outDir, 'main.cjs'), 'utf8')).filter((name) => !builtins.has(name));
    expect(new Set(external)).toEqual(new Set(['electron', 'better-sqlite3-multiple-ciphers', 'bufferutil', 'utf-8-validate']));
  });
});

describe('preload.cjs in a sandbox-like context', () => {
  function loadPreload() {
    const exposed = new Map<string, unknown>();
    const channel = new EventEmitter();
    const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: { ok: true } }));
    const ipcRenderer = {
      invoke,
      on(name: string, listener: (...args: unknown[]) => void) {
        channel.on(name, listener);
        return ipcRenderer;
      },
      removeListener(name: string, listener: (...args: unknown[]) => void) {
        channel.removeListener(name, listener);
        return ipcRenderer;
      },
    };
    const electron = { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) }, ipcRenderer };
    const requested: string[] = [];
    const sandboxRequire = (name: string): unknown => {
      requested.push(name);
      if (name === 'electron') return electron;
      throw new Error(`module not found: ${name}`);
    };
    const module = { exports: {} };
    // A fresh context: no process, Buffer or Node require, as in a sandboxed preload.
    const context = vm.createContext({ require: sandboxRequire, module, exports: module.exports, console });
    vm.runInContext(readFileSync(join(outDir, 'preload.cjs'), 'utf8'), context, { filename: 'preload.cjs' });
    return { exposed, channel, invoke, requested, ipcRenderer };
  }

  it('exposes window.holdfast with exactly invoke and on', () => {
    const { exposed, requested } = loadPreload();
    expect([...exposed.keys()]).toEqual(['holdfast']);
    expect(Object.keys(exposed.get('holdfast') as object).sort()).toEqual(['invoke', 'on']);
    expect(requested).toEqual(['electron']);
  });

  it('invokes over holdfast:invoke, and refuses unknown methods before IPC', async () => {
    const { exposed, invoke } = loadPreload();
    const bridge = exposed.get('holdfast') as HoldfastBridge;
    expect(await bridge.invoke('call.accept', { callId: 'c9' })).toEqual({ ok: true, value: { ok: true } });
    expect(invoke).toHaveBeenCalledWith('holdfast:invoke', 'call.accept', { callId: 'c9' });
    const refused = await bridge.invoke('fs.readFile' as never, {} as never);
    expect(refused.ok).toBe(false);
    expect(invoke).toHaveBeenCalledTimes(1);
  });

  it('delivers event payloads from holdfast:event without the IPC event object, and unsubscribes', () => {
    const { exposed, channel, ipcRenderer } = loadPreload();
    const bridge = exposed.get('holdfast') as HoldfastBridge;
    const received: unknown[][] = [];
    const off = bridge.on('call.changed', (...args: unknown[]) => received.push(args));
    const payload = { version: 1, current: null, last: { callId: 'c1', outcome: 'saved', reason: null } };
    channel.emit('holdfast:event', { sender: ipcRenderer, ports: [] }, 'call.changed', payload);
    channel.emit('holdfast:event', { sender: ipcRenderer, ports: [] }, 'status.changed', {});
    expect(received).toEqual([[payload]]);
    off();
    expect(channel.listenerCount('holdfast:event')).toBe(0);
    expect(() => bridge.on('ipc.raw' as never, () => undefined)).toThrow();
  });
});

describe('main.cjs against a stand-in electron module', () => {
  interface FakeFrame { url: string; parent: object | null }
  type IpcHandler = (event: { sender: { id: number }; senderFrame: FakeFrame | null }, ...args: unknown[]) => Promise<unknown>;

  let server: Server;
  let serverUrl = '';
  const previousServerUrl = process.env.HOLDFAST_SERVER_URL;
  const userData = join(temp.path, 'userData');

  const app = Object.assign(new EventEmitter(), {
    ready: false,
    quits: 0,
    sandboxed: false,
    requestSingleInstanceLock: () => true,
    whenReady: () => readyGate.promise,
    enableSandbox() {
      app.sandboxed = true;
    },
    setAppUserModelId: () => undefined,
    getPath: (name: string) => (name === 'userData' ? userData : temp.path),
    quit() {
      app.quits += 1;
    },
    exit: vi.fn(),
  });
  let markReady: () => void = () => undefined;
  const readyGate = { promise: new Promise<void>((resolve) => { markReady = resolve; }) };
  const schemes: { schemes: unknown; beforeReady: boolean }[] = [];
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const ipcHandlers = new Map<string, IpcHandler>();
  const permissions: { request?: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void; check?: () => boolean } = {};
  const openExternal = vi.fn(async (_url: string) => undefined);
  const windows: FakeWindow[] = [];
  let nextId = 1;

  class FakeWebContents extends EventEmitter {
    readonly id = nextId++;
    readonly sent: unknown[][] = [];
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.openHandler = handler;
    }
    send(...args: unknown[]) {
      this.sent.push(args);
    }
    isDestroyed() {
      return false;
    }
  }
  class FakeWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    url = '';
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    async loadURL(url: string) {
      this.url = url;
    }
    isDestroyed() {
      return false;
    }
    show() {}
    focus() {}
    isMinimized() {
      return false;
    }
    restore() {}
  }

  const electron = {
    app,
    BrowserWindow: FakeWindow,
    protocol: {
      registerSchemesAsPrivileged: (list: unknown) => schemes.push({ schemes: list, beforeReady: !app.ready }),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => protocolHandlers.set(scheme, handler),
    },
    ipcMain: { handle: (name: string, handler: IpcHandler) => ipcHandlers.set(name, handler) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: typeof permissions.request) => { permissions.request = handler; },
        setPermissionCheckHandler: (handler: typeof permissions.check) => { permissions.check = handler; },
      },
    },
    shell: { openExternal },
    dialog: { showErrorBox: vi.fn() },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (text: string) => Buffer.from(text).reverse(),
      decryptString: (data: Buffer) => Buffer.from(data).reverse().toString(),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    },
  };

  const demoUser = { username: 'ana', password: 'demo', displayName: 'Ana', role: 'agent', languages: ['en'] };

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/api/info') {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ name: 'holdfast-routing-server', version: 'test', demoMode: true, demoUsers: [demoUser] }));
        return;
      }
      response.statusCode = 404;
      response.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.HOLDFAST_SERVER_URL = serverUrl;

    const nodeRequire = createRequire(join(root, 'package.json'));
    const code = readFileSync(join(outDir, 'main.cjs'), 'utf8');
    const module = { exports: {} };
    const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: join(outDir, 'main.cjs') }) as (...args: unknown[]) => void;
    wrapper(module.exports, (name: string) => (name === 'electron' ? electron : nodeRequire(name)), module, join(outDir, 'main.cjs'), outDir);

    app.ready = true;
    markReady();
    await vi.waitFor(() => expect(windows).toHaveLength(1));
  });

  afterAll(async () => {
    const quitting = { preventDefault: vi.fn() };
    app.emit('will-quit', quitting);
    expect(quitting.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(app.quits).toBeGreaterThan(0));
    if (previousServerUrl === undefined) delete process.env.HOLDFAST_SERVER_URL;
    else process.env.HOLDFAST_SERVER_URL = previousServerUrl;
    await new Promise((resolve) => server.close(resolve));
  });

  const win = () => windows[0] as FakeWindow;
  const invoke = (frame: FakeFrame | null, method: unknown, input: unknown, senderId = win().webContents.id) =>
    (ipcHandlers.get('holdfast:invoke') as IpcHandler)({ sender: { id: senderId }, senderFrame: frame }, method, input);
  const appFrame: FakeFrame = { url: 'app://holdfast/index.html', parent: null };

  it('registers app:// as privileged before ready, and sandboxes every renderer', () => {
    expect(schemes).toEqual([{ schemes: [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }], beforeReady: true }]);
    expect(app.sandboxed).toBe(true);
  });

  it('opens one locked-down window on app://holdfast with the bundled preload', () => {
    const prefs = win().options.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false, webviewTag: false });
    expect(prefs.preload).toBe(join(outDir, 'preload.cjs'));
    expect(existsSync(prefs.preload as string)).toBe(true);
    expect(win().url).toBe('app://holdfast/index.html');
  });

  it('serves the renderer over app:// with the CSP, and nothing outside it', async () => {
    const handle = protocolHandlers.get('app') as (request: Request) => Promise<Response>;
    const page = await handle(new Request('app://holdfast/index.html'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Holdfast test');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await handle(new Request('app://holdfast/..%2f..%2fdist-electron%2fmain.cjs'))).status).toBe(404);
  });

  it('denies navigation away, webviews, popups and permissions', async () => {
    const contents = win().webContents;
    const away = { url: 'https://evil.example/', preventDefault: vi.fn() };
    contents.emit('will-navigate', away);
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = { url: 'app://holdfast/index.html', preventDefault: vi.fn() };
    contents.emit('will-navigate', inside);
    expect(inside.preventDefault).not.toHaveBeenCalled();
    const redirect = { url: 'file:///etc/passwd', preventDefault: vi.fn() };
    contents.emit('will-redirect', redirect);
    expect(redirect.preventDefault).toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.preventDefault).toHaveBeenCalled();

    expect(contents.openHandler?.({ url: 'https://docs.example/help' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'http://plain.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://docs.example/help']]);

    const granted = vi.fn();
    permissions.request?.(contents, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(permissions.check?.()).toBe(false);
  });

  it('answers IPC from our page, and refuses every other sender', async () => {
    const status = (await invoke(appFrame, 'status.get', {})) as { ok: boolean; value: { connection: string } };
    expect(status.ok).toBe(true);
    expect(status.value.connection).toBe('offline');

    const forbidden = { ok: false, error: { code: 'forbidden', message: expect.any(String) } };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(await invoke({ url: 'https://evil.example/', parent: null }, 'status.get', {})).toEqual(forbidden);
    expect(await invoke({ url: 'file:///tmp/x.html', parent: null }, 'status.get', {})).toEqual(forbidden);
    expect(await invoke({ url: 'app://holdfast/index.html', parent: {} }, 'status.get', {})).toEqual(forbidden);
    expect(await invoke(null, 'status.get', {})).toEqual(forbidden);
    expect(await invoke(appFrame, 'status.get', {}, win().webContents.id + 100)).toEqual(forbidden);
    warn.mockRestore();

    expect(await invoke(appFrame, 'process.exit', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await invoke(appFrame, 'call.accept', {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('forwards backend events to the window on holdfast:event', async () => {
    // The backend fetched /api/info from the fake server on start and announced the demo users.
    await vi.waitFor(() => {
      const session = win().webContents.sent.find((args) => args[0] === 'holdfast:event' && args[1] === 'session.changed');
      expect(session?.[2]).toMatchObject({ serverUrl, user: null, demoUsers: [demoUser] });
    });
    const result = (await invoke(appFrame, 'session.get', {})) as { ok: boolean; value: { serverUrl: string } };
    expect(result.value.serverUrl).toBe(serverUrl);
  });
});
