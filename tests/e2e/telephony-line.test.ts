import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '@shared/domain/customer';
import { launchBrowser, screenshot as shot, signIn } from '../support/browser';
import { api } from '../support/stack';
import { startStack, type TestStack } from '../support/stack';

/**
 * The agent's screen with a phone system attached (the webhook adapter; its
 * receiver is not there, which the screen does not depend on): the pop says
 * the call is ringing on the agent's phone, then connected, and when the
 * caller hangs up the wrap-up opens saying so.
 */
describe('the phone line on the agent\'s screen, in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let customer: CustomerProfile;

  beforeAll(async () => {
    stack = await startStack({
      reservationTimeoutMs: 30_000,
      telephony: { adapter: 'webhook', webhook: { url: 'http://127.0.0.1:9/nowhere', secret: 'screen-test-webhook-secret-0123456789', firstBackoffMs: 5_000 } },
    });
    browser = await launchBrowser();
    const page = await stack.server.store.snapshotPage(null, 300);
    customer = page.customers.find((c) => c.language === 'en' && c.phones.length > 0) as CustomerProfile;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows ringing on your phone, connected, then ended by the caller with the wrap-up open', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const agent = await context.newPage();
    await signIn(agent, stack.web.url, 'ava');
    await agent.getByText('Online', { exact: true }).waitFor();
    await agent.locator('.presence button', { hasText: 'Go ready' }).click();
    await agent.locator('.presence[data-presence="available"]').waitFor();

    const posted = await stack.postCall({ callId: 'TEL-SCREEN-1', callerNumber: customer.phones[0], language: 'en', intent: 'cancellation' });
    expect(posted.status).toBe(201);
    await agent.getByTestId('call-pop').waitFor();
    await agent.getByRole('button', { name: 'Answer' }).click();

    await api(stack.server, 'POST', '/api/calls/TEL-SCREEN-1/events', { type: 'ringing' });
    await expect.poll(() => agent.getByTestId('call-line').textContent(), { timeout: 10_000 }).toContain('Ringing on your phone');
    await shot(agent, 'telephony-ringing-on-your-phone');

    await api(stack.server, 'POST', '/api/calls/TEL-SCREEN-1/events', { type: 'answered' });
    await expect.poll(() => agent.getByTestId('call-line').textContent(), { timeout: 10_000 }).toContain('Connected on your phone');

    await api(stack.server, 'POST', '/api/calls/TEL-SCREEN-1/events', { type: 'ended', by: 'caller' });
    await expect.poll(() => agent.getByTestId('call-line').textContent(), { timeout: 10_000 }).toContain('Ended by the caller');
    await agent.locator('form.wrapup-form').waitFor({ timeout: 10_000 });
    await shot(agent, 'telephony-ended-by-caller-wrap-up');
    await context.close();
  }, 120_000);
});
