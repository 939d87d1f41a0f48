import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Language } from '@shared/domain/language';
import { createRouter, type CreateRouterOptions, type Reservation, type Router, RoutingError } from '@shared/routing';

/**
 * Random event sequences, most built from the router's current state (so
 * they reach deep states) and the rest random, malformed or out of order.
 * After every step: no agent over capacity, no agent holding two reservations
 * (capacities go up to 3), no call assigned twice, no call lost,
 * indexes consistent, work conservation, and refused events change nothing.
 */
const AGENTS = ['a0', 'a1', 'a2', 'a3', 'a4'];
const LANGUAGES: Language[] = ['en', 'he', 'ru'];
const SKILLS = ['billing', 'tech'];
const SEGMENTS = ['gold/high', 'gold/low', 'iron/high'];

type Step =
  | { kind: 'login'; agent: number; languages: Language[]; proficiency: number; skills: string[]; capacity: number; away: boolean }
  | { kind: 'logout' | 'available' | 'away'; agent: number }
  | { kind: 'arrive'; call: number; language: Language; skills: string[]; segment: string; churnRisk: number; valueAtRisk: number }
  | { kind: 'accept' | 'reject' | 'expire' | 'connect' | 'end' | 'abandon' | 'transfer' | 'wrap'; pick: number; wrongAgent: boolean }
  | { kind: 'transferTo'; pick: number; skill: string | null; language: Language | null }
  | { kind: 'outcome'; agent: number; segment: string; saved: boolean }
  /** The valid next event for some call or agent: drives sequences deep into the lifecycle. */
  | { kind: 'progress'; pick: number }
  | { kind: 'garbage'; value: unknown }
  | { kind: 'batch'; steps: Step[] };

const agentIndex = fc.nat({ max: AGENTS.length - 1 });
const baseStep: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('login' as const),
      agent: agentIndex,
      languages: fc.subarray(LANGUAGES, { minLength: 1 }),
      proficiency: fc.integer({ min: 1, max: 5 }),
      skills: fc.subarray(SKILLS),
      // Capacities above 1, so "one reservation at a time" is a rule the engine must keep, not a side effect of capacity.
      capacity: fc.integer({ min: 1, max: 3 }),
      away: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('logout' as const, 'available' as const, 'away' as const), agent: agentIndex }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('arrive' as const),
      call: fc.nat({ max: 40 }),
      language: fc.constantFrom(...LANGUAGES),
      skills: fc.subarray(SKILLS, { maxLength: 1 }),
      segment: fc.constantFrom(...SEGMENTS),
      churnRisk: fc.double({ min: 0, max: 1, noNaN: true }),
      valueAtRisk: fc.integer({ min: 0, max: 20_000 }),
    }),
  },
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constantFrom('accept' as const, 'reject' as const, 'expire' as const, 'connect' as const, 'end' as const, 'abandon' as const, 'transfer' as const, 'wrap' as const),
      pick: fc.nat({ max: 1000 }),
      wrongAgent: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('transferTo' as const),
      pick: fc.nat({ max: 1000 }),
      skill: fc.option(fc.constantFrom(...SKILLS), { nil: null }),
      language: fc.option(fc.constantFrom(...LANGUAGES), { nil: null }),
    }),
  },
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('progress' as const), pick: fc.nat({ max: 1000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('outcome' as const), agent: agentIndex, segment: fc.constantFrom(...SEGMENTS), saved: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('garbage' as const),
      value: fc.oneof(
        fc.anything(),
        fc.record({ type: fc.constantFrom('offerAccepted', 'callArrived', 'agentLogin', 'wrapUpDone'), callId: fc.string(), agentId: fc.constantFrom(...AGENTS, 'ghost') }),
        fc.record({ type: fc.constant('callArrived'), callId: fc.constant('c1'), language: fc.constant('xx'), churnRisk: fc.double() }),
      ),
    }),
  },
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: baseStep },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('batch' as const), steps: fc.array(baseStep, { minLength: 2, maxLength: 5 }) }) },
);

interface Harness {
  router: Router;
  arrived: Set<string>;
}

