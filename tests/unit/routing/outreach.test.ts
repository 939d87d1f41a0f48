import { describe, expect, it } from 'vitest';
import { createBlendedPlanner, createRouter, rankOutreach, type OutreachCustomer } from '@shared/routing';
import { arrive, login } from './helpers';

const JAN_NOON_UTC = Date.UTC(2024, 0, 15, 12, 0);
const JUL_1330_UTC = Date.UTC(2024, 6, 15, 13, 30);
const JAN_1330_UTC = Date.UTC(2024, 0, 15, 13, 30);
const DAY = 86_400_000;

function customer(id: string, overrides: Partial<OutreachCustomer> = {}): OutreachCustomer {
  return { customerId: id, valueAtRisk: 1000, timezone: 'Europe/London', doNotCall: false, attempts: 0, lastContactAt: null, ...overrides };
}

describe('outreach ranking', () => {
  it('never includes do-not-call customers, and says why', () => {
    const { ranked, skipped } = rankOutreach([customer('dnc', { doNotCall: true, valueAtRisk: 1e6 }), customer('ok')], JAN_NOON_UTC);
    expect(ranked.map((r) => r.customerId)).toEqual(['ok']);
    expect(skipped).toEqual([expect.objectContaining({ customerId: 'dnc', reason: 'do_not_call' })]);
  });

  it("uses each customer's local calling hours across timezones", () => {
    const zones = {
      jerusalem: 'Asia/Jerusalem', // 14:00
      newYork: 'America/New_York', // 07:00
      tokyo: 'Asia/Tokyo', // 21:00
      london: 'Europe/London', // 12:00
      losAngeles: 'America/Los_Angeles', // 04:00
      kolkata: 'Asia/Kolkata', // 17:30
    };
    const customers = Object.entries(zones).map(([id, timezone]) => customer(id, { timezone }));
    const { ranked, skipped } = rankOutreach(customers, JAN_NOON_UTC);
    expect(ranked.map((r) => r.customerId).sort()).toEqual(['jerusalem', 'kolkata', 'london']);
    expect(ranked.find((r) => r.customerId === 'kolkata')?.localTime).toBe('17:30');
    expect(skipped.filter((s) => s.reason === 'outside_calling_hours').map((s) => s.customerId).sort()).toEqual(['losAngeles', 'newYork', 'tokyo']);
  });

  it('follows daylight saving time: 13:30 UTC is 09:30 in New York in July but 08:30 in January', () => {
    const ny = [customer('ny', { timezone: 'America/New_York' })];
    expect(rankOutreach(ny, JUL_1330_UTC).ranked).toHaveLength(1);
    expect(rankOutreach(ny, JAN_1330_UTC).ranked).toHaveLength(0);
  });

  it('supports custom and overnight windows', () => {
    const night = rankOutreach([customer('london')], Date.UTC(2024, 0, 15, 23, 0), { callingHours: { start: '20:00', end: '02:00' } });
    expect(night.ranked).toHaveLength(1);
    const early = rankOutreach([customer('london')], Date.UTC(2024, 0, 15, 3, 0), { callingHours: { start: '20:00', end: '02:00' } });
    expect(early.ranked).toHaveLength(0);
  });

  it('enforces max attempts and the cool-off after any contact', () => {
    const { ranked, skipped } = rankOutreach(
      [
        customer('maxed', { attempts: 3 }),
        customer('recent', { lastContactAt: JAN_NOON_UTC - 2 * 3_600_000 }),
        customer('rested', { lastContactAt: JAN_NOON_UTC - 3 * DAY, attempts: 1 }),
      ],
      JAN_NOON_UTC,
      { maxAttempts: 3, coolOffMs: DAY },
    );
    expect(ranked.map((r) => r.customerId)).toEqual(['rested']);
    expect(Object.fromEntries(skipped.map((s) => [s.customerId, s.reason]))).toEqual({ maxed: 'max_attempts', recent: 'cool_off' });
  });

  it('skips unknown timezones with a reason instead of throwing', () => {
    const { skipped } = rankOutreach([customer('mars', { timezone: 'Mars/Olympus_Mons' })], JAN_NOON_UTC);
    expect(skipped[0]).toMatchObject({ reason: 'invalid_timezone' });
  });

  it('ranks by value at risk, discounted per attempt, boosted when the window is closing, with reasons', () => {
    const { ranked } = rankOutreach(
      [
        customer('big-retry', { valueAtRisk: 1400, attempts: 2 }), // 1400 * 0.49 = 686
        customer('mid', { valueAtRisk: 1000, churnRisk: 0.8, topReason: 'price increase' }),
        customer('closing', { valueAtRisk: 900, timezone: 'Asia/Jerusalem' }), // 19:30 local at 17:30 UTC
      ],
      Date.UTC(2024, 0, 15, 17, 30),
    );
    expect(ranked.map((r) => r.customerId)).toEqual(['closing', 'mid', 'big-retry']);
    const closing = ranked[0];
    expect(closing?.whyNow.map((r) => r.code)).toContain('window_closing');
    const mid = ranked[1];
    expect(mid?.whyThisCustomer.map((r) => r.code)).toEqual(['value_at_risk', 'churn_risk', 'churn_reason', 'first_attempt']);
    expect(mid?.whyNow.map((r) => r.code)).toEqual(['in_calling_hours', 'never_contacted']);
    expect(ranked[2]?.whyThisCustomer.map((r) => r.text)).toContain('attempt 3 of 3');
  });

  it('rejects malformed customers and configs with a clear message', () => {
    expect(() => rankOutreach([{ customerId: 'x' } as OutreachCustomer], JAN_NOON_UTC)).toThrow(/customer 0/);
    expect(() => rankOutreach([], JAN_NOON_UTC, { callingHours: { start: '9am', end: '20:00' } })).toThrow(/HH:MM/);
  });
});

