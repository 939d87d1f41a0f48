/**
 * On-device brief speed: summarizeHistory over many generated histories of
 * 200 interactions, in each UI language. Budget: 50 ms per brief.
 *
 *   npm run bench:summary
 */
import type { Language } from '@shared/domain/language';
import { generateSyntheticHistory, summarizeHistory } from '@shared/summary/index';
import { percentile, reportBench } from './report';

const HISTORIES = 400;
const INTERACTIONS = 200;
const LANGUAGES: Language[] = ['en', 'he', 'ru', 'zh'];
const BUDGET_MS = 50;

const histories = Array.from({ length: HISTORIES }, (_, i) => generateSyntheticHistory(`bench-${i}`, { count: INTERACTIONS }).interactions);

// Warm-up so the JIT has compiled the hot paths before timing.
for (const h of histories.slice(0, 50)) summarizeHistory(h, 'en');

const samples: number[] = [];
let bullets = 0;
for (const history of histories) {
  for (const language of LANGUAGES) {
    const started = performance.now();
    const brief = summarizeHistory(history, language);
    samples.push(performance.now() - started);
    bullets += brief.bullets.length;
  }
}
samples.sort((a, b) => a - b);
const round = (x: number) => Math.round(x * 1000) / 1000;
const figures = {
  histories: HISTORIES,
  interactionsPerHistory: INTERACTIONS,
  languages: LANGUAGES.join(','),
  briefs: samples.length,
  meanBullets: round(bullets / samples.length),
  p50Ms: round(percentile(samples, 50)),
  p95Ms: round(percentile(samples, 95)),
  maxMs: round(samples[samples.length - 1] ?? Number.NaN),
  budgetMs: BUDGET_MS,
  withinBudget: (samples[samples.length - 1] ?? Infinity) <= BUDGET_MS,
};
process.stderr.write(`summary bench: ${samples.length} briefs of ${INTERACTIONS} interactions\n`);
reportBench('summary', figures);
