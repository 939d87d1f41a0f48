import { describe, expect, it } from 'vitest';
import { parseBankCalls, type BankCall } from '@shared/routing/simulation/bank-calls';
import { comparePolicies } from '@shared/routing/simulation/compare';
import { createGroundTruth } from '@shared/routing/simulation/ground-truth';
import { drawPatienceS, fitPatience } from '@shared/routing/simulation/patience';
import { createRoster } from '@shared/routing/simulation/roster';
import { DEFAULT_SIMULATION, simulate } from '@shared/routing/simulation/simulate';
import { createRandom } from '@shared/util/random';

const HEADER = 'vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver';

function row(fields: string[]): string {
  return fields.join('\t');
}

describe('Anonymous Bank log parser', () => {
  it('keeps calls that reached the queue or an agent, with real times, and skips the rest', () => {
    const text = [
      HEADER,
      row(['AA0101', '1', '0', '0', 'PS', '990201', '7:02:47', '7:02:56', '9', '0:00:00', '0:00:00', '0', 'AGENT', '7:02:55', '7:05:41', '166', 'DORIT']),
      row(['AA0101', '2', '23317894', '2', 'PS', '990201', '8:09:16', '8:09:22', '6', '8:09:22', '8:09:27', '5', 'HANG', '0:00:00', '0:00:00', '0', 'NO_SERVER']),
      row(['AA0101', '3', '0', '0', 'PS', '990201', '8:10:00', '8:10:05', '5', '0:00:00', '0:00:00', '0', 'HANG', '0:00:00', '0:00:00', '0', 'NO_SERVER']),
      row(['AA0101', '4', '0', '0', 'PS', '990201', '8:11:00', '8:11:05', '5', '0:00:00', '0:00:00', '0', 'PHANTOM', '0:00:00', '0:00:00', '0', 'NO_SERVER']),
      row(['AA0101', '5', '0', '0', 'NE', '990201', '23:59:50', '23:59:58', '8', '0:00:02', '0:00:40', '38', 'AGENT', '0:00:40', '0:02:00', '80', 'TOVA']),
      row(['AA0101', '6', '0', 'x', 'PS', '990201', '8:11:00', '8:11:05', '5', '0:00:00', '0:00:00', '0', 'AGENT', '0:00:00', '0:00:00', '0', 'X']),
      '',
    ].join('\r\n');
    const parsed = parseBankCalls(text);
    expect(parsed.skipped).toEqual({ phantom: 1, hungUpBeforeQueue: 1, malformed: 1 });
    expect(parsed.problems[0]).toMatch(/line 7: priority/);
    expect(parsed.calls.map((c) => c.callId)).toEqual(['1', '2', '5']);
    const day = Date.UTC(1999, 1, 1);
    expect(parsed.calls[0]).toMatchObject({ arrivalMs: day + (7 * 3600 + 2 * 60 + 56) * 1000, queued: false, serviceS: 166, outcome: 'AGENT' });
    expect(parsed.calls[1]).toMatchObject({ arrivalMs: day + (8 * 3600 + 9 * 60 + 22) * 1000, queued: true, queueWaitS: 5, serviceS: null, priority: 2 });
    // Crossed midnight: arrives 00:00:02 the next day.
    expect(parsed.calls[2]).toMatchObject({ arrivalMs: day + 86_400_000 + 2000, queueWaitS: 38, type: 'NE' });
  });

  it('refuses a file that is not this log, naming the missing columns', () => {
    expect(() => parseBankCalls('a,b,c\n1,2,3')).toThrow(/header lacks call_id/);
  });
});

describe('caller patience', () => {
  it('recovers a Weibull from censored observations', () => {
    const random = createRandom(3);
    const shape = 0.8;
    const scale = 300;
    const calls: BankCall[] = [];
    for (let i = 0; i < 20_000; i++) {
      const patience = scale * random.exponential(1) ** (1 / shape);
      const wait = random.exponential(60);
      const hung = patience < wait;
      calls.push({
        callId: String(i),
        customerId: '0',
        priority: 0,
        type: 'PS',
        arrivalMs: i,
        outcome: hung ? 'HANG' : 'AGENT',
        queued: true,
        queueWaitS: hung ? patience : wait,
        serviceS: hung ? null : 100,
      });
    }
    const fit = fitPatience(calls);
    expect(fit.shape).toBeGreaterThan(0.7);
    expect(fit.shape).toBeLessThan(0.9);
    expect(fit.scale).toBeGreaterThan(240);
    expect(fit.scale).toBeLessThan(370);
    // A served caller who waited 100 s had at least 100 s of patience.
    const served = calls.find((c) => c.outcome === 'AGENT' && c.queueWaitS > 100) as BankCall;
    for (let i = 0; i < 50; i++) expect(drawPatienceS(served, fit, random)).toBeGreaterThanOrEqual(served.queueWaitS);
  });
});

