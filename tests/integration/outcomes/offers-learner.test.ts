import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src-server/routing-server';
import { openServerStore } from '../../../src-server/store/open-store';
import { api, login, startServer } from '../../support/stack';
import { makeTempDir } from '../../support/temp-dir';
import * as fx from '../store/fixtures';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const tool = (script: string, args: string[]) => run(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { cwd: ROOT });

describe('offers that learn, on a real server', () => {
  let server: RunningServer;
  let remove: () => void;
  let supervisor = '';

  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 120, reservationTimeoutMs: 60_000, offers: { exploration: 0.1 } }));
    supervisor = (await login(server, 'rachel')).token;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    remove?.();
  });

  it('lets supervisors pause and retire offers (agents may not), and never chooses those; every choice is logged with its propensity', async () => {
    const agent = await login(server, 'ava');
    expect((await api(server, 'GET', '/api/offers', undefined, agent.token)).status).toBe(403);
    const listed = await api(server, 'GET', '/api/offers', undefined, supervisor);
    const offers = listed.body.offers as Array<{ id: string; status: string; cost: number }>;
    expect(offers.length).toBeGreaterThan(2);
    expect(listed.body.guardrails).toMatchObject({ exploration: 0.1, maxCostShare: 0.5, declineCooldownDays: 90 });
    const [paused, retired] = [offers[0]!.id, offers[1]!.id];
    expect((await api(server, 'PUT', `/api/offers/${paused}/status`, { status: 'paused' }, agent.token)).status).toBe(403);
    expect((await api(server, 'PUT', `/api/offers/${paused}/status`, { status: 'paused' }, supervisor)).body).toEqual({ offerId: paused, status: 'paused' });
    expect((await api(server, 'PUT', `/api/offers/${retired}/status`, { status: 'retired' }, supervisor)).status).toBe(200);
    expect((await api(server, 'PUT', `/api/offers/${retired}/status`, { status: 'active' }, supervisor)).status).toBe(409);
    expect((await api(server, 'PUT', '/api/offers/no-such-offer/status', { status: 'paused' }, supervisor)).status).toBe(404);

    const callers = (await api(server, 'GET', '/api/demo/callers?count=40&language=en')).body.callers as Array<{ phone: string }>;
    for (const caller of callers) {
      const call = await api(server, 'POST', '/api/calls', { callerNumber: caller.phone, language: 'en', intent: 'cancellation' });
      expect(call.status).toBe(201);
    }
    const decisions = await server.store.offerDecisions('1970-01-01T00:00:00.000Z');
    expect(decisions.length).toBeGreaterThanOrEqual(callers.length - 2);
    for (const d of decisions) {
      expect(d.propensity).toBeGreaterThan(0);
      expect(d.propensity).toBeLessThanOrEqual(1);
      expect(d.arms[0]).toEqual({ id: 'none', cost: 0 });
      expect(d.arms.map((a) => a.id)).not.toContain(paused);
      expect(d.arms.map((a) => a.id)).not.toContain(retired);
      // The budget guardrail: no arm costs more than half the customer's CLV.
      expect(d.arms.every((a) => a.cost <= 0.5 * d.clv + 1e-9)).toBe(true);
    }
    // With 10% exploration over 40 calls, more than one arm is chosen.
    expect(new Set(decisions.map((d) => d.arm)).size).toBeGreaterThan(1);
  }, 120_000);
});

describe('npm run offers:export-log then eval:offers -- --log FILE', () => {
  it('writes the verified decisions as the log eval:offers reads, leaving out those with no verdict yet', async () => {
    const dir = makeTempDir('offer-log');
    const store = await openServerStore({ kind: 'sqlite', file: join(dir.path, 'routing.db') });
    const DAY = 86_400_000;
    const at = (daysAgo: number): string => new Date(Date.now() - daysAgo * DAY).toISOString();
    await store.upsertCustomers([1, 2, 3].map((n) => fx.bundle(n, 0)));
    const arms = [{ id: 'none', cost: 0 }, { id: 'discount-10', cost: 45 }];
    for (const [n, arm, age] of [[1, 'discount-10', 60], [2, 'none', 60], [3, 'discount-10', 5]] as const) {
      await store.logOfferDecision({ callId: `CALL-${n}`, customerId: fx.customerId(n), segment: 'mid:price', clv: 800, arms, arm, propensity: 0.5, explored: false, decidedAt: at(age) });
      await store.insertOutcome(fx.outcome(n, { callId: `CALL-${n}`, customerId: fx.customerId(n), createdAt: at(age), receivedAt: at(age) }));
    }
    // Customer 2 left 20 days after their call.
    await store.applyAccountEvents([{ ...fx.accountEvent('E-2', 2, 'cancelled', 1), occurredAt: at(40) }]);
    await store.close();

    const out = join(dir.path, 'decisions.jsonl');
    const exported = await tool('src-server/tools/export-offer-log.ts', ['--data', dir.path, '--out', out]);
    expect(JSON.parse(exported.stdout.trim())).toEqual({ decisions: 3, written: 2, no_outcome: 0, too_early: 1 });
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { arm: string; reward: number });
    expect(lines.map((l) => [l.arm, l.reward])).toEqual([['discount-10', 755], ['none', 0]]);

    const evaluated = await tool('src-server/tools/eval-offers.ts', ['--log', out, '--policy', 'fixed:discount-10', '--bootstrap', '50']);
    const estimate = JSON.parse(evaluated.stdout.trim()) as { rounds: number; ips: number; snips: number };
    // Only the discount round counts for "always discount-10": weight 1/0.5 on reward 755, over 2 rounds.
    expect(estimate).toMatchObject({ rounds: 2, ips: 755, snips: 755 });
    dir.remove();
  }, 120_000);
});
