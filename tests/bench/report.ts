import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every benchmark ends the same way: its figures as one JSON object on the
 * last line of output, and the same object in bench-results/<name>.json.
 */
export function reportBench(name: string, figures: Record<string, unknown>): void {
  const dir = join(process.cwd(), 'bench-results');
  mkdirSync(dir, { recursive: true });
  const record = { bench: name, at: new Date().toISOString(), node: process.version, ...figures };
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(record, null, 2) + '\n');
  process.stdout.write(JSON.stringify(figures) + '\n');
}

/** Percentile of an ascending-sorted sample (nearest-rank). */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const rank = Math.min(sortedAscending.length - 1, Math.max(0, Math.ceil((p / 100) * sortedAscending.length) - 1));
  return sortedAscending[rank] as number;
}
