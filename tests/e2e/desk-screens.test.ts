import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '@shared/domain/customer';
import { launchBrowser, screenshot as shot, signIn } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { seedReviewOutcomes } from '../support/review-outcomes';
import { api, startStack, type TestStack } from '../support/stack';

const LAPTOP = { width: 1366, height: 768 };
const ADMIN_PASSWORD = 'admin long password';
type Theme = 'light' | 'dark';

/**
 * Every screen, in English and Hebrew, light and dark: checked with axe
 * (WCAG 2.1 AA, no serious or critical violation) and photographed for
 * docs/screenshots (`npm run screenshots:desk`).
 */
describe('every screen in English and Hebrew, light and dark', () => {
  let stack: TestStack;
  let browser: Browser;
  const pool = new Map<string, CustomerProfile[]>();

  beforeAll(async () => {
    stack = await startStack({ reservationTimeoutMs: 120_000 });
    const { oneTimePassword } = await stack.server.accounts.add({ username: 'ada', displayName: 'Ada Admin', role: 'admin' });
    expect((await api(stack.server, 'POST', '/api/auth/password', { username: 'ada', password: oneTimePassword, newPassword: ADMIN_PASSWORD })).status).toBe(200);
    await seedReviewOutcomes(stack);
    browser = await launchBrowser();
    const page = await stack.server.store.snapshotPage(null, 300);
    const scored = new Set(page.scores.filter((s) => s.churnBand !== 'low' && s.reasons.length >= 2).map((s) => s.customerId));
    const withHistory = new Set(page.interactions.map((i) => i.customerId));
    for (const language of ['en', 'he']) {
      pool.set(language, page.customers.filter((c) => c.language === language && c.phones.length > 0 && scored.has(c.id) && withHistory.has(c.id)));
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** Sets the signed-in user's language and theme the way they would: the display and sound panel. */
  async function setLook(page: Page, language: string, theme: Theme): Promise<void> {
    await page.getByTestId('open-preferences').click();
    await page.getByTestId('preferences').waitFor();
    await page.locator(`input[name="theme"][value="${theme}"]`).check();
    await page.locator('select[name="language"]').selectOption(language);
    await page.locator(`html[lang="${language}"][data-theme="${theme}"]`).waitFor();
  }

  async function capture(page: Page, name: string): Promise<void> {
    // Let transitions and the ring animation settle so the picture is what the agent sees.
    await page.waitForTimeout(300);
    await expectAccessible(page, name);
    await shot(page, name, false);
  }

  for (const language of ['en', 'he'] as const) {
    for (const theme of ['light', 'dark'] as const) {
      it(`agent, supervisor and admin screens (${language}, ${theme})`, async () => {
        const tag = `${language}-${theme}`;
        const agentName = language === 'en' ? (theme === 'light' ? 'ava' : 'grace') : theme === 'light' ? 'noa' : 'tamar';
        const context = await browser.newContext({ viewport: LAPTOP, colorScheme: theme });
        const page = await context.newPage();
        await signIn(page, stack.web.url, agentName);
        await page.locator('[data-testid="idle"] h1').waitFor();
        await setLook(page, language, theme);
        await capture(page, `preferences-${tag}`);
        await page.keyboard.press('Escape');
        await page.getByTestId('preferences').waitFor({ state: 'detached' });

        await page.keyboard.press('g');
        await page.locator('.presence[data-presence="available"]').waitFor();
        await page.waitForTimeout(1_500);
        await capture(page, `agent-ready-${tag}`);

        await page.keyboard.press('Shift+Slash');
        await page.getByTestId('shortcuts-help').waitFor();
        await capture(page, `shortcuts-${tag}`);
        await page.keyboard.press('Escape');

        const customer = pool.get(language)!.shift()!;
        expect(customer).toBeDefined();
        await stack.postCall({ callerNumber: customer.phones[0], language, intent: 'cancellation' });
        await page.locator('[data-testid="call-pop"][data-phase="offered"]').waitFor();
        await page.getByTestId('script').getByTestId('script-current').waitFor();
        await page.getByTestId('brief').locator('li').first().waitFor();
        await capture(page, `call-pop-${tag}`);

        await page.keyboard.press('a');
        await page.locator('[data-testid="call-pop"][data-phase="connected"]').waitFor();
        await page.keyboard.press('n');
        await page.keyboard.press('1');
        await capture(page, `call-connected-${tag}`);

        await page.getByTestId('open-settings').click();
        await page.getByTestId('ai-settings').waitFor();
        await capture(page, `ai-settings-${tag}`);
        await page.keyboard.press('Escape');
        await page.getByTestId('open-ai-audit').click();
        await page.getByTestId('ai-audit').waitFor();
        await capture(page, `ai-audit-${tag}`);
        await page.keyboard.press('Escape');

        await page.keyboard.press('w');
        await page.getByTestId('wrap-up').waitFor();
        await page.keyboard.type(language === 'he' ? 'הלקוח קיבל את ההצעה.' : 'Customer took the offer.');
        await capture(page, `wrap-up-${tag}`);
        await page.keyboard.press('Control+Enter');
        await page.getByTestId('wrap-up-saved').waitFor();
        await capture(page, `agent-after-call-${tag}`);

        await page.getByTestId('sign-out').click();
        await page.locator('button.demo-user').first().waitFor();
        await capture(page, `login-${tag}`);

        const supervisor = language === 'en' ? (theme === 'light' ? 'rachel' : 'marcus') : theme === 'light' ? 'marcus' : 'rachel';
        await page.locator(`button.demo-user[data-username="${supervisor}"]`).click();
        await page.getByTestId('supervisor').waitFor();
        await setLook(page, language, theme);
        await page.keyboard.press('Escape');
        await page.getByTestId('preferences').waitFor({ state: 'detached' });
        await page.waitForTimeout(1_000);
        await capture(page, `supervisor-${tag}`);
        await page.getByTestId('tab-playbook').click();
        await page.getByTestId('playbook-editor').waitFor();
        await capture(page, `playbook-editor-${tag}`);
        await page.getByTestId('tab-review').click();
        await page.getByTestId('review-kpis').waitFor();
        await page.locator('.recharts-line').first().waitFor();
        await capture(page, `review-${tag}`);
        await page.getByTestId('tab-live').click();
        await page.getByTestId('live-board').waitFor();
        await capture(page, `live-board-${tag}`);
        await page.getByTestId('tab-floor').click();
        await page.getByTestId('sign-out').click();

        await page.locator('input[name="username"]').fill('ada');
        await page.locator('input[name="password"]').fill(ADMIN_PASSWORD);
        await page.locator('button[type="submit"]').click();
        await page.getByTestId('accounts-table').waitFor();
        await setLook(page, language, theme);
        await page.keyboard.press('Escape');
        await page.getByTestId('preferences').waitFor({ state: 'detached' });
        await capture(page, `accounts-${tag}`);
        await context.close();
      }, 300_000);
    }
  }
});
