import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '@shared/domain/customer';
import { launchBrowser, screenshot as shot, signIn, watchCspViolations } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { notices, putBehind, recordNotifications } from '../support/notifications';
import { startStack, type TestStack } from '../support/stack';

/** The laptop screen the desk is laid out for. */
const LAPTOP = { width: 1366, height: 768 };

/** The element's box lies wholly inside the window (seen without scrolling anything). */
async function inView(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).first().evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.height > 0 && box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
  });
}

const focused = (page: Page): Promise<string> => page.evaluate(() => {
  const active = document.activeElement as HTMLElement | null;
  if (!active) return '';
  return [active.tagName.toLowerCase(), active.getAttribute('data-action'), active.getAttribute('name'), active.closest('[data-testid]')?.getAttribute('data-testid')].filter(Boolean).join('|');
});

describe('the agent desk: keyboard, focus, layout, attention, preferences', () => {
  let stack: TestStack;
  let browser: Browser;
  const customers: CustomerProfile[] = [];

  beforeAll(async () => {
    stack = await startStack({ reservationTimeoutMs: 60_000 });
    browser = await launchBrowser();
    const page = await stack.server.store.snapshotPage(null, 300);
    const scored = new Set(page.scores.filter((s) => s.churnBand !== 'low' && s.reasons.length >= 2).map((s) => s.customerId));
    const withHistory = new Set(page.interactions.map((i) => i.customerId));
    customers.push(...page.customers.filter((c) => c.language === 'en' && c.phones.length > 0 && scored.has(c.id) && withHistory.has(c.id)));
    expect(customers.length).toBeGreaterThanOrEqual(3);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function readyAgent(context: BrowserContext, username: string): Promise<Page> {
    const page = await context.newPage();
    await signIn(page, stack.web.url, username);
    await page.getByText('Online', { exact: true }).waitFor();
    await page.locator('[data-testid="idle"] h1').waitFor();
    return page;
  }

  it('takes a whole call from ring to saved wrap-up with the keyboard alone, everything in view at 1366x768', async () => {
    const context = await browser.newContext({ viewport: LAPTOP });
    const page = await readyAgent(context, 'ava');
    const csp = watchCspViolations(page);
    await expectAccessible(page, 'agent away');

    await page.keyboard.press('g');
    await page.locator('.presence[data-presence="available"]').waitFor();
    await expectAccessible(page, 'agent ready');

    // The help list, on "?", and closed with Escape.
    await page.keyboard.press('Shift+Slash');
    await page.getByTestId('shortcuts-help').waitFor();
    expect(await page.getByTestId('shortcuts-help').textContent()).toContain('Answer the ringing call');
    await expectAccessible(page, 'shortcuts help');
    await shot(page, 'desk-shortcuts', false);
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts-help').waitFor({ state: 'detached' });

    const customer = customers[0]!;
    const name = `${customer.givenName} ${customer.familyName}`;
    await stack.postCall({ callerNumber: customer.phones[0], language: 'en', intent: 'cancellation' });
    await page.locator('[data-testid="call-pop"][data-phase="offered"]').waitFor();
    await page.getByTestId('script').getByTestId('script-current').waitFor();
    await page.getByTestId('brief').locator('li').first().waitFor();

    // Ring on by default, focus on Answer, and the pop is spoken.
    await page.locator('html[data-ringing="true"]').waitFor();
    await expect.poll(() => focused(page)).toContain('answer');
    await expect.poll(() => page.getByTestId('call-announcer').textContent()).toContain(`Incoming call from ${name}`);
    expect(await page.getByTestId('call-announcer').getAttribute('aria-live')).toBe('assertive');

    // Everything the agent needs, without scrolling the page or a column.
    expect(await page.evaluate(() => document.scrollingElement!.scrollHeight <= window.innerHeight)).toBe(true);
    for (const selector of ['[data-testid="caller-name"]', '[data-testid="match"]', '[data-testid="risk-band"]', '[data-testid="risk-reasons"] li', '[data-testid="value"] .metrics', '[data-testid="script-current"]', '[data-testid="offers"] li', '[data-testid="brief"] li']) {
      expect({ selector, inView: await inView(page, selector) }).toEqual({ selector, inView: true });
    }
    await expectAccessible(page, 'call pop (ringing)');
    await shot(page, 'desk-pop-1366x768', false);

    await page.keyboard.press('a');
    await page.locator('[data-testid="call-pop"][data-phase="connected"]').waitFor();
    await page.locator('html:not([data-ringing])').waitFor();
    await expect.poll(() => focused(page)).toContain('script');

    // N moves to the next script step (focus follows); 2 chooses the second offer.
    const firstStep = await page.getByTestId('script-current').getAttribute('data-step-id');
    expect(await page.getByTestId('script-trail').locator('li').count()).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('n');
    await expect.poll(() => page.getByTestId('script-current').getAttribute('data-step-id')).not.toBe(firstStep);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('script-current');
    const offerNames = await page.getByTestId('offers').locator('.offer-name').allTextContents();
    expect(offerNames.length).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('2');
    await page.locator('[data-testid="offers"] li[data-chosen="true"]', { hasText: offerNames[1]! }).waitFor();
    expect(await page.getByTestId('offers').locator('button[aria-pressed="true"]').count()).toBe(1);

    // W ends the call; focus lands in the notes; the chosen offer is already in the form.
    await page.keyboard.press('w');
    await page.getByTestId('wrap-up').waitFor();
    await expect.poll(() => focused(page)).toContain('notes');
    await page.keyboard.type('Price was the problem; took the second offer.');
    const offerSelect = page.locator('select[name="offer"]');
    expect(await offerSelect.locator('option:checked').textContent()).toBe(offerNames[1]);
    // Save stays in sight at the foot of the wrap-up column, even with the transcript open and the form longer than the window.
    await page.locator('details.transcript').evaluate((details) => { (details as HTMLDetailsElement).open = true; });
    expect(await page.evaluate(() => { const col = document.querySelector('[data-testid="wrap-up"]')!.closest('.pop-col')!; return col.scrollHeight > col.clientHeight; })).toBe(true);
    expect(await inView(page, '[data-testid="save-wrap-up"]')).toBe(true);
    await page.locator('details.transcript').evaluate((details) => { (details as HTMLDetailsElement).open = false; });
    await expectAccessible(page, 'wrap-up');
    await shot(page, 'desk-wrap-up-1366x768', false);

    await page.keyboard.press('Control+Enter');
    await page.getByTestId('wrap-up-saved').waitFor();
    await expect.poll(() => page.getByTestId('call-announcer').textContent()).toContain('Wrap-up saved');
    // Focus is back on the idle screen (its heading, the saved notice, or the next outreach task), not lost to the page.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid="idle"]') !== null)).toBe(true);

    const saved = (await stack.server.store.recentOutcomes(10)).filter((o) => o.customerId === customer.id);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ disposition: 'retained' });
    const playbook = await stack.server.store.playbook();
    expect(saved[0]?.offerId).toBe(playbook?.offers.find((o) => o.name === offerNames[1])?.id);
    expect(csp).toEqual([]);
    await page.getByTestId('sign-out').click();
    await page.locator('button.demo-user').first().waitFor();
    await context.close();
  });

  it('switches themes and keeps each agent’s theme, density, ring volume and language across sign-out and in', async () => {
    const context = await browser.newContext({ viewport: LAPTOP, colorScheme: 'light' });
    const page = await readyAgent(context, 'ben');
    const html = page.locator('html');
    await page.locator('html[data-theme="light"][data-theme-choice="system"][data-density="comfortable"]').waitFor();
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const lightBackground = await background();

    await page.keyboard.press('p');
    await page.getByTestId('preferences').waitFor();
    await expectAccessible(page, 'display and sound (light)');
    await page.getByLabel('Dark').check();
    await page.locator('html[data-theme="dark"][data-theme-choice="dark"]').waitFor();
    expect(await background()).not.toBe(lightBackground);
    expect(await background()).toBe('rgb(11, 18, 32)');
    await expectAccessible(page, 'display and sound (dark)');
    await page.getByLabel('Compact').check();
    await page.locator('html[data-density="compact"]').waitFor();
    await page.locator('#ring-volume').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('ring-volume').textContent()).toBe('Off');
    await page.locator('select[name="language"]').selectOption('he');
    await page.locator('html[dir="rtl"][lang="he"]').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('preferences').waitFor({ state: 'detached' });
    await expectAccessible(page, 'agent idle, dark, Hebrew');

    // Signed out, the sign-in screen keeps the last look; a new agent starts from the defaults.
    await page.getByTestId('sign-out').click();
    await page.locator('button.demo-user').first().waitFor();
    expect(await html.getAttribute('data-theme')).toBe('dark');
    await expectAccessible(page, 'sign-in (dark, Hebrew)');
    await page.locator('button.demo-user[data-username="grace"]').click();
    await page.locator('html[data-theme="light"][data-theme-choice="system"][data-density="comfortable"]').waitFor();
    // Grace had no language yet: she keeps the one on screen, then chooses English for herself.
    expect(await html.getAttribute('lang')).toBe('he');
    await page.locator('.lang-select').selectOption('en');
    await page.locator('html[dir="ltr"][lang="en"]').waitFor();
    await page.getByTestId('sign-out').click();
    await page.locator('button.demo-user').first().waitFor();

    await page.locator('button.demo-user[data-username="ben"]').click();
    await page.locator('html[data-theme="dark"][data-density="compact"][lang="he"][dir="rtl"]').waitFor();
    await page.keyboard.press('p');
    await page.getByTestId('preferences').waitFor();
    expect(await page.getByTestId('ring-volume').textContent()).toBe('כבוי');

    // "Same as the system" follows the system while the window is open.
    await page.locator('input[name="theme"][value="system"]').check();
    await page.locator('html[data-theme="light"][data-theme-choice="system"]').waitFor();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('html[data-theme="dark"][data-theme-choice="system"]').waitFor();
    await page.emulateMedia({ colorScheme: 'light' });
    await page.locator('html[data-theme="light"]').waitFor();
    await page.keyboard.press('Escape');

    await page.getByTestId('sign-out').click();
    await page.locator('button.demo-user[data-username="grace"]').click();
    await page.locator('html[lang="en"][data-theme="light"]').waitFor();
    await context.close();
  });

  it('shows a system notification for a call while the window is not in front (browser mode, web Notification API)', async () => {
    const context = await browser.newContext({ viewport: LAPTOP });
    await recordNotifications(context, new URL(stack.web.url).origin);
    const page = await readyAgent(context, 'hannah');
    await page.keyboard.press('g');
    await page.locator('.presence[data-presence="available"]').waitFor();
    expect(await page.evaluate(() => Notification.permission)).toBe('granted');

    const behind = await putBehind(context, page);
    expect(await page.evaluate(() => document.hasFocus())).toBe(false);

    const customer = customers[1]!;
    await stack.postCall({ callerNumber: customer.phones[0], language: 'en', intent: 'cancellation' });
    await page.locator('[data-testid="call-pop"][data-phase="offered"]').waitFor();
    await expect.poll(async () => (await notices(page)).length).toBeGreaterThan(0);
    const [notice] = await notices(page);
    expect(notice).toMatchObject({ title: 'Incoming call', focused: false });
    expect(notice?.body).toMatch(/is calling/);

    // In front again, the next call rings without a notification.
    await behind.bringBack();
    await page.keyboard.press('d');
    await page.locator('[data-testid="call-pop"]').waitFor({ state: 'detached' });
    expect((await notices(page)).length).toBe(1);
    await context.close();
  });
});
