import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src-server/routing-server';
import { startServer } from '../../support/stack';
import { api, openDesk, sleep, waitFor, wrapUp, type Desk } from './helpers';

const AGENTS = ['ben', 'tom', 'grace', 'ava'] as const;
const REFUSALS = new Set(['unknown_call', 'out_of_order', 'duplicate_call', 'forbidden', 'invalid_payload', 'invalid_request', 'unknown_task', 'not_your_call', 'not_a_candidate']);

type Command =
  | { kind: 'connect' | 'disconnect' | 'ready' | 'away' | 'garbage'; agent: number }
  | { kind: 'post'; intent: 'general' | 'billing' | 'technical' | 'cancellation'; language: 'en' | 'es' | 'ru'; duplicate: boolean }
  | { kind: 'accept' | 'reject' | 'hangup' | 'wrapup'; agent: number; call: number }
  | { kind: 'end' | 'abandon'; call: number }
  | { kind: 'transfer'; call: number; skill: 'technical' | 'billing' | null }
  | { kind: 'sleep'; ms: number };

const agentIndex = fc.integer({ min: 0, max: AGENTS.length - 1 });
const callIndex = fc.nat({ max: 50 });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('connect' as const, 'ready' as const), agent: agentIndex }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('disconnect' as const, 'away' as const, 'garbage' as const), agent: agentIndex }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('post' as const), intent: fc.constantFrom('general' as const, 'general' as const, 'billing' as const, 'technical' as const, 'cancellation' as const), language: fc.constantFrom('en' as const, 'en' as const, 'en' as const, 'es' as const, 'ru' as const), duplicate: fc.integer({ min: 0, max: 6 }).map((n) => n === 0) }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constantFrom('accept' as const, 'accept' as const, 'accept' as const, 'reject' as const, 'hangup' as const, 'hangup' as const, 'wrapup' as const, 'wrapup' as const), agent: agentIndex, call: callIndex }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('end' as const, 'abandon' as const), call: callIndex }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('transfer' as const), call: callIndex, skill: fc.constantFrom('technical' as const, 'billing' as const, null) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sleep' as const), ms: fc.integer({ min: 0, max: 700 }) }) },
);

/**
 * Random HTTP and socket sequences against the real server. After every
 * step: the engine's own consistency checks hold, no agent holds two
 * reservations, no call is answered by two agents at once, a call is
 * answered, abandoned or still waiting (never connected without an answer,
 * never abandoned after one), and every refusal is a named 4xx error, never a crash.
 */
