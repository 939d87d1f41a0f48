import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '@shared/domain/customer';
import { launchBrowser, screenshot as shot, watchCspViolations } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { startOpenAiTestServer, type OpenAiTestServer } from '../support/openai-test-server';
import { startStack, type TestStack } from '../support/stack';

const API_KEY = 'sk-e2e-never-shown-4242';


/** Model text as it streams: each bullet in two deltas, so lines complete one by one. */
function bulletChunks(lines: string[]): string[] {
  return lines.flatMap((line) => [`- ${line.slice(0, 12)}`, `${line.slice(12)}\n`]);
}

async function goReady(page: Page): Promise<void> {
  const presence = page.locator('.presence');
  await presence.locator('button').waitFor();
  if ((await presence.getAttribute('data-presence')) !== 'available') await presence.locator('button').click();
  await page.locator('.presence[data-presence="available"]').waitFor();
}

describe('AI brief, settings, audit and wrap-up draft in a real browser', () => {
  let stack: TestStack;
  let ai: OpenAiTestServer;
  let browser: Browser;
  let english: CustomerProfile;
  let hebrew: CustomerProfile;

  beforeAll(async () => {
    stack = await startStack({ reservationTimeoutMs: 60_000 });
    ai = await startOpenAiTestServer({ models: ['test-model', 'other-model'] });
    browser = await launchBrowser();
    const page = await stack.server.store.snapshotPage(null, 300);
    const scored = new Set(page.scores.filter((s) => s.reasons.length >= 2).map((s) => s.customerId));
    const withHistory = new Set(page.interactions.map((i) => i.customerId));
    const candidates = page.customers.filter((c) => c.phones.length > 0 && scored.has(c.id) && withHistory.has(c.id));
    english = candidates[0] as CustomerProfile;
    hebrew = candidates[1] as CustomerProfile;
    expect(hebrew).toBeDefined();
  });

  afterAll(async () => {
    await browser?.close();
    await ai?.close();
    await stack?.close();
  });

  it('configures the endpoint, streams the AI brief into the pop, shows what the AI saw, drafts the wrap-up, and renders Hebrew right to left', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const agent = await context.newPage();
    const cspViolations = watchCspViolations(agent);
    await agent.goto(stack.web.url);
    await agent.locator('button.demo-user[data-username="ava"]').click();
    await agent.locator('.topbar').waitFor();
    await agent.getByText('Online', { exact: true }).waitFor();

    // Settings: a bad URL is refused with a message, then the test server is configured.
    await agent.getByTestId('open-settings').click();
    const settings = agent.getByTestId('ai-settings');
    await settings.waitFor();
    expect(await settings.getByTestId('ai-mode').textContent()).toBe('On-device only');
    await settings.locator('input[name="baseUrl"]').fill('ftp://not-http');
    await settings.locator('input[name="model"]').fill('test-model');
    await settings.getByTestId('save-settings').click();
    expect(await settings.getByTestId('error-baseUrl').textContent()).toContain('http(s) URL');
    await settings.locator('input[name="baseUrl"]').fill(ai.baseURL);
    await settings.locator('input[name="apiKey"]').fill(API_KEY);
    await settings.locator('input[name="firstTokenTimeout"]').fill('4');
    await settings.getByTestId('test-connection').click();
    await settings.getByTestId('test-result').filter({ hasText: 'Connected' }).waitFor();
    expect(await settings.getByTestId('test-result').textContent()).toContain('2 models');
    await settings.getByTestId('save-settings').click();
    await settings.getByTestId('settings-saved').waitFor();
    expect(await settings.getByTestId('key-state').textContent()).toContain('A key is stored');
    expect(await settings.locator('input[name="apiKey"]').inputValue()).toBe('');
    expect(await settings.getByTestId('ai-mode').textContent()).toBe('AI: test-model');
    await expectAccessible(agent, 'settings');
    await shot(agent, 'settings');
    expect(await agent.content()).not.toContain(API_KEY);
    await agent.keyboard.press('Escape');
    await settings.waitFor({ state: 'detached' });

    // A call rings: the pop paints with the on-device brief, then the model's streams in.
    await goReady(agent);
    const lines = [
      'Billing complaint about a double charge is still open since last week.',
      'Declined the loyalty discount offered in the spring.',
      'Sentiment worsening: recent contacts are clearly negative.',
      'Promised a callback from billing that never happened.',
    ];
    ai.enqueue({ kind: 'reply', chunks: bulletChunks(lines), firstTokenDelayMs: 1_200, chunkDelayMs: 250, usage: { prompt_tokens: 1200, completion_tokens: 80, total_tokens: 1280 } });
    const posted = await stack.postCall({ callerNumber: english.phones[0], language: 'en', intent: 'cancellation' });
    expect(posted.status).toBe(201);
    await agent.getByTestId('call-pop').waitFor();
    const source = agent.getByTestId('brief-source');
    await agent.locator('[data-testid="brief-source"][data-source="on-device"][data-status="pending"]').waitFor();
    expect(await source.textContent()).toBe('On-device summary');
    expect(await agent.getByTestId('brief').locator('li').count()).toBeGreaterThan(0);
    await agent.locator('[data-testid="brief-source"][data-source="model"][data-status="streaming"]').waitFor();
    const whileStreaming = await agent.getByTestId('brief').locator('li').count();
    await agent.locator('[data-testid="brief-source"][data-source="model"][data-status="done"]').waitFor({ timeout: 15_000 });
    expect(whileStreaming).toBeLessThan(lines.length);
    expect(await source.textContent()).toBe('AI summary (test-model)');
    expect(await agent.getByTestId('brief').locator('li').allTextContents()).toEqual(lines);
    await expectAccessible(agent, 'ai-brief');
    await shot(agent, 'ai-brief');

    // What the AI saw: the row for this call and its exact, redacted payload.
    await agent.getByTestId('brief-audit').click();
    const audit = agent.getByTestId('ai-audit');
    await audit.getByTestId('audit-row').first().waitFor();
    expect(await audit.getByTestId('audit-row').count()).toBe(1);
    const row = audit.getByTestId('audit-row').first();
    expect(await row.textContent()).toContain('Ava Thompson');
    expect(await row.textContent()).toContain(`${english.givenName} ${english.familyName}`);
    expect(await row.textContent()).toContain('1,280');
    await row.click();
    const payload = audit.getByTestId('ai-payload');
    await payload.waitFor();
    expect(await payload.getByTestId('payload-verified').textContent()).toBe('Hash matches');
    const sent = ai.chatRequests().at(-1)?.bodyText ?? '';
    expect(await payload.getByTestId('payload-raw').textContent()).toBe(sent);
    expect(sent).not.toMatch(new RegExp(`\\b${english.familyName}\\b`));
    await expectAccessible(agent, 'ai-audit');
    await shot(agent, 'ai-audit');
    await agent.keyboard.press('Escape');

    // Wrap-up: draft with the model, survive a reload, save with the model as author.
    await agent.getByRole('button', { name: 'Answer' }).click();
    await agent.locator('[data-testid="call-pop"][data-phase="connected"]').waitFor();
    await agent.getByRole('button', { name: 'End call' }).click();
    await agent.getByTestId('wrap-up').waitFor();
    const modelDraft = { summary: 'Customer wanted to cancel over the double charge; agreed to stay with a 10% discount.', disposition: 'retained', followUps: ['Refund the double charge', 'Call back Friday'] };
    ai.enqueue({ kind: 'reply', chunks: [JSON.stringify(modelDraft)] });
    await agent.locator('textarea[name="notes"]').fill(`${english.givenName} upset about double charge, wants to cancel. Offered 10% off, accepted. Refund the charge, call back Friday.`);
    await agent.getByTestId('draft-wrap-up').click();
    await agent.locator('[data-testid="draft-note"][data-author="model:test-model"]').waitFor();
    expect(await agent.locator('textarea[name="summary"]').inputValue()).toBe(modelDraft.summary);
    expect(await agent.locator('textarea[name="followUps"]').inputValue()).toBe(modelDraft.followUps.join('\n'));
    expect(await agent.locator('select[name="disposition"]').inputValue()).toBe('retained');
    await expectAccessible(agent, 'ai-wrap-up');
    await shot(agent, 'ai-wrap-up');
    await agent.locator('textarea[name="summary"]').fill(`${modelDraft.summary} Sounded relieved.`);
    await agent.getByTestId('autosaved').waitFor({ timeout: 10_000 });
    await agent.waitForTimeout(3_000);
    await agent.reload();
    await agent.getByTestId('draft-restored').waitFor();
    expect(await agent.locator('textarea[name="summary"]').inputValue()).toBe(`${modelDraft.summary} Sounded relieved.`);
    expect(await agent.locator('textarea[name="notes"]').inputValue()).toContain('double charge');
    await agent.getByRole('button', { name: 'Save wrap-up' }).click();
    await agent.getByTestId('wrap-up-saved').waitFor();
    let saved = null as Awaited<ReturnType<typeof stack.server.store.recentOutcomes>>[number] | null;
    for (let i = 0; i < 100 && !saved; i++) {
      saved = (await stack.server.store.recentOutcomes(20)).find((o) => o.customerId === english.id) ?? null;
      if (!saved) await agent.waitForTimeout(100);
    }
    expect(saved).toMatchObject({ summaryAuthor: 'model:test-model', disposition: 'retained' });
    expect(saved?.summary).toContain('Call back Friday');

    // Hebrew: the UI turns right to left, and the brief is asked for (and shown) in Hebrew.
    await agent.locator('.lang-select').selectOption('he');
    await agent.locator('html[dir="rtl"][lang="he"]').waitFor();
    await goReady(agent);
    const hebrewLines = ['תלונה על חיוב כפול עדיין פתוחה מהשבוע שעבר.', 'הלקוח דחה את הנחת הנאמנות באביב.', 'הסנטימנט מחמיר בפניות האחרונות.'];
    ai.enqueue({ kind: 'reply', chunks: bulletChunks(hebrewLines), chunkDelayMs: 50 });
    expect((await stack.postCall({ callerNumber: hebrew.phones[0], language: 'en', intent: 'billing' })).status).toBe(201);
    await agent.getByTestId('call-pop').waitFor();
    await agent.locator('[data-testid="brief-source"][data-source="model"][data-status="done"]').waitFor({ timeout: 15_000 });
    expect(await agent.getByTestId('brief-source').textContent()).toBe('סיכום AI (test-model)');
    expect(await agent.getByTestId('brief').locator('li').allTextContents()).toEqual(hebrewLines);
    expect(ai.chatRequests().at(-1)?.bodyText).toContain('Write in Hebrew');
    const layout = await agent.evaluate(() => {
      const header = document.querySelector('.call-header') as HTMLElement;
      const brief = document.querySelector('[data-testid="brief"]') as HTMLElement;
      const profile = document.querySelector('[data-testid="profile"]') as HTMLElement;
      return {
        direction: getComputedStyle(brief).direction,
        accentOnRight: getComputedStyle(header).borderRightWidth === '6px' && getComputedStyle(header).borderLeftWidth === '0px',
        // The first grid column (profile) sits on the right in RTL.
        profileRightOfBrief: profile.getBoundingClientRect().left > brief.getBoundingClientRect().left,
      };
    });
    expect(layout).toEqual({ direction: 'rtl', accentOnRight: true, profileRightOfBrief: true });
    await expectAccessible(agent, 'pop-hebrew');
    await shot(agent, 'pop-hebrew');
    expect(await agent.content()).not.toContain(API_KEY);
    expect(cspViolations).toEqual([]);
    await context.close();
  });
});