describe('blended idle-agent task', () => {
  it('offers outbound previews only while no inbound call waits for the agent, one customer per agent', () => {
    const router = createRouter();
    router.apply(login('a1', { languages: { en: 5 } }), 0);
    router.apply(login('a2', { languages: { en: 5, he: 5 } }), 0);
    const customers = [customer('c-he', { valueAtRisk: 5000, language: 'he' }), customer('c-en', { valueAtRisk: 3000 }), customer('c-2', { valueAtRisk: 100 })];
    const planner = createBlendedPlanner({ inbound: router, customers: () => customers });
    expect(planner.idleAgentTask('a1', JAN_NOON_UTC)).toMatchObject({ kind: 'outbound_preview', customerId: 'c-en' });
    expect(planner.idleAgentTask('a2', JAN_NOON_UTC)?.customerId).toBe('c-he');
    // c-en is held for a1: a third ask by a2 (still holding c-he) does not steal it.
    expect(planner.idleAgentTask('a2', JAN_NOON_UTC + 1000)?.customerId).toBe('c-he');
    // An inbound call a1 can take: a1 gets the call instead, and no outbound task while it is busy.
    router.apply(arrive('in-1', { arrivedAt: JAN_NOON_UTC }), JAN_NOON_UTC);
    expect(planner.idleAgentTask('a1', JAN_NOON_UTC + 2000)).toBeNull();
    expect(planner.idleAgentTask('ghost', JAN_NOON_UTC)).toBeNull();
  });

  it('hands a floor of idle agents the list in order, each customer once, ranking each candidate once a minute', () => {
    const inbound = { waitingEligibleFor: () => 0, agent: () => ({ online: true, presence: 'available', languages: { en: 5 } }) };
    let reads = 0;
    const customers = Array.from({ length: 300 }, (_, i) => {
      const c = customer(`c-${String(i).padStart(3, '0')}`, { valueAtRisk: 1000 + (i % 7) * 100, timezone: i % 2 ? 'Europe/London' : 'Asia/Jerusalem' });
      // Counts what ranking reads of each candidate: once per candidate and minute, not once per idle agent.
      return new Proxy(c, { get: (target, key) => (key === 'timezone' && reads++, Reflect.get(target, key)) });
    });
    const planner = createBlendedPlanner({ inbound, customers: () => customers });
    const handed = Array.from({ length: 1000 }, (_, i) => planner.idleAgentTask(`a${i}`, JAN_NOON_UTC + i)?.customerId ?? null);
    expect(handed.slice(0, 300)).toEqual(rankOutreach(customers, JAN_NOON_UTC).ranked.map((r) => r.customerId));
    expect(handed.slice(300).every((id) => id === null)).toBe(true);
    expect(reads).toBeLessThanOrEqual(3 * 300 + 300);
    // A minute later the candidates are ranked again (local time and calling hours move on).
    const before = reads;
    planner.idleAgentTask('late', JAN_NOON_UTC + 60_000);
    expect(reads).toBeGreaterThan(before);
  });

  it('counts the candidates nobody holds, so a sweep of idle agents can stop when there are none', () => {
    const inbound = { waitingEligibleFor: () => 0, agent: () => ({ online: true, presence: 'available', languages: { en: 5 } }) };
    const customers = [customer('c-1'), customer('c-2'), customer('dnc', { doNotCall: true })];
    const planner = createBlendedPlanner({ inbound, customers: () => customers, previewHoldMs: 10_000 });
    expect(planner.unheldCount(JAN_NOON_UTC)).toBe(2);
    planner.idleAgentTask('a1', JAN_NOON_UTC);
    planner.idleAgentTask('a2', JAN_NOON_UTC);
    expect(planner.unheldCount(JAN_NOON_UTC + 1)).toBe(0);
    expect([...planner.holders(JAN_NOON_UTC + 1)].sort()).toEqual(['a1', 'a2']);
    expect(planner.idleAgentTask('a3', JAN_NOON_UTC + 1)).toBeNull();
    // Holds run out: the candidates are free again.
    expect(planner.unheldCount(JAN_NOON_UTC + 10_000)).toBe(2);
    expect(planner.holders(JAN_NOON_UTC + 10_000).size).toBe(0);
  });

  it('inbound wins: no preview while a call the agent could take is waiting', () => {
    let waiting = 1;
    const inbound = {
      waitingEligibleFor: () => waiting,
      agent: () => ({ online: true, presence: 'available', languages: { en: 5 } }),
    };
    const planner = createBlendedPlanner({ inbound, customers: () => [customer('c-en')] });
    expect(planner.idleAgentTask('a1', JAN_NOON_UTC)).toBeNull();
    waiting = 0;
    expect(planner.idleAgentTask('a1', JAN_NOON_UTC)?.customerId).toBe('c-en');
  });
});
