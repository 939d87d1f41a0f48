import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, launched the way this machine allows: no sandbox (root), no background network. */
export const CHROMIUM_PATH = process.env.HOLDFAST_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Where the end-to-end tests leave their screenshots; `npm run screenshots` points this at docs/screenshots. */
export const SCREENSHOTS = process.env.HOLDFAST_SCREENSHOT_DIR ?? join(process.cwd(), 'test-results', 'screenshots');

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** Signs in on the login screen with a demo user's button, as a newcomer would. */
export async function signIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.locator(`button.demo-user[data-username="${username}"]`).click();
  await page.locator('.topbar').waitFor();
}

/**
 * Collects the page's Content-Security-Policy violations, so a test can show
 * the app runs under the strict policy the hosts send (Chromium reports each
 * blocked script, style or connection on the console).
 */
export function watchCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}