/** Turns a step into an event, picking targets from the router's state so most events are valid. */
function toEvent(step: Exclude<Step, { kind: 'batch' }>, h: Harness, now: number): unknown {
  const calls = [...h.arrived].map((id) => h.router.call(id)).filter((c) => c !== undefined);
  const inPhase = (...phases: string[]) => calls.filter((c) => phases.includes(c.phase));
  const pickFrom = <T>(items: T[], pick: number): T | undefined => items[pick % Math.max(1, items.length)];
  const otherAgent = (agentId: string | null): string => AGENTS.find((a) => a !== agentId) ?? 'a0';
  switch (step.kind) {
    case 'login':
      return {
        type: 'agentLogin',
        agentId: AGENTS[step.agent],
        languages: Object.fromEntries(step.languages.map((l) => [l, step.proficiency])),
        skills: step.skills,
        capacity: step.capacity,
        presence: step.away ? 'away' : 'available',
      };
    case 'logout':
      return { type: 'agentLogout', agentId: AGENTS[step.agent] };
    case 'available':
    case 'away':
      return { type: 'agentPresence', agentId: AGENTS[step.agent], presence: step.kind };
    case 'arrive':
      return {
        type: 'callArrived',
        callId: `c${step.call}`,
        language: step.language,
        intent: 'retention',
        requiredSkills: step.skills,
        customerId: `k${step.call}`,
        segment: step.segment,
        churnRisk: step.churnRisk,
        clv: step.valueAtRisk * 2,
        valueAtRisk: step.valueAtRisk,
        arrivedAt: now,
      };
    case 'accept':
    case 'reject':
    case 'expire':
    case 'connect': {
      const phase = step.kind === 'connect' ? 'accepted' : 'reserved';
      const call = pickFrom(inPhase(phase), step.pick) ?? pickFrom(calls, step.pick);
      const type = { accept: 'offerAccepted', reject: 'offerRejected', expire: 'reservationExpired', connect: 'callConnected' }[step.kind];
      if (call === undefined) return { type, callId: 'c0', agentId: 'a0' };
      return { type, callId: call.id, agentId: step.wrongAgent ? otherAgent(call.agentId) : (call.agentId ?? 'a0') };
    }
    case 'end': {
      const call = pickFrom(inPhase('connected', 'accepted'), step.pick) ?? pickFrom(calls, step.pick);
      return { type: 'callEnded', callId: call?.id ?? 'c0', ...(step.wrongAgent ? { agentId: otherAgent(call?.agentId ?? null) } : {}) };
    }
    case 'abandon': {
      const call = pickFrom(step.wrongAgent ? calls : inPhase('waiting', 'reserved', 'accepted'), step.pick);
      return { type: 'callAbandoned', callId: call?.id ?? 'c0' };
    }
    case 'transfer':
    case 'transferTo': {
      const call = pickFrom(inPhase('connected'), step.pick) ?? pickFrom(calls, step.pick);
      const extra = step.kind === 'transferTo' ? { ...(step.skill ? { targetSkill: step.skill } : {}), ...(step.language ? { targetLanguage: step.language } : {}) } : {};
      return { type: 'callTransferred', callId: call?.id ?? 'c0', ...extra };
    }
    case 'wrap': {
      const withWrap = AGENTS.filter((id) => h.router.agent(id)?.calls.some((c) => c.phase === 'wrap_up'));
      const agentId = pickFrom(step.wrongAgent ? AGENTS : withWrap, step.pick) ?? 'a0';
      return { type: 'wrapUpDone', agentId };
    }
    case 'progress': {
      const nexts: unknown[] = [];
      for (const call of inPhase('reserved', 'accepted', 'connected')) {
        const agentId = call.agentId ?? 'a0';
        if (call.phase === 'reserved') nexts.push({ type: 'offerAccepted', callId: call.id, agentId });
        if (call.phase === 'accepted') nexts.push({ type: 'callConnected', callId: call.id, agentId });
        if (call.phase === 'connected') nexts.push({ type: 'callEnded', callId: call.id, agentId });
      }
      for (const id of AGENTS) {
        const wrap = h.router.agent(id)?.calls.find((c) => c.phase === 'wrap_up');
        if (wrap) nexts.push({ type: 'wrapUpDone', agentId: id, callId: wrap.callId });
      }
      const fallback = { type: 'agentLogin', agentId: AGENTS[step.pick % AGENTS.length], languages: { en: 4, he: 4, ru: 4 }, skills: SKILLS, capacity: 1 + (step.pick % 3) };
      return pickFrom(nexts, step.pick) ?? fallback;
    }
    case 'outcome':
    case 'garbage':
      return step.kind === 'garbage' ? step.value : null;
  }
}

function checkAfterStep(h: Harness): void {
  const { router } = h;
  expect(router.checkInvariants({ workConservation: true })).toEqual([]);
  // No agent beyond capacity; no call held by two agents.
  const holders = new Map<string, string>();
  for (const id of AGENTS) {
    const agent = router.agent(id);
    if (agent === undefined) continue;
    expect(agent.calls.length).toBeLessThanOrEqual(agent.capacity);
    expect(agent.calls.filter((slot) => slot.phase === 'reserved').length, `agent ${id} holds two reservations`).toBeLessThanOrEqual(1);
    for (const slot of agent.calls) {
      if (slot.phase === 'wrap_up') continue;
      expect(holders.has(slot.callId), `call ${slot.callId} held twice`).toBe(false);
      holders.set(slot.callId, id);
    }
  }
  // No call lost: every call ever accepted by the router is waiting, offered, connected, answered or abandoned.
  for (const id of h.arrived) {
    const call = router.call(id);
    expect(call, `call ${id} lost`).toBeDefined();
    if (call === undefined) continue;
    expect(['waiting', 'reserved', 'accepted', 'connected', 'ended', 'abandoned']).toContain(call.phase);
    if (call.phase === 'reserved' || call.phase === 'accepted' || call.phase === 'connected') expect(holders.get(id)).toBe(call.agentId);
  }
  const reserved = router.reservations().map((r) => r.callId);
  expect(new Set(reserved).size).toBe(reserved.length);
}

