import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChurnModel } from '@shared/churn';
import { openServerStore } from '../../../src-server/store/open-store';
import { runTrain } from '../../../src-server/tools/train';
import { makeTempDir } from '../../support/temp-dir';
import { DEMO_AS_OF, demoCustomers, storeDemoCustomers } from './demo-book';

const dir = makeTempDir('train-cli');
const dataDir = join(dir.path, 'server');
const env = { ...process.env, HOLDFAST_DATABASE_URL: '', HOLDFAST_SERVER_DATA_DIR: '' };

function spawnTrain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src-server/tools/train.ts', ...args], { cwd: process.cwd(), env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function inProcess(args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runTrain(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), env });
  return { code, stdout, stderr };
}

async function withStore<T>(work: (store: Awaited<ReturnType<typeof openServerStore>>) => Promise<T>): Promise<T> {
  const store = await openServerStore({ kind: 'sqlite', file: join(dataDir, 'routing.db') });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  await import('node:fs').then((fs) => fs.mkdirSync(dataDir, { recursive: true }));
  await withStore((store) => storeDemoCustomers(store, demoCustomers(700, () => true, 21)));
});
afterAll(() => dir.remove());

describe('npm run train', () => {
  it('trains on the stored store, publishes the model and rescores everyone; one JSON line last', async () => {
    const result = await spawnTrain(['--data', dataDir, '--as-of', DEMO_AS_OF, '--seed', '3']);
    expect(result.stderr).not.toMatch(/unexpected failure/);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
    expect(summary).toMatchObject({ customers: 700, rows: 700, labelled: 700, churn_source: 'trained', value_source: 'fitted', scores_written: 700 });
    for (const key of ['positive_rate', 'cv_auc', 'cv_brier', 'seconds']) expect(typeof summary[key]).toBe('number');
    expect(summary.cv_auc as number).toBeGreaterThan(0.55);
    expect(result.stderr).toMatch(/train: inner fold 5\/5/);
    expect(result.stderr).toMatch(/train: wrote 700 scores/);
    await withStore(async (store) => {
      const model = loadChurnModel(await store.model('churn'));
      expect(model.ok && model.model.modelVersion).toBe(summary.model_version);
      const page = await store.snapshotPage(null, 50);
      for (const s of page.scores) {
        expect(s.churnModel).toBe(summary.model_version);
        expect(s.valueModel).toBe(summary.value_model_version);
      }
    });
  });

  it('rescores with the stored models without training', async () => {
    const trained = await withStore(async (store) => ((await store.model('churn')) as { modelVersion: string }).modelVersion);
    const result = await inProcess(['--data', dataDir, '--as-of', DEMO_AS_OF, '--rescore']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.at(-1)!)).toMatchObject({ churn_source: 'stored', value_source: 'stored', model_version: trained, rows: 700, scores_written: 700 });
  });

  it('refuses a malformed model file with a clear message and changes nothing', async () => {
    const file = join(dir.path, 'broken-model.json');
    const stored = await withStore((store) => store.model('churn'));
    writeFileSync(file, JSON.stringify({ ...(stored as object), linear: { lambda: 1, intercept: 0, columns: [], weights: [1], means: [] } }));
    const seq = await withStore((store) => store.lastSeq());
    const result = await inProcess(['--data', dataDir, '--model', file]);
    expect(result.code).toBe(2);
    expect(result.stderr.join('\n')).toMatch(/train: error: churn model refused: invalid model file: linear.weights: 1 weights for 0 columns; model churn-\S+ stays in use/);
    expect(result.stdout).toEqual([]);
    expect(await withStore((store) => store.lastSeq())).toBe(seq);
  });

  it.each([
    [['--seed', 'abc'], /--seed must be a whole number/],
    [['--min-labels', '2'], /--min-labels must be at least 5/],
    [['--as-of', '2026-13-45'], /--as-of/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--rescore', '--model', 'x.json'], /give --rescore or --model FILE, not both/],
    [['--model', '/nonexistent/model.json'], /cannot read the model file/],
    [['--database-url', 'mysql://db/holdfast'], /Unsupported database URL/],
  ])('names a bad flag without a stack trace: %s', async (args, message) => {
    const result = await inProcess(['--data', dataDir, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr.join('\n')).toMatch(message);
    expect(result.stderr.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('handles an empty store: nothing to train on, nothing written, still one JSON line', async () => {
    const emptyDir = join(dir.path, 'empty');
    await import('node:fs').then((fs) => fs.mkdirSync(emptyDir, { recursive: true }));
    await (await openServerStore({ kind: 'sqlite', file: join(emptyDir, 'routing.db') })).close();
    const result = await inProcess(['--data', emptyDir]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.at(-1)!)).toMatchObject({ customers: 0, scores_written: 0, churn_source: 'heuristic', value_source: 'heuristic' });
  });

  it('says where it looked when there is no store', async () => {
    const result = await inProcess(['--data', join(dir.path, 'nowhere')]);
    expect(result.code).toBe(2);
    expect(result.stderr.join('\n')).toMatch(/no server store at .*nowhere.*routing\.db: start the server once/);
  });
});

describe('npm run train: value settings', () => {
  it('fits the value model with the CLV horizon, margin, discount rate and tier shares given', async () => {
    const result = await inProcess(['--data', dataDir, '--as-of', DEMO_AS_OF, '--min-labels', '100000', '--horizon-months', '24', '--margin', '0.25', '--discount-rate', '0.05', '--tiers', '10/40/50']);
    expect(result.stderr.join('\n')).not.toMatch(/error/);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.at(-1)!) as Record<string, unknown>;
    expect(summary).toMatchObject({ value_source: 'fitted', value_settings: { horizon_months: 24, margin: 0.25, discount_rate: 0.05, tiers: '10/40/50' } });
    await withStore(async (store) => {
      const file = (await store.model('value')) as { clv: { horizonWeeks: number; margin: number; annualDiscountRate: number }; tiers: { highShare: number; midShare: number } };
      expect(file.clv).toEqual({ horizonWeeks: 104, margin: 0.25, annualDiscountRate: 0.05 });
      expect(file.tiers).toMatchObject({ highShare: 0.1, midShare: 0.4 });
      const tiers = (await store.snapshotPage(null, 700)).scores.map((s) => s.valueTier);
      expect(tiers.filter((t) => t === 'high').length).toBeGreaterThanOrEqual(60);
      expect(tiers.filter((t) => t === 'high').length).toBeLessThanOrEqual(80);
    });
  });

  it('takes the server environment as defaults, flags over it, and refuses nonsense by name', async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runTrain(['--data', dataDir, '--as-of', DEMO_AS_OF, '--min-labels', '100000', '--margin', '0.4'], {
      stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), env: { ...env, HOLDFAST_CLV_HORIZON_MONTHS: '6', HOLDFAST_VALUE_TIERS: '20/30/50' },
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout.at(-1)!)).toMatchObject({ value_settings: { horizon_months: 6, margin: 0.4, tiers: '20/30/50' } });

    const bad = await inProcess(['--data', dataDir, '--tiers', '60/50/0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.join('\n')).toMatch(/--tiers: .*more than 100%/);
    const rescore = await inProcess(['--data', dataDir, '--rescore', '--horizon-months', '6']);
    expect(rescore.code).toBe(2);
    expect(rescore.stderr.join('\n')).toMatch(/--horizon-months apply when the value model is fitted/);
  });
});