describe('roster and ground truth', () => {
  it('gives every language and the securities skill at least two agents', () => {
    for (const count of [2, 3, 6, 11]) {
      const roster = createRoster(count, 5);
      for (const language of ['he', 'ru', 'en', 'ar'] as const) {
        expect(roster.filter((a) => (a.languages[language] ?? 0) >= 3).length).toBeGreaterThanOrEqual(Math.min(2, count));
      }
      expect(roster.filter((a) => a.skills.includes('securities')).length).toBeGreaterThanOrEqual(Math.min(2, count));
    }
  });

  it('draws probabilities that differ by agent and segment and are fixed by the seed', () => {
    const a = createGroundTruth(1, ['x', 'y'], ['low/low', 'high/high']);
    const b = createGroundTruth(1, ['x', 'y'], ['low/low', 'high/high']);
    expect(a.probability('x', 'low/low')).toBe(b.probability('x', 'low/low'));
    expect(a.probability('x', 'low/low')).not.toBe(a.probability('y', 'low/low'));
    expect(a.segmentMean('low/low')).toBeGreaterThan(a.segmentMean('high/high'));
  });
});

/** Generated traffic (no real data): Poisson arrivals, exponential service, some hang-ups. */
function syntheticLog(count: number, seed: number): BankCall[] {
  const random = createRandom(seed);
  let t = Date.UTC(2024, 0, 1);
  return Array.from({ length: count }, (_, i) => {
    t += Math.round(random.exponential(40_000));
    const hung = random.chance(0.1);
    return {
      callId: String(i),
      customerId: String(random.int(0, 400)),
      priority: random.int(0, 2),
      type: random.chance(0.1) ? 'NE' : 'PS',
      arrivalMs: t,
      outcome: hung ? 'HANG' : 'AGENT',
      queued: true,
      queueWaitS: Math.round(random.exponential(40)),
      serviceS: hung ? null : Math.max(1, Math.round(random.exponential(170))),
    } satisfies BankCall;
  });
}

describe('simulation', () => {
  it('accounts for every call and lets the predictive policy save more than longest-idle', () => {
    const log = syntheticLog(4000, 11);
    const base = simulate(log, { ...DEFAULT_SIMULATION, policy: 'baseline', seed: 4 }).result;
    const pred = simulate(log, { ...DEFAULT_SIMULATION, policy: 'predictive', seed: 4 }).result;
    for (const r of [base, pred]) {
      expect(r.calls).toBe(4000);
      expect(r.served + r.abandoned).toBe(r.calls);
      expect(r.mean_wait_s).toBeGreaterThanOrEqual(0);
      expect(r.saves).toBeLessThanOrEqual(r.served);
    }
    expect(pred.expected_saves).toBeGreaterThan(base.expected_saves);
    expect(Math.abs(pred.abandon_rate - base.abandon_rate)).toBeLessThan(0.02);
  });

  it('meets the targets across seeds: clearly more saves, mean wait and abandonment within 10% of baseline', () => {
    const log = syntheticLog(5000, 21);
    const { policy: _policy, seed: _seed, ...options } = { ...DEFAULT_SIMULATION, policy: 'baseline', seed: 0 };
    const comparison = comparePolicies(log, [1, 2, 3, 4, 5], options);
    expect(comparison.per_seed).toHaveLength(5);
    for (const s of comparison.per_seed) expect(s.predictive.saves, `seed ${s.seed}`).toBeGreaterThan(s.baseline.saves);
    expect(comparison.saves_difference.ci95[0]).toBeGreaterThan(0);
    expect(comparison.mean.predictive.mean_wait_s).toBeLessThanOrEqual(comparison.mean.baseline.mean_wait_s * 1.1);
    expect(comparison.mean.predictive.abandon_rate).toBeLessThanOrEqual(comparison.mean.baseline.abandon_rate * 1.1);
    expect(comparison.targets).toEqual({ more_saves: true, wait_within_10pct: true, abandon_within_10pct: true, met: true });
  });

  it('routes the events of one instant together, so simultaneous calls and free agents are assigned jointly', () => {
    // Calls in pairs at the same second: each pair meets several free agents at once.
    const log = syntheticLog(600, 5).map((call, i) => ({ ...call, arrivalMs: Date.UTC(2024, 0, 1) + Math.floor(i / 2) * 400_000 }));
    const result = simulate(log, { ...DEFAULT_SIMULATION, policy: 'predictive', seed: 2 }).result;
    expect(result.joint_steps).toBeGreaterThan(200);
    expect(result.joint_offers).toBeGreaterThanOrEqual(2 * result.joint_steps);
  });

  it('is deterministic for a seed', () => {
    const log = syntheticLog(800, 2);
    const first = simulate(log, { ...DEFAULT_SIMULATION, policy: 'predictive', seed: 3 }).result;
    expect(simulate(log, { ...DEFAULT_SIMULATION, policy: 'predictive', seed: 3 }).result).toEqual(first);
  });
});
