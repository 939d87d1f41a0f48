import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PII_CATEGORIES } from '@shared/redaction/index';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const FIXTURES = join(ROOT, 'tests/fixtures/pii');

/** Runs an npm script the way `npm run NAME -- ARGS` does: its tsx command, with the test's Node. */
async function npmScript(name: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const match = /^tsx (\S+)$/.exec(scripts[name] ?? '');
  if (!match) throw new Error(`package.json script ${name} is not "tsx FILE": ${scripts[name]}`);
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, match[1] as string), ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

interface EvalSummary {
  dialogs: {
    conversations: number;
    messages: number;
    planted: { values: number; labels: Record<string, number>; recall: Record<string, number>; categoryCorrect: Record<string, number>; recallByKind: Record<string, number> };
    falsePositives: { turns: number; turnsWithPlaceholder: number; placeholders: number; byCategory: Record<string, number>; handlePlaceholders: number };
  };
}

describe('npm run eval:redaction -- --dialogs', () => {
  it('plants known values of every category into real-shaped dialogs and reports recall and false positives as the last JSON line', async () => {
    const result = await npmScript('eval:redaction', ['--dialogs', join(FIXTURES, 'dialogs-sample.json'), '--plants', '9', '--seed', '4']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as EvalSummary;
    const { planted, falsePositives } = summary.dialogs;
    expect(summary.dialogs).toMatchObject({ conversations: 4, messages: 10 });
    expect(planted.values).toBe(36);
    // Every category but handles is planted, phones twice (international and local).
    expect(Object.keys(planted.labels).sort()).toEqual(PII_CATEGORIES.filter((c) => c !== 'HANDLE').sort());
    expect(planted.labels.PHONE).toBe(8);
    for (const category of Object.keys(planted.labels)) {
      expect(planted.recall[category], category).toBe(100);
      expect(planted.categoryCorrect[category], category).toBe(100);
    }
    expect(Object.keys(planted.recallByKind).sort()).toEqual(['ACCOUNT', 'ADDRESS', 'CARD', 'EMAIL', 'IBAN', 'NAME', 'NATIONAL_ID', 'PHONE_INTL', 'PHONE_LOCAL']);
    // The fixture's untouched turns hold a greeting name, a toll-free number and a company address; handles are counted apart.
    expect(falsePositives).toMatchObject({ turns: 10, turnsWithPlaceholder: 2, placeholders: 3, byCategory: { NAME: 1, PHONE: 1, EMAIL: 1 }, handlePlaceholders: 9 });
    expect(result.stdout).toContain('PHONE(phone-US) "1-800-555-0199"');
    // Planted values are never printed whole: misses show shapes only, and none were missed.
    expect(result.stdout).not.toContain('missed (shape only)');
  });

  it('is reproducible for a seed', async () => {
    const args = ['--dialogs', join(FIXTURES, 'dialogs-sample.json'), '--plants', '3', '--seed', '7'];
    const [a, b] = await Promise.all([npmScript('eval:redaction', args), npmScript('eval:redaction', args)]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('explains bad input without a stack trace', async () => {
    const notDialogs = await npmScript('eval:redaction', ['--dialogs', join(FIXTURES, 'profile-sample.json')]);
    expect(notDialogs.code).toBe(2);
    expect(notDialogs.stderr).toMatch(/is not a list of dialogs/);
    const region = await npmScript('eval:redaction', ['--dialogs', join(FIXTURES, 'dialogs-sample.json'), '--region', 'BR']);
    expect(region.code).toBe(2);
    expect(region.stderr).toMatch(/--region BR: local phone numbers can be planted for US, GB, IL, DE, FR only/);
    expect(`${notDialogs.stderr}${region.stderr}`).not.toMatch(/\n\s+at /);
  });
});

describe('npm run redact -- --in FILE --profile FILE.json', () => {
  it('prints the text with every kind of personal data replaced and the counts on stderr', async () => {
    const result = await npmScript('redact', ['--in', join(FIXTURES, 'redact-sample.txt'), '--profile', join(FIXTURES, 'profile-sample.json')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'Hi, this is [NAME_1]. My account is [ACCOUNT_1] and I live at [ADDRESS_1].',
        'Please refund card [CARD_1] or IBAN [IBAN_1].',
        'Call me on [PHONE_1] or write to [EMAIL_1]. My SSN is [NATIONAL_ID_1].',
        'The order from 12/03/2024 cost $49.99; firmware 10.0.19041.',
        '',
      ].join('\n'),
    );
    for (const category of PII_CATEGORIES.filter((c) => c !== 'HANDLE')) expect(result.stderr).toMatch(new RegExp(`${category}\\s+1 \\(1 distinct\\)`));
    // The mapping back to the values is never printed.
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/Peretz|4539|DE89|536-22/);
  });

  it('without a profile still removes the pattern-based data, and names a bad profile', async () => {
    const plain = await npmScript('redact', ['--in', join(FIXTURES, 'redact-sample.txt')]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('Please refund card [CARD_1] or IBAN [IBAN_1].');
    expect(plain.stdout).toContain('My SSN is [NATIONAL_ID_1]');
    const bad = await npmScript('redact', ['--in', join(FIXTURES, 'redact-sample.txt'), '--profile', join(FIXTURES, 'dialogs-sample.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^redact: Profile .*dialogs-sample\.json: Not a customer profile/);
  });
});
