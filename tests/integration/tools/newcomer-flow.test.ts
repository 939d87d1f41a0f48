import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_TELEPHONY_KEY } from '../../../src-server/config';
import { NOBODY_READY } from '../../../src-server/tools/simulate-plan';
import { makeTempDir } from '../../support/temp-dir';

/**
 * The README's promise to a newcomer, as written: `npm start` with no
 * configuration brings up an embedded server with demo data and, where the
 * Electron binary is missing, says so and serves the app to a browser; then
 * `npm run simulate` makes calls arrive at it once an agent is ready, and
 * says so plainly before that.
 */
const ROOT = resolve(import.meta.dirname, '../../..');

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Runs a TypeScript entry point through tsx, collecting what it prints. */
function run(entry: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let text = '';
  // Its own process group, so the embedded server it starts goes down with it whatever happens.
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, entry), ...args], { cwd: ROOT, env: { ...process.env, ...env }, detached: true });
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => text, exited };
}

async function waitFor<T>(probe: () => T | null | undefined, timeoutMs: number, what: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a newcomer runs the app and makes calls arrive', () => {
  const data = makeTempDir('newcomer');
  const emptyElectronDist = makeTempDir('no-electron');
  let launcher: ReturnType<typeof run> | null = null;

  afterAll(async () => {
    if (launcher && launcher.child.exitCode === null && launcher.child.pid) {
      process.kill(-launcher.child.pid, 'SIGTERM');
      await launcher.exited;
    }
    data.remove();
    emptyElectronDist.remove();
  });

  it('starts the embedded server with demo data, falls back to browser mode, and the simulator says who must be ready', async () => {
    expect(existsSync(resolve(ROOT, 'dist/renderer/index.html')), 'build the renderer first (npm run build:renderer)').toBe(true);
    const [serverPort, webPort] = [await freePort(), await freePort()];
    launcher = run('src-main/launcher.ts', [], {
      HOLDFAST_DATA_DIR: data.path,
      HOLDFAST_PORT: String(serverPort),
      HOLDFAST_WEB_PORT: String(webPort),
      HOLDFAST_DEMO_CUSTOMERS: '300',
      HOLDFAST_SERVER_URL: '',
      // Wherever this runs, the launcher must find no Electron binary here.
      ELECTRON_OVERRIDE_DIST_PATH: emptyElectronDist.path,
    });
    const current = launcher;
    const url = await waitFor(() => /open (http:\/\/\S+)/.exec(current.output())?.[1], 180_000, () => `the browser-mode URL; output so far:\n${current.output()}`);
    expect(current.output()).toMatch(/Electron binary is not installed here.*browser mode/);
    expect(new URL(url).port).toBe(String(webPort));

    // The printed address carries this launch's secret, traded for a cookie on the way to the app.
    expect((await fetch(new URL('/', url))).status).toBe(403);
    const entry = await fetch(url, { redirect: 'manual' });
    expect(entry.status).toBe(303);
    const cookie = entry.headers.get('set-cookie')?.split(';')[0] ?? '';
    const page = await fetch(new URL('/', url), { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="root">/);
    const info = await (await fetch(`http://127.0.0.1:${serverPort}/api/info`)).json() as { demoMode?: boolean; demoUsers?: unknown[] };
    expect(info.demoMode).toBe(true);
    expect(info.demoUsers?.length).toBeGreaterThan(0);

    // Nobody has signed in and pressed Go ready yet: the simulator says what to do rather than post calls nobody takes
    // (with an agent ready, the call pops: simulate-ready.test.ts).
    const simulate = run('src-server/tools/simulate.ts', ['--calls', '4', '--rate', '20', '--talk-seconds', '0', '--server', `http://127.0.0.1:${serverPort}`], {});
    expect(await simulate.exited).toBe(3);
    expect(simulate.output().trim()).toBe(NOBODY_READY);
    const metrics = await (await fetch(`http://127.0.0.1:${serverPort}/metrics`)).text();
    const arrived = [...metrics.matchAll(/^holdfast_calls_arrived_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(arrived).toBe(0);
  }, 240_000);

  it('explains a bad simulator flag without a stack trace', async () => {
    const simulate = run('src-server/tools/simulate.ts', ['--calls', 'many', '--key', DEMO_TELEPHONY_KEY], {});
    expect(await simulate.exited).toBe(2);
    expect(simulate.output()).toMatch(/simulate: --calls: .*\nUsage: npm run simulate/);
    expect(simulate.output()).not.toMatch(/at .*\.ts:\d+/);
  });
});
