import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, watchCspViolations } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { CLIENT, freeLoopbackUrl, startProvider } from '../support/oidc-test-provider';
import { startStack, type TestStack } from '../support/stack';

describe('single sign-on from the login screen in a real browser', () => {
  let stack: TestStack;
  let provider: Awaited<ReturnType<typeof startProvider>>;
  let browser: Browser;

  beforeAll(async () => {
    const serverUrl = await freeLoopbackUrl();
    provider = await startProvider(() => `${serverUrl}/api/auth/oidc/callback`);
    stack = await startStack({
      port: Number(new URL(serverUrl).port), demoCustomers: 60,
      oidc: { issuer: provider.issuer, clientId: CLIENT.id, clientSecret: CLIENT.secret, roleGroups: 'supervisor=cc-supervisors,agent=cc-agents', label: 'Example SSO' },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await provider?.close();
  });

  it('goes to the provider and back, signs in with the mapped role, and leaves no code in the address bar', async () => {
    const page = await (await browser.newContext()).newPage();
    const cspViolations = watchCspViolations(page);
    provider.as.user = 'alex.agent';
    await page.goto(stack.web.url);
    await page.getByTestId('sign-in-with-provider').waitFor();
    await expectAccessible(page, 'sign-in with a provider');
    await page.getByTestId('sign-in-with-provider').filter({ hasText: 'Sign in with Example SSO' }).click();
    await page.locator('.topbar').waitFor();
    expect(page.url()).not.toContain('signin_code');
    expect(new URL(page.url()).origin).toBe(new URL(stack.web.url).origin);
    await page.getByText('Alex Agent').first().waitFor();
    expect(cspViolations).toEqual([]);
  });

  it('shows the refusal of a user in none of the groups on the login screen', async () => {
    const page = await (await browser.newContext()).newPage();
    provider.as.user = 'nora.nobody';
    await page.goto(stack.web.url);
    await page.getByTestId('sign-in-with-provider').click();
    await page.getByRole('alert').filter({ hasText: 'none of the groups' }).waitFor();
    await expectAccessible(page, 'sign-in refused');
    expect(page.url()).not.toContain('signin_error');
    expect(await page.locator('.topbar').count()).toBe(0);
  });
});