describe('routing invariants under random event sequences', () => {
  let server: RunningServer;
  let remove: () => void;
  let run = 0;

  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 30, reservationTimeoutMs: 600, outreach: { blended: false }, routing: { baselineShare: 0.3, onReject: 'available', onExpire: 'available' } }));
  });
  afterAll(async () => {
    await server.close();
    remove();
  });

  function check(answered: Map<string, string | null>, everAnswered: Set<string>, posted: string[]): void {
    const router = server.routing.router;
    expect(router.engine.checkInvariants()).toEqual([]);
    const held = new Map<string, number>();
    for (const r of router.engine.reservations()) held.set(r.agentId, (held.get(r.agentId) ?? 0) + 1);
    for (const [agentId, count] of held) expect(count, `agent ${agentId} reservations`).toBeLessThanOrEqual(1);
    const connectedTo = new Map<string, string>();
    for (const call of router.openCalls()) {
      if (call.state !== 'connected') continue;
      expect(connectedTo.has(call.agentId!), `agent ${call.agentId} on two calls`).toBe(false);
      connectedTo.set(call.agentId!, call.id);
    }
    for (const id of posted) {
      const open = router.call(id);
      const done = router.engine.call(id);
      const state = open?.state ?? (done?.phase === 'abandoned' ? 'abandoned' : done?.phase === 'ended' ? 'completed' : 'missing');
      expect(state, `call ${id}`).not.toBe('missing');
      if (state === 'connected' || state === 'wrap_up' || state === 'completed') expect(everAnswered.has(id), `call ${id} ${state} without an answer`).toBe(true);
      if (state === 'abandoned') expect(everAnswered.has(id), `call ${id} abandoned after an answer`).toBe(false);
      if (state === 'connected') expect(answered.get(id)).toBe(open!.agentId);
    }
  }

  it('holds after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 30, maxLength: 50 }), async (commands) => {
        run++;
        const desks = new Map<number, Desk>();
        const totals = { offers: 0, revoked: 0 };
        // Everyone starts connected and ready; the sequence takes it from there.
        for (const [index, username] of AGENTS.entries()) {
          const desk = await openDesk(server, username);
          await desk.emit('presence:set', { presence: 'available' });
          desks.set(index, desk);
        }
        const posted: string[] = [];
        const answered = new Map<string, string | null>();
        const everAnswered = new Set<string>();
        const refused = (answer: Record<string, unknown>): void => {
          if (answer.ok === false) expect(REFUSALS.has(String(answer.error)), JSON.stringify(answer)).toBe(true);
        };
        const pick = (n: number): string | undefined => (posted.length === 0 ? undefined : posted[n % posted.length]);
        try {
          for (const [step, c] of commands.entries()) {
            switch (c.kind) {
              case 'connect':
              case 'ready': {
                if (!desks.has(c.agent)) desks.set(c.agent, await openDesk(server, AGENTS[c.agent]!));
                // The server tells a new desktop where its agent stands (for the invariant check, not the test's model).
                if (c.kind === 'ready') refused(await desks.get(c.agent)!.emit('presence:set', { presence: 'available' }));
                break;
              }
              case 'away': {
                const desk = desks.get(c.agent);
                if (desk) refused(await desk.emit('presence:set', { presence: 'away' }));
                break;
              }
              case 'disconnect': {
                const desk = desks.get(c.agent);
                if (desk) {
                  totals.offers += desk.offers.length;
                  totals.revoked += desk.revoked.length;
                  desk.close();
                  desks.delete(c.agent);
                  await sleep(30);
                }
                break;
              }
              case 'garbage': {
                const desk = desks.get(c.agent);
                if (desk) expect((await desk.emit('call:accept', { callId: 42 })).error).toBe('invalid_payload');
                break;
              }
              case 'post': {
                const id = c.duplicate && posted.length > 0 ? posted[step % posted.length]! : `R${run}-${step}`;
                const response = await api(server, 'POST', '/api/calls', { callId: id, callerNumber: `+1212555${String(1000 + step).slice(-4)}`, language: c.language, intent: c.intent });
                if (c.duplicate && posted.includes(id)) expect(response).toMatchObject({ status: 409, body: { error: 'duplicate_call' } });
                else {
                  expect(response.status).toBe(201);
                  posted.push(id);
                }
                break;
              }
              case 'accept':
              case 'reject':
              case 'hangup':
              case 'wrapup': {
                // Mostly what the agent is expected to do next (answer their offer, hang up their call, wrap it up);
                // every fourth time anything at all, which must be refused cleanly.
                const router = server.routing.router;
                const expected: Array<{ agentId: string; callId: string }> =
                  c.kind === 'accept' || c.kind === 'reject'
                    ? router.engine.reservations()
                    : router.openCalls().filter((call) => call.state === (c.kind === 'hangup' ? 'connected' : 'wrap_up') && call.agentId).map((call) => ({ agentId: call.agentId!, callId: call.id }));
                const live = expected.filter((e) => [...desks.values()].some((d) => d.agentId === e.agentId));
                let desk = desks.get(c.agent);
                let callId = pick(c.call);
                if (c.call % 4 !== 0 && live.length > 0) {
                  const chosen = live[c.call % live.length]!;
                  desk = [...desks.values()].find((d) => d.agentId === chosen.agentId);
                  callId = chosen.callId;
                }
                if (!desk || !callId) break;
                const payload = c.kind === 'wrapup' ? wrapUp(desk, callId, 'C-unknown', 'churned') : { callId };
                const event = { accept: 'call:accept', reject: 'call:reject', hangup: 'call:hangUp', wrapup: 'wrapUp:submit' }[c.kind];
                const answer = await desk.emit(event, payload);
                refused(answer);
                if (c.kind === 'accept' && answer.ok === true) {
                  const holder = answered.get(callId);
                  expect(holder ?? null, `call ${callId} answered by ${desk.agentId} while with ${holder}`).toBeNull();
                  answered.set(callId, desk.agentId);
                  everAnswered.add(callId);
                }
                break;
              }
              case 'end':
              case 'abandon':
              case 'transfer': {
                const callId = pick(c.call);
                if (!callId) break;
                const body = c.kind === 'transfer' && c.skill ? { skill: c.skill } : {};
                const response = await api(server, 'POST', `/api/calls/${callId}/${c.kind}`, body);
                expect([200, 404, 409], JSON.stringify(response.body)).toContain(response.status);
                if (response.status !== 200) expect(REFUSALS.has(String(response.body.error))).toBe(true);
                break;
              }
              case 'sleep':
                await sleep(c.ms);
                break;
            }
            check(answered, everAnswered, posted);
            // An answer stands while the server has the call connected; then the call may be answered again (after a transfer).
            for (const id of answered.keys()) if (server.routing.router.call(id)?.state !== 'connected') answered.delete(id);
          }
        } finally {
          for (const desk of desks.values()) {
            totals.offers += desk.offers.length;
            totals.revoked += desk.revoked.length;
          }
          if (process.env.HOLDFAST_DEBUG_PROPERTY) process.stderr.write(`run ${run}: ${commands.length} steps, ${posted.length} calls, ${everAnswered.size} answered, ${totals.offers} offers, ${totals.revoked} revoked\n`);
          for (const call of server.routing.router.openCalls()) {
            if (call.state === 'connected') server.routing.endCall(call.id);
            else if (call.state === 'queued' || call.state === 'offered') server.routing.abandonCall(call.id);
          }
          for (const desk of desks.values()) desk.close();
          await waitFor(() => server.routing.router.engine.stats().agentsOnline === 0);
        }
      }),
      { numRuns: 5, seed: Number(process.env.HOLDFAST_PROPERTY_SEED ?? 20261123), endOnFailure: true },
    );
  });
});
