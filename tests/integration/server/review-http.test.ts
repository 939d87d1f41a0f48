import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '@shared/demo-data/agents';
import type { ReviewCall, ReviewFilter, ReviewLive, ReviewSummary } from '@shared/contract/review';
import type { CustomerScores } from '@shared/domain/customer';
import type { OutcomeRecord, WrapUp } from '@shared/domain/wrap-up';
import { addDays, previousPeriod } from '@shared/supervisor/review-figures';
import type { RunningServer } from '../../../src-server/routing-server';
import { REVIEW_CSV_COLUMNS } from '../../../src-server/review/review-csv';
import type { ReviewRow } from '../../../src-server/store/server-store';
import { putCallsOnRecord } from '../../support/calls-on-record';
import { api, login, startServer } from '../../support/stack';

/**
 * The review over real HTTP on a real server: roles refused on the server,
 * bad filters named, figures as the store sums them, and the streamed CSV
 * checked row by row against the store.
 */
const today = new Date().toISOString().slice(0, 10);
const range = { from: addDays(today, -29), to: today };
const query = (filter: Partial<ReviewFilter> & Record<string, string | undefined>): string =>
  new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined)).toString();

async function get(server: RunningServer, path: string, token: string): Promise<Response> {
  return fetch(new URL(path, server.url), { headers: { authorization: `Bearer ${token}` } });
}

/** Every row of the store behind a filter, newest first, read in pages. */
async function storeRows(server: RunningServer, filter: ReviewFilter, savesOnly = false): Promise<ReviewRow[]> {
  const rows: ReviewRow[] = [];
  let before: { receivedAt: string; outcomeId: string } | null = null;
  for (;;) {
    const page = await server.store.reviewCalls(filter, { savesOnly, before, limit: 100 });
    rows.push(...page);
    const last = page[page.length - 1];
    if (page.length < 100 || !last) return rows;
    before = { receivedAt: last.receivedAt, outcomeId: last.outcomeId };
  }
}

