import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/stack';
import { launchBrowser, screenshot as shot, signIn, watchCspViolations } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { startStack, type TestStack } from '../support/stack';

/** A household on one landline: mother and son, two accounts, the same phone. */
const household = '+1 (212) 736-5000';
const family = [
  { record_id: 'F-1', given_name: 'Miriam', family_name: 'Okafor', date_of_birth: '1961-04-02', phone: household, email: 'miriam.okafor@example.org', account_id: 'HH-9001', city: 'Leeds', updated_at: '2026-11-03T10:00:00Z' },
  { record_id: 'F-2', given_name: 'Tobenna', family_name: 'Okafor', date_of_birth: '1994-11-30', phone: household, email: 'toby.okafor@example.net', account_id: 'HH-9002', city: 'Leeds', updated_at: '2026-11-12T10:00:00Z' },
];

describe('identity at ring time in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack({ reservationTimeoutMs: 60_000, demoCustomers: 120 });
    browser = await launchBrowser();
    const ingested = await api(stack.server, 'POST', '/api/identity/records', { source: 'crm', records: family });
    expect(ingested.body).toMatchObject({ inserted: 2 });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('lets the agent pick the caller on a shared phone, merge the other profile in, and split it back off', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const agent = await context.newPage();
    const cspViolations = watchCspViolations(agent);
    await signIn(agent, stack.web.url, 'ava');
    await agent.getByText('Online', { exact: true }).waitFor();
    await agent.locator('.presence button', { hasText: 'Go ready' }).click();
    await agent.locator('.presence[data-presence="available"]').waitFor();

    const posted = await stack.postCall({ callerNumber: household, language: 'en', intent: 'billing' });
    expect(posted.status).toBe(201);
    expect(posted.body.customerId).toBeNull();

    // Unsure: both people on the line, by name, with what tells them apart and how sure each is.
    const picker = agent.getByTestId('candidate-picker');
    await picker.waitFor();
    await picker.getByText('born 1961').waitFor();
    const options = picker.getByTestId('candidate');
    expect(await options.count()).toBe(2);
    const texts = await options.allTextContents();
    expect(texts.some((t) => t.includes('Miriam Okafor') && t.includes('acct HH9001') && t.includes('phone'))).toBe(true);
    expect(texts.every((t) => /\d+%/.test(t))).toBe(true);
    expect(await agent.getByTestId('caller-name').textContent()).toBe('Unknown caller');
    await expectAccessible(agent, 'identity-candidates');
    await shot(agent, 'identity-candidates', false);

    await options.filter({ hasText: 'Tobenna' }).click();
    await agent.getByTestId('caller-name').filter({ hasText: 'Tobenna Okafor' }).waitFor();
    expect(await picker.count()).toBe(0);
    const decisions = await stack.server.store.identityDecisions();
    expect(decisions.map((d) => d.kind)).toEqual(['confirm']);
    // Where each value came from: source and date beside it.
    const profile = agent.getByTestId('profile');
    expect(await profile.getByTestId('lineage').first().textContent()).toMatch(/^CRM · (12 Nov|Nov 12)$/);
    await agent.getByRole('button', { name: 'Answer' }).click();
    await agent.locator('[data-testid="call-pop"][data-phase="connected"]').waitFor();

    // "Merge with…": the mother's profile, found by her account.
    await profile.getByTestId('merge-open').click();
    await profile.locator('input[name="merge-query"]').fill('HH-9001');
    await profile.getByRole('button', { name: 'Find' }).click();
    await profile.getByTestId('merge-confirm').click();
    await profile.getByTestId('identity-done').filter({ hasText: 'Miriam Okafor merged' }).waitFor();
    expect(await profile.getByTestId('identity-links').locator('li').count()).toBe(2);

    // Not the same person after all: split her record back off.
    await profile.getByTestId('split-open').click();
    const panel = profile.getByTestId('split-panel');
    await panel.getByTestId('split-record').first().waitFor();
    expect(await panel.getByTestId('split-record').count()).toBe(2);
    await panel.locator('[data-record="crm:F-1"]').check();
    await panel.getByTestId('split-confirm').filter({ hasText: 'Split off 1 record' }).waitFor();
    await expectAccessible(agent, 'identity-split');
    await shot(agent, 'identity-split', false);
    await panel.getByTestId('split-confirm').click();
    await profile.getByTestId('identity-done').filter({ hasText: 'Split off 1 record' }).waitFor();
    expect(await profile.getByTestId('identity-links').locator('li').count()).toBe(1);
    expect((await stack.server.store.identityDecisions()).map((d) => d.kind)).toEqual(['confirm', 'merge', 'split']);
    expect(await agent.getByTestId('caller-name').textContent()).toBe('Tobenna Okafor');

    // Hebrew: the identity panel reads right to left.
    await agent.locator('.lang-select').selectOption('he');
    await agent.locator('html[dir="rtl"][lang="he"]').waitFor();
    await profile.getByTestId('merge-open').filter({ hasText: 'מיזוג עם…' }).waitFor();
    expect(await profile.getByTestId('identity').evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    await expectAccessible(agent, 'identity-hebrew');
    await shot(agent, 'identity-hebrew', false);
    expect(cspViolations).toEqual([]);
    await context.close();
  });
});
