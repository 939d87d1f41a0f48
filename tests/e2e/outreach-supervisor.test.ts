import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentsResponseSchema } from '@shared/contract/server-http';
import { createRandom } from '@shared/util/random';
import { launchBrowser, screenshot as shot, signIn, watchCspViolations } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { notices, putBehind, recordNotifications } from '../support/notifications';
import { connectAs, emitAck, waitFor } from '../support/socket-agent';
import { api, startStack, type TestStack } from '../support/stack';

/** How many routed retention calls are played before the supervisor looks, so both routing arms have some. */
const ROUTED_CALLS = 16;



/**
 * Retention calls answered and wrapped up by one agent over a raw socket, so
 * the supervisor's uplift card and breakdowns have outcomes from both routing
 * arms (half the calls go to the longest-idle baseline).
 */
async function playRoutedCalls(stack: TestStack, count: number): Promise<void> {
  const page = await stack.server.store.snapshotPage(null, 300);
  const callers = page.customers.filter((c) => c.language === 'en' && c.phones.length > 0).slice(0, count);
  const offers = page.playbook?.offers ?? [];
  const random = createRandom(11);
  const grace = await connectAs(stack.server, 'grace');
  try {
    expect((await emitAck(grace.socket, 'presence:set', { presence: 'available' })).ok).toBe(true);
    for (const [i, caller] of callers.entries()) {
      const posted = await stack.postCall({ callerNumber: caller.phones[0], language: 'en', intent: 'cancellation' });
      expect(posted.status).toBe(201);
      const callId = String(posted.body.callId);
      await waitFor(() => grace.offers.find((o) => o.call.id === callId), 10_000);
      expect((await emitAck(grace.socket, 'call:accept', { callId })).ok).toBe(true);
      expect((await emitAck(grace.socket, 'call:hangUp', { callId })).ok).toBe(true);
      const offer = offers.length > 0 && i % 2 === 0 ? offers[i % offers.length] : undefined;
      const retained = random.chance(0.55);
      const saved = await emitAck(grace.socket, 'wrapUp:submit', {
        id: randomUUID(), callId, customerId: posted.body.customerId ?? caller.id, agentId: grace.agentId,
        disposition: retained ? 'retained' : 'churned', offerId: offer?.id ?? null, offerOutcome: offer ? (retained ? 'accepted' : 'declined') : 'no_offer',
        notes: '', summary: '', summaryAuthor: 'agent', createdAt: new Date().toISOString(),
      });
      expect(saved.ok).toBe(true);
    }
  } finally {
    grace.socket.disconnect();
  }
}

