import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TELEPHONY_KEY } from '../../../src-server/config';
import type { RunningServer } from '../../../src-server/routing-server';
import { openServerStore, storeLocationFor } from '../../../src-server/store/open-store';
import { startServer } from '../../support/stack';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'holdfast-import-cli-'));

async function importCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src-server/tools/import.ts'), ...args], { cwd: ROOT, env: { ...process.env, HOLDFAST_TELEPHONY_KEY: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
const summary = (stdout: string): Record<string, number> => JSON.parse(stdout.trim().split('\n').at(-1) as string) as Record<string, number>;

// A CRM export with its own column names; line 4 has an empty id, line 5 a missing column, line 6 an over-long note.
const csv = [
  'id,first,last,born,tel,mail,acct,town',
  'X-1,Ada,Lovelace,10/12/1815,020 7946 0018,ADA@Example.org ,ACC-1,London',
  'X-2,Charles,Babbage,1791-12-26,020 7946 0019,charles@example.org,ACC-2,London',
  ',Nameless,Row,1900-01-01,020 7946 0020,x@example.org,ACC-3,York',
  'X-4,Short,Row,1900-01-01,020 7946 0021,short@example.org,ACC-4',
  `X-5,${'A'.repeat(2100)},Long,1900-01-01,020 7946 0022,long@example.org,ACC-5,York`,
  'X-6,Mary,Somerville,1780-12-26,020 7946 0023,mary@example.org,ACC-6,Burntisland',
].join('\n');
const maps = ['record_id=id', 'given_name=first', 'family_name=last', 'date_of_birth=born', 'phone=tel', 'email=mail', 'account_id=acct', 'city=town'].flatMap((pair) => ['--map', pair]);

describe('npm run import', () => {
  let server: RunningServer;
  let remove: () => void;
  const file = join(scratch, 'crm-export.csv');
  const profiles = join(scratch, 'profiles');

  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 10 }));
    writeFileSync(file, csv);
  });
  afterAll(async () => {
    await server?.close().catch(() => undefined);
    remove?.();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('streams a file into the running server, naming each bad row by line, column and reason, and saves the mapping', async () => {
    const result = await importCli(['--server', server.url, '--token', DEMO_TELEPHONY_KEY, '--source', 'crmx', '--file', file, ...maps, '--region', 'GB', '--save-profile', 'crmx', '--profiles-dir', profiles]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(0);
    expect(summary(result.stdout)).toMatchObject({ rows: 6, inserted: 3, updated: 0, unchanged: 0, errors: 3 });
    expect(summary(result.stdout).changedCustomers).toBeGreaterThanOrEqual(3);
    expect(result.stderr).toContain('crm-export.csv:4 column "id": record id is empty');
    expect(result.stderr).toMatch(/crm-export\.csv:5: expected 8 columns, found 7/);
    expect(result.stderr).toContain('crm-export.csv:6 column "first": value longer than 2000 characters');
    expect(existsSync(join(profiles, 'crmx.mapping.json'))).toBe(true);

    const stored = (await server.store.sourceRecords()).filter((r) => r.record.source === 'crmx');
    expect(stored.map((r) => r.record.record_id).sort()).toEqual(['X-1', 'X-2', 'X-6']);
    // Read in the import's region (GB), not the server's (US).
    expect(stored.find((r) => r.record.record_id === 'X-1')?.record.phone).toBe('+442079460018');
    const ada = await server.store.customerBundle(stored.find((r) => r.record.record_id === 'X-1')!.customerId!);
    expect(ada?.customer.phones).toEqual(['+442079460018']);
    expect(ada?.customer.email).toBe('ada@example.org');
  });

  it('re-imports by the saved profile name (its region too) and changes nothing', async () => {
    const seq = await server.store.lastSeq();
    const result = await importCli(['--server', server.url, '--token', DEMO_TELEPHONY_KEY, '--file', file, '--profile', 'crmx', '--profiles-dir', profiles]);
    expect(result.code).toBe(0);
    expect(summary(result.stdout)).toMatchObject({ rows: 6, inserted: 0, updated: 0, unchanged: 3, errors: 3, changedCustomers: 0 });
    // Scoring may still be catching up on the first import's customers; no customer was written again.
    const feed = await server.store.changesAfter(seq, 1000);
    expect(feed.changes.filter((c) => c.entity === 'customer')).toEqual([]);
  });

  it('explains a wrong token, a missing profile and conflicting targets without a stack trace', async () => {
    const token = await importCli(['--server', server.url, '--token', 'not-the-key-000000', '--source', 'crmx', '--file', file, ...maps]);
    expect(token.code).toBe(1);
    expect(token.stderr).toMatch(/refused the token/);
    const missing = await importCli(['--server', server.url, '--token', DEMO_TELEPHONY_KEY, '--file', file, '--profile', 'nope', '--profiles-dir', profiles]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no mapping profile "nope"/);
    const both = await importCli(['--server', server.url, '--server-data', scratch, '--source', 'crmx', '--file', file]);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/exactly one of --server URL or --server-data DIR/);
    for (const r of [token, missing, both]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("writes a stopped server's data folder directly, NDJSON included", async () => {
    const dataDir = server.config.dataDir;
    await server.close();
    const ndjson = join(scratch, 'billing.ndjson');
    writeFileSync(ndjson, ['{"record_id":"B-1","given_name":"Ada","family_name":"Lovelace","phone":"020 7946 0018","account_id":"ACC-1"}', '{not json', '{"record_id":"B-2","given_name":"Grace","family_name":"Hopper","phone":"+1 212 555 0100","account_id":"ACC-9"}'].join('\n'));
    const result = await importCli(['--server-data', dataDir, '--source', 'billing2', '--file', ndjson, '--region', 'GB']);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(0);
    expect(summary(result.stdout)).toMatchObject({ rows: 3, inserted: 2, errors: 1 });
    expect(result.stderr).toMatch(/billing\.ndjson:2: invalid JSON/);
    const store = await openServerStore(storeLocationFor(undefined, dataDir));
    try {
      const billing = (await store.sourceRecords()).filter((r) => r.record.source === 'billing2');
      expect(billing.map((r) => r.record.record_id).sort()).toEqual(['B-1', 'B-2']);
      // Ada's billing record joins her CRM record (same phone and account).
      const crm = (await store.sourceRecords()).find((r) => r.record.source === 'crmx' && r.record.record_id === 'X-1');
      expect(billing.find((r) => r.record.record_id === 'B-1')?.customerId).toBe(crm?.customerId);
    } finally {
      await store.close();
    }
  });
});
