import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '@shared/contract/sync';
import type { PopView } from '@shared/contract/pop';
import { DEMO_TELEPHONY_KEY } from '../../../src-server/config';
import type { RunningServer } from '../../../src-server/routing-server';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import { startDesktops, until } from '../../support/desktops';
import { api, login, startServer } from '../../support/stack';
import { recordPops, value } from '../desktop-routing/helpers';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'holdfast-events-'));

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

describe('account events from billing: npm run import --kind events and POST /api/customers/events', () => {
  let server: RunningServer;
  let remove: () => void;
  let ava: DesktopBackend;
  let closeDesktops: () => Promise<void>;
  let leaver = '';
  let other = '';
  let supervisorToken = '';
  const applied: Change[] = [];

  beforeAll(async () => {
    // Calling hours all day: the outreach list must not depend on the hour the test runs at.
    ({ server, remove } = await startServer({ demoCustomers: 80, reservationTimeoutMs: 60_000, outreach: { callingHours: { start: '00:00', end: '23:59' } } }));
    supervisorToken = (await login(server, 'rachel')).token;
    const outreach = await api(server, 'GET', '/api/outreach?limit=50', undefined, supervisorToken);
    const items = (outreach.body.items as Array<{ customerId: string }>).map((i) => i.customerId);
    const english = [];
    for (const id of items) if ((await server.store.customerBundle(id))?.customer.language === 'en') english.push(id);
    [leaver, other] = english as [string, string];
    expect(leaver && other).toBeTruthy();
    const desks = await startDesktops(server.url, ['ava']);
    ava = desks.backends[0]!;
    closeDesktops = desks.close;
    ava.onFeedApplied((changes) => applied.push(...changes));
  }, 180_000);

  afterAll(async () => {
    await closeDesktops?.();
    await server?.close();
    remove?.();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('imports a billing export: bad rows named by line, column and reason; the same file again changes nothing', async () => {
    const file = join(scratch, 'billing-events.csv');
    writeFileSync(file, [
      'event_id,type,date,customer_id',
      `B-1,canceled,2026-11-25T10:00:00Z,${leaver}`,
      `B-2,exploded,2026-11-25,${other}`,
      `B-3,payment failed,,${other}`,
      'B-4,cancelled,2026-11-25,C-NOBODY',
      `B-5,payment_failed,2026-11-26,${other}`,
    ].join('\n'));
    const args = ['--kind', 'events', '--server', server.url, '--token', DEMO_TELEPHONY_KEY, '--file', file];
    const first = await importCli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(summary(first.stdout)).toMatchObject({ rows: 5, applied: 2, duplicates: 0, errors: 3, changedCustomers: 1 });
    expect(first.stderr).toContain('billing-events.csv:3 column "type": Invalid option');
    expect(first.stderr).toContain('billing-events.csv:4 column "date"');
    expect(first.stderr).toContain('billing-events.csv:5 column "customerId": no customer with customerId C-NOBODY');

    const again = await importCli(args);
    expect(summary(again.stdout)).toMatchObject({ applied: 0, duplicates: 2, changedCustomers: 0 });
    expect((await server.store.accountEventsFor([leaver, other])).map((e) => e.id).sort()).toEqual(['B-1', 'B-5']);
  }, 120_000);

  it('the customer who left is left on the profile, in the desktop cache (through the feed), off the outreach list and at the back of the queue', async () => {
    expect((await server.store.customerBundle(leaver))?.customer.accountStatus).toMatchObject({ state: 'left', eventId: 'B-1' });
    expect((await server.store.customerBundle(other))?.customer.accountStatus).toBeUndefined();
    await until(() => applied.some((c) => c.entity === 'customer' && c.data.id === leaver && c.data.accountStatus?.state === 'left'), 20_000, "the desktop to get the customer's new status");

    const outreach = await api(server, 'GET', '/api/outreach?limit=50', undefined, supervisorToken);
    const listed = (outreach.body.items as Array<{ customerId: string }>).map((i) => i.customerId);
    expect(listed).not.toContain(leaver);
    expect(listed).toContain(other);

    // A call from them: no value at risk any more (priority 0), and the pop, built from the desktop's cache, says they left.
    const pops: PopView[] = recordPops(ava);
    value(await ava.invoke('presence.set', { presence: 'available' }));
    const phone = (await server.store.customerBundle(leaver))!.customer.phones[0]!;
    const call = await api(server, 'POST', '/api/calls', { callerNumber: phone, language: 'en', intent: 'cancellation' });
    expect(call.status, JSON.stringify(call.body)).toBeLessThan(300);
    await until(() => pops.length > 0, 20_000, 'the pop');
    expect((await server.store.customerBundle(leaver))!.scores!.valueAtRisk).toBeGreaterThan(0);
    expect(pops[0]!.call.priority).toBe(0);
    expect(pops[0]!.customer?.id).toBe(leaver);
    expect(pops[0]!.customer?.accountStatus?.state).toBe('left');
  }, 120_000);

  it('the HTTP route takes the integration key only, names bad events by line and field, and applies an id once', async () => {
    const agent = await login(server, 'ava');
    const forbidden = await api(server, 'POST', '/api/customers/events', { events: [{ id: 'X', kind: 'renewed', occurredAt: '2026-11-27', customerId: other }] }, agent.token);
    expect(forbidden.status).toBe(403);
    const accountId = (await server.store.customerBundle(other))!.customer.accountId;
    const body = { events: [{ id: 'H-1', kind: 'renewed', occurredAt: '2026-11-27', accountId }, { id: 'H-2', kind: 'cancelled', occurredAt: 'yesterday', customerId: other }, { kind: 'resumed' }] };
    const answer = await api(server, 'POST', '/api/customers/events', body);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ applied: 1, duplicates: 0 });
    const errors = answer.body.errors as Array<{ line: number; field: string | null; reason: string }>;
    expect(errors.map((e) => [e.line, e.field])).toEqual([[2, 'occurredAt'], [3, 'id']]);
    expect((await api(server, 'POST', '/api/customers/events', body)).body).toMatchObject({ applied: 0, duplicates: 1 });
    expect((await server.store.customerBundle(other))?.customer.accountStatus?.state).toBe('active');
    expect((await api(server, 'POST', '/api/customers/events', { events: [] })).status).toBe(400);
  }, 60_000);
});
