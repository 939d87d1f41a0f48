import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRandom } from '@shared/util/random';
import { makeTempDir } from '../../support/temp-dir';

/** npm run sim:routing as a process, on a generated log in the Anonymous Bank layout (no real data). */
const dir = makeTempDir('sim-cli');
const logFile = join(dir.path, 'calls.txt');

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds)) % 86_400;
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function writeLog(count: number): void {
  const random = createRandom(17);
  const lines = ['vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver'];
  let t = 7 * 3600;
  for (let i = 0; i < count; i++) {
    t += random.exponential(20);
    const hung = random.chance(0.1);
    const wait = Math.round(random.exponential(30));
    const service = Math.max(1, Math.round(random.exponential(170)));
    const day = 1 + Math.floor(t / 86_400);
    lines.push([
      'AA0101', String(i + 1), String(random.int(0, 300)), String(random.int(0, 2)), random.chance(0.1) ? 'NE' : 'PS', `9902${String(day).padStart(2, '0')}`,
      clock(t - 5), clock(t), '5', clock(t), clock(t + wait), String(wait), hung ? 'HANG' : 'AGENT',
      hung ? '0:00:00' : clock(t + wait), hung ? '0:00:00' : clock(t + wait + service), hung ? '0' : String(service), hung ? 'NO_SERVER' : 'DORIT',
    ].join('\t'));
  }
  writeFileSync(logFile, `${lines.join('\r\n')}\r\n`, 'latin1');
}

function sim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src-server/tools/sim-routing.ts', ...args], { cwd: process.cwd(), timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const lastLine = (text: string): Record<string, unknown> => JSON.parse(text.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;

describe('npm run sim:routing', () => {
  writeLog(3000);
  afterAll(() => dir.remove());

  it('prints one JSON object as the last line of a single run', async () => {
    const run = await sim(['--arrivals', logFile, '--policy', 'baseline', '--agents', '6', '--seed', '2']);
    expect(run.code, run.stderr).toBe(0);
    const result = lastLine(run.stdout);
    for (const key of ['calls', 'mean_wait_s', 'service_level_20s', 'abandon_rate', 'saves', 'save_rate', 'value_saved']) expect(result).toHaveProperty(key);
    expect(result).toMatchObject({ policy: 'baseline', seed: 2, agents: 6 });
  });

  it('compares both policies over the seeds, per seed and on average, and says whether the targets hold', async () => {
    const run = await sim(['--arrivals', logFile, '--compare', '--seeds', '1,2']);
    expect(run.code, run.stderr).toBe(0);
    const result = lastLine(run.stdout) as { seeds: number[]; per_seed: Array<{ seed: number; baseline: { saves: number }; predictive: { saves: number } }>; mean: unknown; targets: Record<string, boolean> };
    expect(result.seeds).toEqual([1, 2]);
    expect(result.per_seed.map((s) => s.seed)).toEqual([1, 2]);
    expect(result.mean).toMatchObject({ baseline: { saves: expect.any(Number), mean_wait_s: expect.any(Number), abandon_rate: expect.any(Number) } });
    expect(Object.keys(result.targets).sort()).toEqual(['abandon_within_10pct', 'met', 'more_saves', 'wait_within_10pct']);
    expect(run.stderr).toMatch(/seed 1 saves/);
    expect(run.stderr).toMatch(/targets: more saves (yes|NO)/);
  });

  it('refuses bad flags, naming them', async () => {
    const noPolicy = await sim(['--arrivals', logFile]);
    expect(noPolicy.code).toBe(2);
    expect(noPolicy.stderr).toMatch(/--policy/);
    const badSeeds = await sim(['--arrivals', logFile, '--compare', '--seeds', '1,x']);
    expect(badSeeds.code).toBe(2);
    expect(badSeeds.stderr).toMatch(/seeds/);
    const seedsAlone = await sim(['--arrivals', logFile, '--policy', 'baseline', '--seeds', '1,2']);
    expect(seedsAlone.code).toBe(2);
    expect(seedsAlone.stderr).toMatch(/--seeds goes with --compare/);
  });
});
