import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordChurnTrial } from '../../src-server/scoring/champion-challenger';
import { launchBrowser, screenshot as shot, signIn } from '../support/browser';
import { api, startStack, type TestStack } from '../support/stack';

const DAY = 86_400_000;
const ago = (days: number): string => new Date(Date.now() - days * DAY).toISOString();

describe('saves claimed against verified on the supervisor screen, in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack({ reservationTimeoutMs: 30_000, demoCustomers: 60 });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows the claimed saves that stayed, left or are too early at each horizon, and the churn model trials', async () => {
    const page0 = await stack.server.store.snapshotPage(null, 60);
    const customers = page0.customers.filter((c) => c.language === 'en' && c.phones.length > 0).slice(0, 5);
    expect(customers).toHaveLength(5);
    // Five saves claimed 100 days ago, one of them 10 days ago; billing later says one of the old ones cancelled 20 days after the call.
    for (const [i, c] of customers.entries()) {
      const at = ago(i === 4 ? 10 : 100);
      await stack.server.store.insertOutcome({
        id: `00000000-0000-4000-8000-00000000000${i}`, callId: `CALL-V${i}`, customerId: c.id, agentId: 'A001', disposition: 'retained', offerId: null, offerOutcome: 'no_offer',
        notes: '', summary: '', summaryAuthor: 'agent', createdAt: at, agentName: 'Ava Thompson', customerName: `${c.givenName} ${c.familyName}`, valueTier: 'mid', clv: 900, receivedAt: at,
      });
    }
    await recordChurnTrial(stack.server.store, {
      at: ago(1), holdoutRows: 400, holdoutFrom: ago(30), champion: { modelVersion: 'churn-a', auc: 0.712, brier: 0.161 },
      challenger: { modelVersion: 'churn-b', auc: 0.705, brier: 0.163 }, published: false, reason: 'the challenger is worse on the holdout; the champion stays',
    });
    const posted = await api(stack.server, 'POST', '/api/customers/events', { events: [{ id: 'BILL-1', kind: 'cancelled', occurredAt: ago(80), customerId: customers[0]!.id }] });
    expect(posted.body).toMatchObject({ applied: 1 });

    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    await signIn(page, stack.web.url, 'rachel');
    const card = page.getByTestId('verified-card');
    await card.locator('tr[data-horizon="30"]').waitFor({ timeout: 30_000 });
    const row = async (days: number): Promise<string[]> => card.locator(`tr[data-horizon="${days}"] td`).allTextContents();
    expect(await row(30)).toEqual(['30 days', '5', '3 · 75%', '1', '1']);
    expect(await row(90)).toEqual(['90 days', '5', '3 · 75%', '1', '1']);
    await expect.poll(() => page.getByTestId('verified-kpi').textContent()).toContain('75%');
    expect(await page.getByTestId('churn-models-table').textContent()).toContain('Kept the model in use');
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'supervisor-verified-saves', false);
    await context.close();

    // The customer who left calls: the agent's pop (from the desktop's cache) says so.
    const agentContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const agent = await agentContext.newPage();
    await signIn(agent, stack.web.url, 'ava');
    await agent.getByText('Online', { exact: true }).waitFor();
    await agent.getByRole('button', { name: 'Go ready' }).click();
    const call = await stack.postCall({ callerNumber: customers[0]!.phones[0], language: 'en', intent: 'cancellation' });
    expect(call.status).toBe(201);
    const badge = agent.getByTestId('left-badge');
    await badge.waitFor({ timeout: 30_000 });
    expect(await badge.textContent()).toBe(`Left on ${ago(80).slice(0, 10)} (billing)`);
    await shot(agent, 'pop-customer-left', false);
    await agentContext.close();
  }, 180_000);
});
