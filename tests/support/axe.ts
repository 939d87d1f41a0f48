import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, Result } from 'axe-core';

/** axe-core's own browser build, evaluated in the page (over CDP, so the app's strict CSP needs no exception). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.1 A and AA, the level the desktop is held to. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface A11yProblem {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Runs axe on what the page shows now and returns the serious and critical violations. */
export async function seriousA11yProblems(page: Page): Promise<A11yProblem[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
  }, WCAG_TAGS);
  return results.violations
    .filter((v: Result) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: Result) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}

/**
 * Fails with a readable list when the screen has any serious or critical
 * WCAG 2.1 AA violation. Every e2e file calls this on each screen it visits.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const problems = await seriousA11yProblems(page);
  if (problems.length > 0) {
    const lines = problems.map((p) => `  [${p.impact}] ${p.id}: ${p.help}\n    ${p.targets.join('\n    ')}`);
    throw new Error(`${screen}: ${problems.length} serious/critical accessibility violation(s)\n${lines.join('\n')}`);
  }
}
