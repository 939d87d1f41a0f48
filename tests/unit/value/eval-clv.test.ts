import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRandom } from '@shared/util/random';
import { formatDay, parseDay, sampleGamma, simulateBgNbdCustomer } from '@shared/value/index';

const dir = mkdtempSync(join(tmpdir(), 'eval-clv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src-server/tools/eval-clv.ts', ...args], {
    cwd: process.cwd(),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A tab-separated file simulated from known BG/NBD parameters, with one broken row. */
function writeSimulatedFile(): string {
  const random = createRandom('eval-clv-cli');
  const start = parseDay('2020-01-01') as number;
  const lines = ['client\twhen\tvalue'];
  for (let i = 0; i < 1500; i++) {
    const firstDay = start + random.int(0, 83);
    const calibrationWeeks = (start + 273 - firstDay) / 7;
    const c = simulateBgNbdCustomer(random, { r: 0.6, alpha: 5, a: 0.8, b: 3 }, calibrationWeeks, 39);
    const spendRate = sampleGamma(random, 4, 15);
    for (const week of [0, ...c.repeatTimes]) {
      const amount = sampleGamma(random, 5, spendRate).toFixed(2);
      lines.push(`cust${i}\t${formatDay(firstDay + Math.floor(week * 7))}\t${amount}`);
    }
  }
  lines.splice(5, 0, 'cust9\tnot-a-date\t3.00');
  const file = join(dir, 'simulated.tsv');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('eval-clv CLI', () => {
  const file = writeSimulatedFile();
  const baseArgs = ['--transactions', file, '--customer-col', 'client', '--date-col', 'when', '--amount-col', 'value'];

  it('fits, evaluates the holdout and prints one JSON object as its last line', () => {
    const { status, stdout, stderr } = runCli([...baseArgs, '--calibration-end', '2020-09-30', '--holdout-end', '2020-12-30']);
    expect(status).toBe(0);
    expect(stderr).toMatch(/line 6: unparsable date "not-a-date"/);
    expect(stderr).toMatch(/skipped 1 bad rows/);
    const last = stdout.trim().split('\n').at(-1) as string;
    const result = JSON.parse(last);
    expect(result.customers).toBe(1500);
    expect(result.badRows).toBe(1);
    expect(result.modelVersion).toMatch(/^bgnbd-gg@1:[0-9a-f]{8}$/);
    for (const key of ['r', 'alpha', 'a', 'b', 'll']) expect(Number.isFinite(result.bgnbd[key])).toBe(true);
    for (const key of ['p', 'q', 'gamma', 'll']) expect(Number.isFinite(result.gammagamma[key])).toBe(true);
    // Day rounding and same-day merges blur the simulated process a little.
    expect(Math.abs(result.bgnbd.r / 0.6 - 1)).toBeLessThan(0.3);
    expect(Math.abs(result.bgnbd.alpha / 5 - 1)).toBeLessThan(0.3);
    expect(result.holdout.weeks).toBe(13);
    expect(result.holdout.byFrequency).toHaveLength(8);
    expect(Math.abs(result.holdout.sumPredicted / result.holdout.sumActual - 1)).toBeLessThan(0.2);
    expect(result.clv.tiers.high + result.clv.tiers.mid + result.clv.tiers.low).toBe(1500);
  });

  it('lists the available columns when a column name is wrong', () => {
    const { status, stdout, stderr } = runCli([
      ...baseArgs.slice(0, 2), '--customer-col', 'customer', '--date-col', 'when', '--amount-col', 'value', '--calibration-end', '2020-09-30',
    ]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/--customer-col "customer" is not a column of this file; available columns: "client", "when", "value"/);
    expect(stderr).not.toMatch(/\s+at /); // no stack trace
  });

  it('explains bad flags', () => {
    const { status, stderr } = runCli([...baseArgs, '--calibration-end', '2020-31-09', '--margin', '2']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/--calibration-end "2020-31-09" is not a date/);
    expect(stderr).toMatch(/--margin must be a number in \[0, 1\]/);
  });
});