describe('outreach for agents, routing uplift and agent management for supervisors, in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack({
      reservationTimeoutMs: 30_000,
      // The demo book's last contacts a week back (past the 48 h cool-off), calling hours open all day, half the calls on the baseline arm.
      demoAsOf: new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10),
      outreach: { callingHours: { start: '00:00', end: '23:59' }, sweepMs: 200, taskTimeoutMs: 90_000 },
      routing: { baselineShare: 0.5 },
    });
    browser = await launchBrowser();
    await playRoutedCalls(stack, ROUTED_CALLS);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('offers a ready agent an outreach preview, and "Call now" opens the outbound pop through to the wrap-up', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const agent = await context.newPage();
    const cspViolations = watchCspViolations(agent);
    await signIn(agent, stack.web.url, 'ava');
    await agent.getByText('Online', { exact: true }).waitFor();

    // The ranked list is there while away, with the rules the server applied in small print.
    const list = agent.getByTestId('outreach-list');
    await list.locator('.outreach-row').first().waitFor();
    const skipped = await agent.getByTestId('outreach-skipped').textContent();
    for (const rule of ['do not call', 'outside calling hours', 'max attempts reached', 'cool-off after a recent contact']) expect(skipped).toContain(rule);

    await agent.locator('.presence button', { hasText: 'Go ready' }).click();
    const card = agent.getByTestId('outreach-task');
    await card.waitFor({ timeout: 15_000 });
    const name = (await agent.getByTestId('outreach-name').textContent())?.trim() ?? '';
    expect(name.length).toBeGreaterThan(0);
    // Value at risk, churn risk and the local time are figures on the card; the other reasons are listed.
    expect(await card.getByTestId('why-this').locator('li').count()).toBeGreaterThanOrEqual(1);
    expect(await card.getByTestId('why-now').locator('li').count()).toBeGreaterThanOrEqual(1);
    expect(await card.textContent()).toContain('inside calling hours');
    // The customer on offer is marked in the list, when the list reaches them.
    const offeredId = (await card.getAttribute('data-customer-id')) ?? '';
    const offeredRow = list.locator(`.outreach-row[data-customer-id="${offeredId}"]`);
    if ((await offeredRow.count()) > 0) expect(await offeredRow.getAttribute('class')).toContain('outreach-row-offered');
    expect(await agent.getByTestId('outreach-countdown').textContent()).toMatch(/^\d+s to decide$/);
    expect(await agent.getByTestId('outreach-value').textContent()).toMatch(/\$[\d,]+/);
    await expectAccessible(agent, 'outreach');
    await shot(agent, 'outreach');

    await card.getByRole('button', { name: 'Call now' }).click();
    const pop = agent.locator('[data-testid="call-pop"][data-phase="connected"]');
    await pop.waitFor();
    // The name is on the pop at once (from the task if the customer is not cached yet), and stays once the profile is there.
    expect(await agent.getByTestId('caller-name').textContent()).toBe(name);
    await agent.getByTestId('profile').locator('dl.facts').waitFor({ timeout: 15_000 });
    expect(await agent.getByTestId('caller-name').textContent()).toBe(name);
    await agent.getByTestId('outbound-badge').waitFor();
    expect(await agent.getByTestId('match').textContent()).toContain('outreach task');
    expect(await agent.getByTestId('outbound-why').textContent()).toContain('Why now');
    await agent.getByTestId('risk').waitFor();
    // The script follows into the pop once the cache has the playbook, even when the call opened first.
    await agent.getByTestId('script').getByTestId('script-current').waitFor({ timeout: 20_000 });
    await expectAccessible(agent, 'outreach-call');
    await shot(agent, 'outreach-call');
    const callId = (await pop.getAttribute('data-call-id')) ?? '';

    await agent.getByRole('button', { name: 'End call' }).click();
    await agent.getByTestId('wrap-up').waitFor();
    await agent.locator('select[name="disposition"]').selectOption('retained');
    await agent.locator('textarea[name="notes"]').fill('Called ahead of the renewal; agreed to stay on the loyalty discount.');
    await agent.getByRole('button', { name: 'Save wrap-up' }).click();
    await agent.getByTestId('wrap-up-saved').waitFor();

    // The outcome reaches the server under the outbound call's id, as any wrap-up does.
    const deadline = Date.now() + 10_000;
    let outcome;
    while (!(outcome = (await stack.server.store.recentOutcomes(40)).find((o) => o.callId === callId)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(outcome?.customerName).toBe(name);
    expect(outcome?.disposition).toBe('retained');
    expect(outcome?.agentName).toBe('Ava Thompson');
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('tells an agent of a new outreach task with a system notification while the window is not in front', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await recordNotifications(context, new URL(stack.web.url).origin);
    const agent = await context.newPage();
    await signIn(agent, stack.web.url, 'grace');
    await agent.getByText('Online', { exact: true }).waitFor();
    const behind = await putBehind(context, agent);
    expect(await agent.evaluate(() => document.hasFocus())).toBe(false);
    // A DOM click: it goes ready without bringing the window forward.
    await agent.locator('.presence button', { hasText: 'Go ready' }).dispatchEvent('click');
    const card = agent.getByTestId('outreach-task');
    await card.waitFor({ timeout: 15_000 });
    const name = (await agent.getByTestId('outreach-name').textContent())?.trim() ?? '';
    await expect.poll(async () => (await notices(agent)).length, { timeout: 10_000 }).toBe(1);
    expect((await notices(agent))[0]).toEqual({ title: 'Outreach task', body: `Call ${name} before they leave.`, focused: false, visibility: 'visible' });
    // Back in front, the agent skips it; the next task is on screen and makes no notification.
    await behind.bringBack();
    const first = await card.getAttribute('data-customer-id');
    await card.getByRole('button', { name: /skip/i }).first().click();
    await expect.poll(async () => (await agent.getByTestId('outreach-task').count()) > 0 && (await agent.getByTestId('outreach-task').getAttribute('data-customer-id')) !== first, { timeout: 15_000 }).toBe(true);
    expect((await notices(agent)).length).toBe(1);
    await context.close();
  });

  it('shows the supervisor the predictive-vs-baseline verdict, save rates by agent, offer and segment, and edits an agent', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const supervisor = await context.newPage();
    const cspViolations = watchCspViolations(supervisor);
    await signIn(supervisor, stack.web.url, 'rachel');
    await supervisor.getByTestId('supervisor').waitFor();

    const uplift = supervisor.getByTestId('routing-uplift');
    await uplift.waitFor();
    const report = await stack.server.routing.upliftReport();
    expect(report.policy.calls + report.baseline.calls).toBe(ROUTED_CALLS);
    const verdict = (await supervisor.getByTestId('uplift-verdict').textContent()) ?? '';
    if (report.policy.calls === 0 || report.baseline.calls === 0) expect(verdict).toContain('Not enough');
    else if (report.policyBetter) expect(verdict).toMatch(/^Predictive routing saves [\d.]+ pts more than baseline \(95% CI /);
    else if (report.baselineBetter) expect(verdict).toContain('Baseline routing saves');
    else expect(verdict).toContain('No significant difference yet');
    expect(await uplift.locator('tr[data-arm="policy"] td').nth(1).textContent()).toBe(String(report.policy.calls));
    expect(await uplift.locator('tr[data-arm="baseline"] td').nth(1).textContent()).toBe(String(report.baseline.calls));

    const byAgent = supervisor.getByTestId('breakdown-agent');
    await byAgent.locator('tr', { hasText: 'Grace Walker' }).waitFor();
    expect(await byAgent.locator('tr', { hasText: 'Grace Walker' }).locator('td').nth(1).textContent()).toBe(String(ROUTED_CALLS));
    expect(await supervisor.getByTestId('breakdown-offer').locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    expect(await supervisor.getByTestId('breakdown-segment').locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    const grace = supervisor.locator('[data-testid="agents-table"] tr', { hasText: 'Grace Walker' });
    await grace.locator('.learnt-chip').first().waitFor();
    await expectAccessible(supervisor, 'supervisor-routing');
    await shot(supervisor, 'supervisor-routing');

    // Ben (English only) learns Russian at level 3 and takes two calls at once.
    const ben = supervisor.locator('[data-testid="agents-table"] tr[data-agent-id="A007"]');
    await ben.getByTestId('edit-agent').click();
    const editor = supervisor.getByTestId('agent-editor');
    await editor.waitFor();
    await editor.getByTestId('add-language').click();
    await editor.locator('select[name="language-1"]').selectOption('ru');
    await editor.locator('select[name="proficiency-1"]').selectOption('3');
    await editor.locator('input[name="capacity"]').fill('2');
    // He moves to the other team (offered from the teams the floor has).
    const otherTeam = (await editor.locator('#known-teams option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).find((name) => name !== 'Harbour');
    expect(otherTeam).toBe('Summit');
    await editor.getByTestId('agent-team').fill(otherTeam!);
    await editor.getByTestId('save-agent').click();
    await supervisor.getByTestId('agent-saved').waitFor();
    await ben.getByTestId('agent-languages').filter({ hasText: 'RU 3' }).waitFor();
    await ben.getByTestId('agent-team-cell').filter({ hasText: 'Summit' }).waitFor();

    const token = String((await api(stack.server, 'POST', '/api/auth/login', { username: 'rachel', password: 'demo' }, '')).body.token);
    const agents = agentsResponseSchema.parse((await api(stack.server, 'GET', '/api/agents', undefined, token)).body).agents;
    const stored = agents.find((a) => a.id === 'A007');
    expect(stored?.languages).toEqual([{ code: 'en', proficiency: 5 }, { code: 'ru', proficiency: 3 }]);
    expect(stored?.capacity).toBe(2);
    expect(stored?.team).toBe('Summit');

    // A capacity the server refuses comes back beside the field, and nothing changes.
    await ben.getByTestId('edit-agent').click();
    await editor.waitFor();
    await editor.locator('input[name="capacity"]').fill('25');
    await editor.getByTestId('save-agent').click();
    const refusal = editor.getByTestId('agent-error-capacity');
    await refusal.waitFor();
    // The server's own words (its limit is 20), without repeating the field they sit beside.
    expect(await refusal.textContent()).toMatch(/^Not saved: (?!capacity).*20/);
    // The drawer covers the viewport, not the whole page.
    await expectAccessible(supervisor, 'agent-editor');
    await shot(supervisor, 'agent-editor', false);
    await editor.getByRole('button', { name: 'Cancel' }).first().click();
    await editor.waitFor({ state: 'detached' });
    const after = agentsResponseSchema.parse((await api(stack.server, 'GET', '/api/agents', undefined, token)).body).agents;
    expect(after.find((a) => a.id === 'A007')?.capacity).toBe(2);
    expect(cspViolations).toEqual([]);
    await context.close();
  });
});
