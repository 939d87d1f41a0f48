import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '@shared/domain/customer';
import { launchBrowser, screenshot as shot, signIn, watchCspViolations } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { startStack, type TestStack } from '../support/stack';




describe('the whole call flow in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let customer: CustomerProfile;

  beforeAll(async () => {
    stack = await startStack({ reservationTimeoutMs: 30_000 });
    browser = await launchBrowser();
    const page = await stack.server.store.snapshotPage(null, 300);
    const scoredIds = new Set(page.scores.filter((s) => s.churnBand !== 'low' && s.reasons.length >= 2).map((s) => s.customerId));
    const withHistory = new Set(page.interactions.map((i) => i.customerId));
    customer = page.customers.find((c) => c.language === 'en' && c.phones.length > 0 && scoredIds.has(c.id) && withHistory.has(c.id)) as CustomerProfile;
    expect(customer).toBeDefined();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows demo users on the login screen', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(stack.web.url);
    await page.locator('button.demo-user').first().waitFor();
    expect(await page.locator('button.demo-user').count()).toBeGreaterThanOrEqual(10);
    await expectAccessible(page, 'login');
    await shot(page, 'login');
    await context.close();
  });

  it('pops the caller for the agent, takes the wrap-up, and shows the outcome to a supervisor', async () => {
    const agentContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const supervisorContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const agent = await agentContext.newPage();
    const supervisor = await supervisorContext.newPage();
    const cspViolations = [agent, supervisor].map(watchCspViolations);

    await signIn(agent, stack.web.url, 'ava');
    await agent.getByText('Online', { exact: true }).waitFor();
    await agent.locator('.presence button', { hasText: 'Go ready' }).click();
    await agent.locator('.presence[data-presence="available"]').waitFor();
    await expectAccessible(agent, 'agent-ready');
    await shot(agent, 'agent-ready');

    await signIn(supervisor, stack.web.url, 'rachel');
    await supervisor.getByTestId('supervisor').waitFor();

    const posted = await stack.postCall({ callerNumber: customer.phones[0], language: 'en', intent: 'cancellation' });
    expect(posted.status).toBe(201);
    expect(posted.body.customerId).toBe(customer.id);

    const pop = agent.getByTestId('call-pop');
    await pop.waitFor();
    expect(await agent.getByTestId('caller-name').textContent()).toBe(`${customer.givenName} ${customer.familyName}`);
    expect(await agent.getByTestId('match').textContent()).toContain('phone');
    expect(await agent.getByTestId('risk-reasons').locator('li').count()).toBeGreaterThanOrEqual(2);
    // The agent went ready while the cache may still be filling: the script arrives with the feed, into the pop on screen.
    await agent.getByTestId('script').getByTestId('script-current').waitFor();
    expect(await agent.getByTestId('script').textContent()).toContain('“');
    await agent.getByTestId('brief').locator('li').first().waitFor();
    await agent.getByTestId('timeline').waitFor();
    await expectAccessible(agent, 'agent-call-pop');
    await shot(agent, 'agent-call-pop');

    await agent.getByRole('button', { name: 'Answer' }).click();
    await agent.locator('[data-testid="call-pop"][data-phase="connected"]').waitFor();
    await agent.getByRole('button', { name: 'End call' }).click();
    await agent.getByTestId('wrap-up').waitFor();
    await agent.locator('select[name="disposition"]').selectOption('retained');
    await agent.locator('textarea[name="notes"]').fill('Customer was unhappy with the price; accepted the best offer.');
    await expectAccessible(agent, 'agent-wrap-up');
    await shot(agent, 'agent-wrap-up');
    await agent.getByRole('button', { name: 'Save wrap-up' }).click();
    await agent.getByTestId('wrap-up-saved').waitFor();

    const row = supervisor.getByTestId('outcomes-table').locator('tbody tr', { hasText: `${customer.givenName} ${customer.familyName}` });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('Retained');
    expect(await row.textContent()).toContain('Ava Thompson');
    await supervisor.locator('[data-testid="save-rate"]', { hasText: '100%' }).waitFor();
    await expectAccessible(supervisor, 'supervisor');
    await shot(supervisor, 'supervisor');

    const stored = await stack.server.store.recentOutcomes(10);
    expect(stored.filter((o) => o.customerId === customer.id)).toHaveLength(1);
    // Pop, wrap-up and the supervisor's chart all ran under the hosts' strict policy.
    expect(cspViolations.flat()).toEqual([]);
    await agentContext.close();
    await supervisorContext.close();
  });
});
