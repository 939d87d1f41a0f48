import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findElectronBinary } from './app/electron-binary';
import { startBrowserMode } from './web-host/browser-mode';

/**
 * `npm start`: the routing server (embedded, with demo data, unless
 * HOLDFAST_SERVER_URL points elsewhere), then Electron when its binary is
 * installed, or browser mode when it is not.
 */
const { values } = parseArgs({ options: { browser: { type: 'boolean' }, port: { type: 'string' } } });
const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(process.env.HOLDFAST_DATA_DIR ?? '.holdfast-data');
const children: ChildProcess[] = [];

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(new URL('/api/health', url));
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The routing server did not answer at ${url} within ${timeoutMs / 1000}s`);
}

/** The embedded demo server listens on loopback over plain HTTP (the URL above), whatever TLS settings the shell holds for a real server. */
function embeddedServerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOLDFAST_LOG_LEVEL: process.env.HOLDFAST_LOG_LEVEL ?? 'warn' };
  for (const name of ['HOLDFAST_TLS_CERT', 'HOLDFAST_TLS_KEY', 'HOLDFAST_HOST']) delete env[name];
  return env;
}

async function embeddedServer(): Promise<string> {
  const port = process.env.HOLDFAST_PORT ?? '4870';
  const url = `http://127.0.0.1:${port}`;
  console.log(`Starting the embedded routing server with demo data on ${url} …`);
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'src-server/main.ts'), '--port', port, '--data', resolve(dataDir, 'server')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: embeddedServerEnv(),
  });
  children.push(child);
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`The routing server exited with code ${code}.`);
  });
  await waitForServer(url, 120_000);
  return url;
}

function shutdown(): void {
  for (const child of children) child.kill('SIGTERM');
}
process.on('SIGINT', () => { shutdown(); process.exit(0); });
process.on('SIGTERM', () => { shutdown(); process.exit(0); });

const serverUrl = process.env.HOLDFAST_SERVER_URL || (await embeddedServer());
const electron = values.browser ? null : findElectronBinary();

if (electron) {
  // Electron loads dist-electron/main.cjs (package.json "main"); bundle it from the current source first (esbuild: about a second).
  const built = spawnSync(process.execPath, [resolve(root, 'scripts/build-electron.mjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('Could not bundle the Electron main process (scripts/build-electron.mjs); see the errors above.');
    shutdown();
    process.exit(1);
  }
  console.log('Starting the Holdfast desktop app (Electron) …');
  const app = spawn(electron, [root], { stdio: 'inherit', env: { ...process.env, HOLDFAST_SERVER_URL: serverUrl } });
  children.push(app);
  app.on('exit', (code) => { shutdown(); process.exit(code ?? 0); });
} else {
  if (!values.browser) {
    console.log('The Electron binary is not installed here (for example with ELECTRON_SKIP_BINARY_DOWNLOAD=1), so Holdfast runs in browser mode.');
  }
  const host = await startBrowserMode({
    serverUrl,
    dataDir,
    rendererDir: resolve(root, 'dist/renderer'),
    port: Number(values.port ?? process.env.HOLDFAST_WEB_PORT ?? 4871),
  });
  console.log(`\n  Holdfast is running in browser mode: open ${host.url}\n  (the address carries a key made for this launch; a page opened any other way is refused)\n  Sign in with any demo user listed on the login screen (password "demo").\n`);
}
