import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CANONICAL_FIELDS } from '@shared/identity/canonical';
import { generateIdentityRecords } from '@shared/identity/synthetic';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'holdfast-identity-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function tool(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src-server/tools', script), ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const lastJson = (stdout: string): Record<string, number> => JSON.parse(stdout.trim().split('\n').at(-1) as string) as Record<string, number>;

describe('identity CLIs', () => {
  it('eval:identity prints one JSON result line for a labelled file', async () => {
    const path = join(scratch, 'people.csv');
    const columns = ['entity_id', 'source', 'record_id', ...CANONICAL_FIELDS, 'updated_at'] as const;
    const quote = (value: string | null | undefined): string => (value == null ? '' : /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
    const rows = [...generateIdentityRecords({ people: 300, seed: 8 })].map((record) => columns.map((column) => quote(record[column])).join(','));
    writeFileSync(path, [columns.join(','), ...rows].join('\n'));

    const result = await tool('eval-identity.ts', ['--data', path, '--truth-col', 'entity_id']);
    expect(result.code).toBe(0);
    const metrics = lastJson(result.stdout);
    for (const key of ['pairs_true', 'pairs_found', 'precision', 'recall', 'f1', 'seconds']) expect(metrics).toHaveProperty(key);
    expect(metrics.f1).toBeGreaterThan(0.93);
  });

  it('gen:identity writes Febrl-shaped data that eval:identity links across two files', async () => {
    const a = join(scratch, 'febrl-a.csv');
    const b = join(scratch, 'febrl-b.csv');
    const generated = await tool('generate-identity-data.ts', ['--shape', 'febrl', '--people', '300', '--out', a, '--link-out', b, '--seed', '2']);
    expect(generated.code).toBe(0);
    const result = await tool('eval-identity.ts', ['--data', a, '--link', b, '--truth-col', 'rec_id', '--default-region', 'AU']);
    expect(result.code).toBe(0);
    const metrics = lastJson(result.stdout);
    expect(metrics.pairs_true).toBe(300);
    expect(metrics.f1).toBeGreaterThan(0.9);
  });

  it('explains bad flags without a stack trace', async () => {
    const result = await tool('eval-identity.ts', ['--data', join(scratch, 'people.csv'), '--truth-col', 'entity_id', '--default-region', 'XX', '--map', 'nickname=a']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/default-region/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
