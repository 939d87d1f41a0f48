import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'playbook-check-'));

/** Runs `npm run playbook:check -- ARGS` as package.json defines it (its tsx command, with the test's Node). */
async function check(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const match = /^tsx (\S+)$/.exec(scripts['playbook:check'] ?? '');
  if (!match) throw new Error('package.json has no "playbook:check": "tsx FILE" script');
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, match[1] as string), ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run playbook:check', () => {
  it('passes the shipped playbook', async () => {
    const result = await check([join(ROOT, 'resources/playbook/default.json')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/default\.json: ok: 0 error\(s\), 0 warning\(s\); version \d+, \d+ scripts/);
  });

  it('names the file, the script, the step and the problem, and exits 1', async () => {
    const playbook = JSON.parse(readFileSync(join(ROOT, 'resources/playbook/default.json'), 'utf8')) as { scripts: { id: string; steps: { id: string; title: Record<string, string> }[] }[] };
    delete playbook.scripts[1]!.steps[2]!.title.zh;
    const file = join(dir, 'edited.json');
    writeFileSync(file, JSON.stringify(playbook));
    const result = await check([file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${file}: error: script "${playbook.scripts[1]!.id}", step "${playbook.scripts[1]!.steps[2]!.id}", title.zh: missing Chinese text`);
    expect(result.stdout).toMatch(/edited\.json: NOT publishable: 1 error\(s\)/);
  });

  it('reports a file that is not JSON or not there, and usage without a file', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"format": 2,');
    const result = await check([broken, join(dir, 'missing.json')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${broken}: error: not valid JSON`);
    expect(result.stdout).toContain(`${join(dir, 'missing.json')}: error: cannot read the file (ENOENT)`);
    const usage = await check([]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/usage: npm run playbook:check/);
  });
});