describe('retention review over HTTP', () => {
  let server: RunningServer;
  let remove: () => void;
  let supervisor: string;
  let agent: string;
  let admin: string;
  const wrapped: string[] = [];
  /** Each customer's scores when the wrap-ups were applied (the rescoring they start changes them afterwards). */
  const scoresAtWrapUp = new Map<string, CustomerScores>();

  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 60, reviewAlert: { waitSeconds: 0.2, minClv: 0, minChurnRisk: 0 } }));
    supervisor = (await login(server, 'rachel')).token;
    agent = (await login(server, 'ava')).token;
    const { oneTimePassword } = await server.accounts.add({ username: 'root', displayName: 'Root', role: 'admin' });
    expect((await api(server, 'POST', '/api/auth/password', { username: 'root', password: oneTimePassword, newPassword: 'correct horse battery' }, '')).status).toBe(200);
    admin = String((await api(server, 'POST', '/api/auth/login', { username: 'root', password: 'correct horse battery' }, '')).body.token);

    // Wrap-ups through the server's own path: the review facts take the customer's scores as they are now.
    const ava = DEMO_AGENTS.find((a) => a.username === 'ava')!;
    const customers = (await server.store.snapshotPage(null, 12)).customers.map((c) => c.id);
    const calls = customers.map((customerId, i) => ({ callId: `CALL-review-${i}`, agentId: ava.id, customerId }));
    await putCallsOnRecord(server.store, calls);
    const playbook = await server.store.playbook();
    const offer = playbook!.offers[0]!;
    const wrapUps: WrapUp[] = calls.map((c, i) => ({
      id: randomUUID(), callId: c.callId, customerId: c.customerId, agentId: ava.id,
      disposition: i % 3 === 0 ? 'churned' : 'retained', offerId: i % 2 === 0 ? offer.id : null, offerOutcome: i % 2 === 0 ? 'accepted' : 'no_offer',
      notes: i === 0 ? '=HYPERLINK("http://evil.test","click")' : `Notes, with "quotes"\nand a second line ${i}`, summary: `Summary ${i}`,
      summaryAuthor: 'agent', createdAt: new Date().toISOString(),
    }));
    for (const id of customers) scoresAtWrapUp.set(id, (await server.store.customerBundle(id))!.scores!);
    const results = await server.routing.applyWrapUps(ava, wrapUps);
    expect(results.every((r) => !r.duplicate && !('rejected' in r && r.rejected))).toBe(true);
    wrapped.push(...wrapUps.map((w) => w.id));

    // Older outcomes straight into the store, for the previous period and the trend.
    const older = Array.from({ length: 80 }, (_, i): OutcomeRecord => {
      const at = new Date(Date.parse(`${addDays(today, -(i % 59) - 1)}T10:00:00Z`) + i * 1000).toISOString();
      return {
        id: randomUUID(), callId: `CALL-old-${i}`, customerId: customers[i % customers.length]!, agentId: DEMO_AGENTS[i % 4]!.id, disposition: i % 2 === 0 ? 'retained' : 'churned',
        offerId: null, offerOutcome: 'no_offer', notes: `old ${i}`, summary: '', summaryAuthor: 'agent', createdAt: at,
        agentName: DEMO_AGENTS[i % 4]!.displayName, customerName: `Old ${i}`, valueTier: 'mid', clv: 500 + i, receivedAt: at,
      };
    });
    await server.store.applyOutcomes(older.map((outcome) => ({ outcome, interaction: null, offerStat: null })));
  });
  afterAll(async () => {
    await server?.close();
    remove?.();
  });

  it('is for supervisors and admins only: an agent is refused on every route', async () => {
    const paths = [
      `/api/review/summary?${query(range)}`, `/api/review/trend?${query(range)}`, `/api/review/cuts/agent?${query(range)}`,
      `/api/review/calls?${query(range)}`, `/api/review/export.csv?${query(range)}`, `/api/review/cohort?${query(range)}`, '/api/review/live',
    ];
    for (const path of paths) {
      expect((await get(server, path, agent)).status, path).toBe(403);
      expect((await get(server, path, '')).status, path).toBe(401);
      expect((await get(server, path, supervisor)).status, path).toBe(200);
      expect((await get(server, path, admin)).status, path).toBe(200);
    }
  });

  it('names what is wrong with a filter', async () => {
    const bad = async (q: string): Promise<Record<string, unknown>> => {
      const response = await get(server, `/api/review/summary?${q}`, supervisor);
      expect(response.status, q).toBe(400);
      return (await response.json()) as Record<string, unknown>;
    };
    expect((await bad(query({ from: today, to: addDays(today, -3) }))).field).toBe('to');
    expect((await bad(query({ from: '2026-02-30', to: today }))).field).toBe('from');
    expect((await bad(query({ from: '2020-01-01', to: today }))).field).toBe('from');
    expect((await bad(`${query(range)}&colour=red`)).message).toContain('colour');
    const cursor = await get(server, `/api/review/calls?${query({ ...range, cursor: 'nonsense' })}`, supervisor);
    expect(cursor.status).toBe(400);
    expect(((await cursor.json()) as { field: string }).field).toBe('cursor');
    expect((await get(server, `/api/review/cuts/colour?${query(range)}`, supervisor)).status).toBe(400);
    // The server is still up and answering.
    expect((await get(server, `/api/review/summary?${query(range)}`, supervisor)).status).toBe(200);
  });

  it('sums as the store does, against the previous period, with verified figures pending', async () => {
    const body = (await (await get(server, `/api/review/summary?${query(range)}`, supervisor)).json()) as ReviewSummary;
    const totals = await server.store.reviewTotals(range, previousPeriod(range));
    expect(body.current).toMatchObject(totals.current);
    expect(body.before).toMatchObject(totals.before);
    expect(body.previous).toEqual(previousPeriod(range));
    expect(body.verified).toBe('pending');
    expect(body.current.verifiedRate).toBeNull();
    expect(body.current.rate).toBeCloseTo(totals.current.saves / totals.current.calls);
    expect(body.current.interval![0]).toBeLessThan(body.current.rate!);
    expect(body.current.interval![1]).toBeGreaterThan(body.current.rate!);
  });

  it('takes segments from the server\'s scores: wrap-ups made today are never "unscored"', async () => {
    for (const dimension of ['tier', 'rfm', 'script'] as const) {
      const cut = (await (await get(server, `/api/review/cuts/${dimension}?${query({ from: today, to: today, agent: DEMO_AGENTS[0]!.id })}`, supervisor)).json()) as { rows: Array<{ key: string; calls: number }> };
      expect(cut.rows.length, dimension).toBeGreaterThan(0);
      expect(cut.rows.map((r) => r.key), dimension).not.toContain('unknown');
    }
    // Each wrap-up's segment and brief are the customer's scores at the time (not now, after the rescoring it started).
    const rows = await storeRows(server, { from: today, to: today, agent: DEMO_AGENTS[0]!.id });
    for (const id of wrapped) {
      const row = rows.find((r) => r.outcomeId === id)!;
      const scores = scoresAtWrapUp.get((JSON.parse(row.data) as OutcomeRecord).customerId)!;
      expect({ tier: row.tier, rfm: row.rfm, lifecycle: row.lifecycle, brief: JSON.parse(row.brief) }).toEqual({
        tier: scores.valueTier, rfm: scores.rfmSegment ?? 'unknown', lifecycle: scores.lifecycleStage ?? 'unknown',
        brief: { churnProbability: scores.churnProbability, reasons: scores.reasons.slice(0, 3).map((r) => r.phrase), clv: scores.clv },
      });
    }
    const offers = (await (await get(server, `/api/review/cuts/offer?${query({ from: today, to: today, agent: DEMO_AGENTS[0]!.id })}`, supervisor)).json()) as { rows: Array<{ key: string; label: string; offerCost: number }> };
    const offer = (await server.store.playbook())!.offers[0]!;
    const offered = offers.rows.find((r) => r.key === offer.id)!;
    expect(offered.label).toBe(offer.name);
    expect(offered.offerCost).toBe(offer.monthlyCost * offer.durationMonths * 6);
  });

  it('pages the calls behind a number: every call once, as the store has it', async () => {
    const filter = { ...range, agent: DEMO_AGENTS[0]!.id };
    const seen: ReviewCall[] = [];
    let cursor: string | null = null;
    do {
      const page = (await (await get(server, `/api/review/calls?${query({ ...filter, show: 'calls', limit: '5', cursor: cursor ?? undefined })}`, supervisor)).json()) as { calls: ReviewCall[]; next: string | null };
      seen.push(...page.calls);
      cursor = page.next;
    } while (cursor);
    const rows = await storeRows(server, filter);
    expect(seen.map((c) => c.outcomeId)).toEqual(rows.map((r) => r.outcomeId));
    const mine = seen.find((c) => c.outcomeId === wrapped[1])!;
    expect(mine.verified).toBe('pending');
    expect(mine.brief.churnProbability).not.toBeNull();
    expect(mine.segment.tier).not.toBe('unknown');
    expect(mine.direction).toBe('unknown');
  });

  it('streams the export as CSV, row for row what the store holds for the same filter', async () => {
    for (const show of ['calls', 'saves'] as const) {
      const response = await get(server, `/api/review/export.csv?${query({ ...range, show })}`, supervisor);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/csv');
      expect(response.headers.get('content-disposition')).toContain(`holdfast-review-${range.from}-to-${range.to}.csv`);
      const records = parse(await response.text(), { columns: true }) as Array<Record<string, string>>;
      const rows = await storeRows(server, range, show === 'saves');
      expect(records.length).toBe(rows.length);
      expect(Object.keys(records[0]!)).toEqual([...REVIEW_CSV_COLUMNS]);
      records.forEach((record, i) => {
        const row = rows[i]!;
        const outcome = JSON.parse(row.data) as OutcomeRecord;
        const formula = /^[=+\-@]/.test(outcome.notes);
        expect(record).toMatchObject({
          outcome_id: row.outcomeId, received_at: row.receivedAt, agent_id: outcome.agentId, customer_id: outcome.customerId,
          disposition: outcome.disposition, offer_outcome: outcome.offerOutcome, offer_id: outcome.offerId ?? '',
          value_tier: row.tier, rfm_segment: row.rfm, lifecycle_stage: row.lifecycle, routing_arm: row.arm, team: row.team,
          offer_cost: String(row.offerCost), notes: formula ? `'${outcome.notes}` : outcome.notes, summary: outcome.summary, verified: 'pending',
        });
      });
      if (show === 'calls') expect(records.find((r) => r.outcome_id === wrapped[0])?.notes?.startsWith("'=HYPERLINK")).toBe(true);
      if (show === 'saves') expect(records.every((r) => r.disposition === 'retained')).toBe(true);
    }
  });

  it('shows the floor live, and alerts on a caller waiting too long', async () => {
    const created = await api(server, 'POST', '/api/calls', { callerNumber: '+12125550199', language: 'en', intent: 'cancellation' });
    expect(created.status).toBeLessThan(300);
    await new Promise((r) => setTimeout(r, 400));
    const live = (await (await get(server, '/api/review/live', supervisor)).json()) as ReviewLive;
    expect(live.queueDepth).toBe(1);
    expect(live.longestWaitSeconds).toBeGreaterThanOrEqual(0);
    expect(live.alerts).toHaveLength(1);
    expect(live.alertAfterSeconds).toBe(0.2);
    expect(live.agents.length).toBe(DEMO_AGENTS.filter((a) => a.role === 'agent').length);
  });
});
