import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot as shot, watchCspViolations } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { api, startStack, type TestStack } from '../support/stack';

const ADMIN_PASSWORD = 'admin long password';

/** Signs in on the login form, as someone without a demo button does. */
async function signInWithForm(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.locator('.topbar').waitFor();
}

describe('accounts, managed by an admin in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack();
    // An admin, made the way the users CLI makes one, with its one-time password changed as at first sign-in.
    const { oneTimePassword } = await stack.server.accounts.add({ username: 'ada', displayName: 'Ada Admin', role: 'admin' });
    const changed = await api(stack.server, 'POST', '/api/auth/password', { username: 'ada', password: oneTimePassword, newPassword: ADMIN_PASSWORD });
    expect(changed.status).toBe(200);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('adds an account, shows its one-time password once, disables it and resets its password', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const csp = watchCspViolations(page);
    await signInWithForm(page, stack.web.url, 'ada', ADMIN_PASSWORD);
    const table = page.getByTestId('accounts-table');
    await table.waitFor();
    await expect.poll(() => page.getByTestId('account-ava').count()).toBe(1);

    // A refusal the server names a field for is shown next to that field.
    const form = page.getByTestId('add-account');
    await form.getByLabel('User name').fill('Nora Q');
    await form.getByLabel('Display name').fill('Nora Quinn');
    await page.getByTestId('submit-account').click();
    await expect.poll(() => page.getByTestId('account-error-username').textContent()).toMatch(/lower-case/);
    expect(await form.getByLabel('User name').getAttribute('aria-invalid')).toBe('true');

    // Add: keyboard only, from the user name field.
    await form.getByLabel('User name').fill('nora');
    await form.getByLabel('Role').selectOption('agent');
    await page.getByRole('button', { name: 'Add language' }).click();
    await form.getByLabel('Skills').fill('retention, billing');
    await form.getByLabel('Skills').press('Enter');
    const dialog = page.getByTestId('password-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/changed at first sign-in/);
    const oneTime = (await page.getByTestId('one-time-password').textContent()) ?? '';
    expect(oneTime).toHaveLength(24);
    expect((await api(stack.server, 'POST', '/api/auth/login', { username: 'nora', password: oneTime })).body.error).toBe('password_change_required');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    const nora = page.getByTestId('account-nora');
    await expect.poll(() => nora.getByTestId('account-status').textContent()).toMatch(/Active/);

    // Disable: the status says so in words, and the server refuses the account.
    await nora.getByTestId('disable-account').click();
    await expect.poll(() => nora.getByTestId('account-status').textContent()).toMatch(/Disabled/);
    await page.getByTestId('accounts-message').waitFor();

    // Reset: a new one-time password, shown once.
    await nora.getByTestId('reset-password').click();
    await dialog.waitFor();
    const reset = (await page.getByTestId('one-time-password').textContent()) ?? '';
    expect(reset).toHaveLength(24);
    expect(reset).not.toBe(oneTime);
    // The viewport only: the dialog's backdrop covers the window, not the whole scrolled page.
    await expectAccessible(page, 'accounts');
    await shot(page, 'accounts', false);
    await page.getByTestId('close-password').click();
    await dialog.waitFor({ state: 'detached' });

    expect((await api(stack.server, 'POST', '/api/auth/login', { username: 'nora', password: reset })).body.error).toBe('account_disabled');
    await nora.getByTestId('enable-account').click();
    await expect.poll(() => nora.getByTestId('account-status').textContent()).toMatch(/Active/);
    expect((await api(stack.server, 'POST', '/api/auth/login', { username: 'nora', password: reset })).body.error).toBe('password_change_required');

    // Hebrew, right to left: the same screen, every label translated.
    await page.locator('.lang-select').selectOption('he');
    await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('#accounts-title').textContent()).toBe('חשבונות');
    expect(await form.getByLabel('שם משתמש').count()).toBe(1);
    expect(await page.getByTestId('accounts-message').textContent()).toBe('Nora Quinn הופעל מחדש.');
    await page.locator('.lang-select').selectOption('en');
    expect(csp).toEqual([]);
  }, 120_000);
});
