import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticNonlinearRows, SYNTHETIC_TARGET } from '@shared/churn/synthetic';

const dir = mkdtempSync(join(tmpdir(), 'holdfast-eval-churn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeCsv(name: string, rows: Record<string, unknown>[]): string {
  const header = Object.keys(rows[0]!);
  const lines = [header.join(','), ...rows.map((r) => header.map((h) => String(r[h] ?? '')).join(','))];
  const path = join(dir, name);
  writeFileSync(path, lines.join('\r\n') + '\r\n');
  return path;
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src-server/tools/eval-churn.ts', ...args], { cwd: process.cwd(), timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('eval-churn CLI', () => {
  it('cross-validates a CSV with churned/retained labels and prints one JSON line last', async () => {
    const rows = syntheticNonlinearRows(300, 4).map((r) => ({ ...r, [SYNTHETIC_TARGET]: r[SYNTHETIC_TARGET] === 'Yes' ? 'Churned' : 'Retained' }));
    const path = writeCsv('ok.csv', rows);
    const result = await run(['--data', path, '--target', SYNTHETIC_TARGET, '--drop', 'noise_level', '--folds', '2', '--seed', '3']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]!);
    expect(summary.n).toBe(300);
    expect(summary.positive_rate).toBeCloseTo(rows.filter((r) => r[SYNTHETIC_TARGET] === 'Churned').length / 300, 5);
    for (const key of ['auc', 'auc_std', 'brier', 'logloss', 'seconds']) expect(typeof summary[key]).toBe('number');
    expect(summary.auc).toBeGreaterThan(0.6);
    expect(result.stderr).toMatch(/fold 2\/2/);
  }, 60_000);

  it('names a bad target label or flag without a stack trace', async () => {
    const path = writeCsv('bad.csv', [{ x: 1, y: 'yes' }, { x: 2, y: 'perhaps' }]);
    const bad = await run(['--data', path, '--target', 'y']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/row 2: target value "perhaps" is not a churn label/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const noTarget = await run(['--data', path]);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toMatch(/--target/);
    const unknownColumn = await run(['--data', path, '--target', 'y', '--drop', 'nope']);
    expect(unknownColumn.stderr).toMatch(/--drop column "nope"/);
  }, 60_000);
});