function runSteps(h: Harness, steps: Step[], startAt: number, onDecisions?: (d: unknown) => void): void {
  let now = startAt;
  for (const s of steps) {
    now += 1000;
    if (s.kind === 'outcome') {
      h.router.recordOutcome({ agentId: AGENTS[s.agent], segment: s.segment, saved: s.saved });
      continue;
    }
    if (s.kind === 'batch') {
      const events = s.steps.filter((x): x is Exclude<Step, { kind: 'batch' }> => x.kind !== 'batch' && x.kind !== 'outcome').map((x) => toEvent(x, h, now));
      // Odd-sized batches go through stage()/flush(), as the server and the simulation route them.
      const result = events.length % 2 === 1 ? stageAndFlush(h.router, events, now) : h.router.applyBatch(events, now);
      events.forEach((event, i) => {
        if (isArrival(event) && !result.errors.some((e) => e.index === i)) h.arrived.add(event.callId);
      });
      onDecisions?.(result.decisions);
      for (const d of result.decisions) expect(h.router.call(d.callId)).toMatchObject({ phase: 'reserved', agentId: d.agentId });
      checkAfterStep(h);
      continue;
    }
    const event = toEvent(s, h, now);
    const before = JSON.stringify(h.router.snapshot());
    const result = h.router.tryApply(event, now);
    if (result.ok) {
      if (isArrival(event)) h.arrived.add(event.callId);
      for (const d of result.decisions) expect(h.router.call(d.callId)).toMatchObject({ phase: 'reserved', agentId: d.agentId });
      onDecisions?.(result.decisions);
    } else {
      expect(result.error.message.length).toBeGreaterThan(5);
      expect(JSON.stringify(h.router.snapshot()), `refused ${result.error.code} changed state`).toBe(before);
      onDecisions?.(result.error.code);
    }
    checkAfterStep(h);
  }
}

function stageAndFlush(router: Router, events: unknown[], now: number): { decisions: Reservation[]; errors: Array<{ index: number }> } {
  const errors: Array<{ index: number }> = [];
  events.forEach((event, index) => {
    try {
      router.stage(event, now);
    } catch (error) {
      if (!(error instanceof RoutingError)) throw error;
      errors.push({ index });
    }
  });
  return { decisions: router.flush(now).decisions, errors };
}

function isArrival(event: unknown): event is { type: 'callArrived'; callId: string } {
  return typeof event === 'object' && event !== null && (event as { type?: unknown }).type === 'callArrived';
}

const configs: CreateRouterOptions[] = [
  { defaultQueue: { policy: 'predictive', baselineShare: 0.3, minProficiency: 2 } },
  { defaultQueue: { policy: 'longestIdle' }, onExpire: 'available', onReject: 'away' },
];

describe('routing engine properties', () => {
  it.each(configs.map((config, i) => [i, config] as const))('keeps every invariant after every step (config %i)', (_i, config) => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60, size: 'max' }), (steps) => {
        const h: Harness = { router: createRouter(config), arrived: new Set() };
        runSteps(h, steps, 0);
      }),
      { numRuns: 120, seed: 20_240_611 },
    );
  });

  it('a restored snapshot continues exactly like the original', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 2, maxLength: 50, size: 'max' }), fc.nat(), (steps, cutAt) => {
        const cut = 1 + (cutAt % (steps.length - 1));
        const config = configs[0] as CreateRouterOptions;
        const original: Harness = { router: createRouter(config), arrived: new Set() };
        runSteps(original, steps.slice(0, cut), 0);
        const restored: Harness = { router: createRouter(config), arrived: new Set(original.arrived) };
        restored.router.restore(JSON.parse(JSON.stringify(original.router.snapshot())));
        const seenA: unknown[] = [];
        const seenB: unknown[] = [];
        runSteps(original, steps.slice(cut), cut * 1000, (d) => seenA.push(d));
        runSteps(restored, steps.slice(cut), cut * 1000, (d) => seenB.push(d));
        expect(seenB).toEqual(seenA);
        expect(restored.router.snapshot()).toEqual(original.router.snapshot());
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});
