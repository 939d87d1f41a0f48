import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewFilter } from '@shared/contract/review';
import type { OutcomeRecord } from '@shared/domain/wrap-up';
import { presetRange, previousPeriod } from '@shared/supervisor/review-figures';
import type { ReviewRow } from '../../src-server/store/server-store';
import { launchBrowser, screenshot, signIn } from '../support/browser';
import { seedReviewOutcomes as seedOutcomes } from '../support/review-outcomes';
import { startStack, type TestStack } from '../support/stack';


/** Every store row behind a filter, newest first. */
async function storeRows(stack: TestStack, filter: ReviewFilter, savesOnly = false): Promise<ReviewRow[]> {
  const rows: ReviewRow[] = [];
  let before: { receivedAt: string; outcomeId: string } | null = null;
  for (;;) {
    const page = await stack.server.store.reviewCalls(filter, { savesOnly, before, limit: 200 });
    rows.push(...page);
    const last = page[page.length - 1];
    if (page.length < 200 || !last) return rows;
    before = { receivedAt: last.receivedAt, outcomeId: last.outcomeId };
  }
}

const kpi = async (page: Page, id: string): Promise<string> => (await page.getByTestId(id).textContent())?.trim() ?? '';

describe('supervisor retention review in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack();
    await seedOutcomes(stack);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows a range against the previous period, cuts it, drills into the calls and exports them as the store has them', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, stack.web.url, 'rachel');
    await page.getByTestId('tab-review').click();
    await page.getByTestId('review-kpis').waitFor();
    expect(page.url()).toContain('#review?preset=30d');

    // Range: 7 days, its figures as the store sums them, against the 7 days before.
    await page.getByTestId('preset-7d').click();
    // The range as the page has it (the page's clock decides "today", even across midnight).
    const shown = async (): Promise<{ from: string; to: string }> => ({ from: await page.getByTestId('range-from').inputValue(), to: await page.getByTestId('range-to').inputValue() });
    const week = await shown();
    expect(week).toEqual(presetRange('7d', week.to));
    const totals = await stack.server.store.reviewTotals(week, previousPeriod(week));
    await expect.poll(() => kpi(page, 'kpi-calls'), { timeout: 20_000 }).toBe(String(totals.current.calls));
    expect(page.url()).toContain('preset=7d');
    expect(await page.getByTestId('verified-pending').textContent()).toContain('verified: pending');
    await page.getByTestId('preset-30d').click();
    await expect.poll(async () => (await shown()).from, { timeout: 20_000 }).toBe(presetRange('30d', week.to).from);
    const month = await shown();
    const monthTotals = await stack.server.store.reviewTotals(month, previousPeriod(month));
    await expect.poll(() => kpi(page, 'kpi-calls'), { timeout: 20_000 }).toBe(String(monthTotals.current.calls));
    await page.locator('.recharts-line').first().waitFor();
    await screenshot(page, 'review-range');

    // A quarter reaches past the 30-day horizon: the verified save rate is billing's, as the store counts it.
    await page.getByTestId('preset-quarter').click();
    const quarter = presetRange('quarter', week.to);
    const verified = (await stack.server.store.reviewTotals(quarter, previousPeriod(quarter))).current;
    expect(verified.verifiedResolved).toBeGreaterThan(10);
    await expect.poll(() => kpi(page, 'kpi-verified'), { timeout: 20_000 }).toBe(`${Math.round((verified.verifiedStayed / verified.verifiedResolved) * 100)}%`);
    expect(await page.getByTestId('review-kpis').textContent()).toContain(`${verified.verifiedStayed} of ${verified.verifiedResolved} verified`);
    expect(await page.getByTestId('verified-pending').count()).toBe(0);
    await screenshot(page, 'review-verified');
    await page.getByTestId('preset-30d').click();
    await expect.poll(() => kpi(page, 'kpi-calls'), { timeout: 20_000 }).toBe(String(monthTotals.current.calls));

    // Cuts: by offer, the groups the store has; clicking a name filters the whole view to it (and the URL keeps it).
    await page.getByTestId('cut-select').selectOption('offer');
    const offerCut = await stack.server.store.reviewCut(month, 'offer', previousPeriod(month));
    await expect.poll(async () => page.locator('[data-testid="cut-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key'))), { timeout: 20_000 }).toEqual(offerCut.map((g) => g.key));
    const top = offerCut.find((g) => g.key !== 'none')!;
    await page.locator(`[data-testid="cut-table"] tr[data-key="${top.key}"] th button`).click();
    await page.getByTestId('chip-offer').waitFor();
    expect(page.url()).toContain(`offer=${top.key}`);
    await expect.poll(() => kpi(page, 'kpi-calls'), { timeout: 20_000 }).toBe(String(top.current.calls));

    // Drill-down: the saves of one agent within that offer, newest first, each with brief, notes, offer and verified status.
    await page.getByTestId('cut-select').selectOption('agent');
    const agentCut = await stack.server.store.reviewCut({ ...month, offer: top.key }, 'agent', previousPeriod(month));
    const agent = agentCut[0]!;
    await page.locator(`[data-testid="cut-table"] tr[data-key="${agent.key}"] [data-testid="drill-saves"]`).click();
    const list = page.getByTestId('review-calls');
    await list.waitFor();
    const drillFilter = { ...month, offer: top.key, agent: agent.key };
    const expected = (await storeRows(stack, drillFilter, true)).slice(0, 25).map((r) => r.outcomeId);
    await expect.poll(() => list.locator('li.review-call').evaluateAll((items) => items.map((i) => i.getAttribute('data-outcome-id'))), { timeout: 20_000 }).toEqual(expected);
    const first = list.locator('li.review-call').first();
    expect(await first.textContent()).toMatch(/Brief.*Notes.*Asked about/s);
    expect(await first.getByTestId('verified-status').textContent()).toContain('pending');
    expect(page.url()).toContain(`drill=saves&drillBy=agent&drillKey=${agent.key}`);
    await screenshot(page, 'review-drill-down');

    // Export of what is on screen (the drill-down): streamed to a file, checked row by row against the store.
    await page.getByTestId('review-export').click();
    const note = page.getByTestId('export-note');
    await expect.poll(async () => (await note.textContent()) ?? '', { timeout: 20_000 }).toContain('.csv');
    const file = /to (\/\S+\.csv)/.exec((await note.textContent()) ?? '')![1]!;
    const records = parse(readFileSync(file, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    const rows = await storeRows(stack, drillFilter, true);
    expect(records.map((r) => r.outcome_id)).toEqual(rows.map((r) => r.outcomeId));
    records.forEach((record, i) => {
      const outcome = JSON.parse(rows[i]!.data) as OutcomeRecord;
      expect(record).toMatchObject({ agent_id: agent.key, offer_id: top.key, disposition: 'retained', notes: outcome.notes, customer_name: outcome.customerName, value_tier: rows[i]!.tier });
    });

    // The link is the view: the page loaded afresh from its URL shows the same filter, cut and drill-down.
    await page.reload();
    await page.getByTestId('review-calls').waitFor({ timeout: 60_000 });
    await page.getByTestId('chip-offer').waitFor();
    expect(await page.getByTestId('cut-select').inputValue()).toBe('agent');

    // The live board.
    await page.getByTestId('tab-live').click();
    await page.getByTestId('live-board').waitFor();
    expect(await page.getByTestId('live-queue').textContent()).toBe('0');
    // A caller no one is ready for joins the queue: the server's push of the floor brings it to the board
    // well before the board's own five-second clock would.
    await page.waitForTimeout(600);
    expect((await stack.postCall({ callerNumber: '+12125550199', language: 'en', intent: 'cancellation' })).status).toBe(201);
    await expect.poll(() => kpi(page, 'live-queue'), { timeout: 2_500, interval: 100 }).toBe('1');
    await screenshot(page, 'review-live-board');
    await context.close();
  });

  it('shows an agent no review (the server refuses it too: see review-http.test.ts)', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, stack.web.url, 'ava');
    await page.getByText('Online', { exact: true }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('tab-review').count()).toBe(0);
    await context.close();
  });
});
