/**
 * Captures the desktop as a real window once: an X server in memory (Xvfb),
 * Chromium in app mode (its own window, no tabs or address bar; what stands
 * in for Electron where its binary is not installed), the real routing server
 * and browser-mode host, an agent signed in, and a call ringing. The whole
 * X screen is grabbed with xwd and written as a PNG.
 *
 *   scripts/node22.sh npm run capture:window -- [out.png] [--theme dark] [--lang he]
 * Needs Debian's xvfb, x11-apps (xwd) and netpbm (xwdtopnm, pnmtopng); the renderer built.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/browser';
import { startStack } from '../support/stack';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { theme: { type: 'string', default: 'light' }, lang: { type: 'string', default: 'en' } } });
const out = resolve(positionals[0] ?? 'docs/screenshots/desktop-window.png');
const DISPLAY = ':97';
const SIZE = { width: 1366, height: 768 };
/** Room for the window manager's title bar above the 1366x768 window. */
const TITLE_BAR = 32;

function startXvfb(): ChildProcess {
  const xvfb = spawn('Xvfb', [DISPLAY, '-screen', '0', `${SIZE.width}x${SIZE.height + TITLE_BAR}x24`, '-nolisten', 'tcp'], { stdio: 'ignore' });
  xvfb.on('error', (error) => {
    console.error(`Xvfb could not start (apt-get install xvfb): ${error.message}`);
    process.exit(1);
  });
  return xvfb;
}

/** A window manager draws the title bar and frame a desktop user sees; without openbox the window is bare. */
function startWindowManager(): ChildProcess | null {
  const wm = spawn('openbox', [], { stdio: 'ignore', env: { ...process.env, DISPLAY } });
  wm.on('error', () => console.warn('openbox is not installed: the window is captured without a frame (apt-get install openbox)'));
  return wm;
}

async function main(): Promise<void> {
  const xvfb = startXvfb();
  await new Promise((r) => setTimeout(r, 1_000));
  const wm = startWindowManager();
  await new Promise((r) => setTimeout(r, 500));
  const stack = await startStack({ reservationTimeoutMs: 120_000 });
  const profile = mkdtempSync(join(tmpdir(), 'holdfast-window-'));
  try {
    const page0 = await stack.server.store.snapshotPage(null, 300);
    const scored = new Set(page0.scores.filter((s) => s.churnBand !== 'low' && s.reasons.length >= 2).map((s) => s.customerId));
    const customer = page0.customers.find((c) => c.language === values.lang && c.phones.length > 0 && scored.has(c.id));
    if (!customer) throw new Error(`no scored customer speaks ${values.lang}`);

    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: false,
      viewport: null,
      colorScheme: values.theme === 'dark' ? 'dark' : 'light',
      env: { ...process.env, DISPLAY },
      // --test-type: no "unsupported flag" bar for --no-sandbox (this machine runs as root) across the top of the window.
      args: [...CHROMIUM_ARGS, '--test-type', `--app=${stack.web.url}`, `--window-size=${SIZE.width},${SIZE.height}`, '--window-position=0,0', '--force-device-scale-factor=1'],
    });
    const page = context.pages()[0] ?? (await context.waitForEvent('page'));
    await page.locator('button.demo-user').first().waitFor({ timeout: 60_000 });
    const agent = values.lang === 'he' ? 'noa' : 'ava';
    await page.locator(`button.demo-user[data-username="${agent}"]`).click();
    await page.locator('[data-testid="idle"] h1').waitFor();
    await page.getByTestId('open-preferences').click();
    await page.locator(`input[name="theme"][value="${values.theme}"]`).check();
    await page.locator('select[name="language"]').selectOption(values.lang!);
    await page.keyboard.press('Escape');
    await page.keyboard.press('g');
    await page.locator('.presence[data-presence="available"]').waitFor();
    await stack.postCall({ callerNumber: customer.phones[0], language: values.lang, intent: 'cancellation' });
    await page.locator('[data-testid="call-pop"][data-phase="offered"]').waitFor();
    await page.getByTestId('script').getByTestId('script-current').waitFor({ timeout: 60_000 });
    await page.getByTestId('brief').locator('li').first().waitFor();
    await page.waitForTimeout(800);
    // The X screen itself, window frame and all: what a person at this desktop would see.
    const xwd = execFileSync('xwd', ['-root', '-silent', '-display', DISPLAY], { maxBuffer: 64 * 1024 * 1024 });
    const pnm = execFileSync('xwdtopnm', ['-quiet'], { input: xwd, maxBuffer: 64 * 1024 * 1024 });
    writeFileSync(out, execFileSync('pnmtopng', ['-quiet'], { input: pnm, maxBuffer: 64 * 1024 * 1024 }));
    console.log(`wrote ${out}`);
    await context.close();
  } finally {
    await stack.close();
    rmSync(profile, { recursive: true, force: true });
    wm?.kill('SIGTERM');
    xvfb.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
