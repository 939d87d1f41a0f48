import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src-server/routing-server';
import { startDesktops, until } from '../../support/desktops';
import { BaresipUa, KamailioProcess, sipBinariesMissing } from '../../support/sip';
import { connectedAt, saveOpenWrapUp, seatAgents, type AgentSeat as Seat } from '../../support/sip-seats';
import { freePort } from '../../support/server-process';
import { startServer } from '../../support/stack';

const missing = sipBinariesMissing();
if (missing) console.warn(missing);

const AGENTS = ['ava', 'ben', 'grace'];

/**
 * The whole path with real processes: signed-in desktops (real desktop
 * backends), the routing server choosing the agent, Kamailio holding and
 * forwarding the calls, baresip as the callers and the agents' phones.
 */
describe.skipIf(missing !== null)('SIP end to end: desktops signed in, Kamailio, baresip callers and phones', () => {
  let kamailio: KamailioProcess;
  let server: RunningServer;
  let removeServer: () => void;
  let closeDesktops: () => Promise<void>;
  let seats: Seat[] = [];
  const callers: BaresipUa[] = [];

  beforeAll(async () => {
    const holdfastPort = await freePort();
    // Long enough for an auto-answering phone on a busy CI machine: a phone that rings out moves the call on, which this test does not expect.
    kamailio = await KamailioProcess.start({ ringMs: 10_000, holdfastPort });
    ({ server, remove: removeServer } = await startServer({ port: holdfastPort, telephony: { adapter: 'sip', sip: { kamailioUrl: kamailio.url, domain: '127.0.0.1' } } }));
    await until(() => server.telephony.attached, 5_000, 'the server to reach Kamailio');
    const desktops = await startDesktops(server.url, AGENTS);
    closeDesktops = desktops.close;
    seats = await seatAgents(server, kamailio, desktops.backends, AGENTS);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...callers, ...seats.map((s) => s.phone)].map((ua) => ua.stop()));
    await closeDesktops?.();
    await server?.close();
    removeServer?.();
    await kamailio?.stop();
  });

  async function caller(user: string): Promise<BaresipUa> {
    const ua = await BaresipUa.start(user, kamailio, 'caller');
    callers.push(ua);
    return ua;
  }

  /** The desktop that accepted this caller's call (as the router chose), and the call's id. */
  const acceptedBy = (callerUser: string) => connectedAt(seats, callerUser);

  async function restartPhones(which: Seat[]): Promise<void> {
    await Promise.all(which.map(async (seat) => {
      await seat.phone.stop();
      seat.phone = await BaresipUa.start(seat.username, kamailio, 'auto');
    }));
  }

  async function wrapUpAll(): Promise<void> {
    for (const seat of seats) await saveOpenWrapUp(seat);
  }

  it('connects every call to exactly the agent the router chose, marks abandoned calls abandoned, and opens each wrap-up when the caller hangs up', async () => {
    let connected = 0;
    let misrouted = 0;
    let wrapUpsOpenedByHangUp = 0;
    for (let round = 0; round < 2; round++) {
      const users = AGENTS.map((_, i) => `caller${round}${i}`);
      const uas = await Promise.all(users.map((u) => caller(u)));
      await Promise.all(uas.map((ua) => ua.dial(`sip:7000@${kamailio.sipUri}`)));
      await Promise.all(uas.map((ua) => ua.waitFor((e) => e.type === 'CALL_ESTABLISHED', 20_000)));
      for (const user of users) {
        const chosen = acceptedBy(user);
        const rangAt = seats.filter((s) => s.phone.events.some((e) => e.type === 'CALL_ESTABLISHED' && e.peeruri?.includes(`sip:${user}@`)));
        connected += 1;
        if (!chosen || rangAt.length !== 1 || rangAt[0] !== chosen.seat) misrouted += 1;
      }
      // Every agent is busy now: two more callers wait in the queue, hear ringing, and give up.
      const waiting = await Promise.all([`queue${round}a`, `queue${round}b`].map((u) => caller(u)));
      await Promise.all(waiting.map((ua) => ua.dial(`sip:7000@${kamailio.sipUri}`)));
      await Promise.all(waiting.map((ua) => ua.waitFor((e) => e.type === 'CALL_RINGING', 10_000)));
      await until(() => server.routing.router.queue().filter((c) => c.callerNumber.startsWith(`queue${round}`)).length === 2, 10_000, 'the waiting calls to queue');
      const waitingIds = server.routing.router.queue().filter((c) => c.callerNumber.startsWith(`queue${round}`)).map((c) => c.id);
      await Promise.all(waiting.map((ua) => ua.hangup()));
      await until(async () => (await Promise.all(waitingIds.map((id) => server.store.callRecord(id)))).every((r) => r?.state === 'abandoned'), 10_000, 'the waiting calls to be abandoned');

      // The callers hang up: each agent's desktop opens the wrap-up, saying the caller ended the call.
      await Promise.all(uas.map((ua) => ua.hangup()));
      for (const user of users) {
        const chosen = acceptedBy(user)!;
        await until(() => chosen.seat.states.some((s) => s.current?.pop.call.id === chosen.callId && s.current.phase === 'wrap_up'), 10_000, `${user}'s wrap-up`);
        const wrap = chosen.seat.states.find((s) => s.current?.pop.call.id === chosen.callId && s.current.phase === 'wrap_up');
        if (wrap?.current?.line?.endedBy === 'caller') wrapUpsOpenedByHangUp += 1;
      }
      await wrapUpAll();
      await until(() => server.routing.router.availableAgents().length === AGENTS.length, 10_000, 'agents free again');
    }
    expect({ connected, misrouted, wrapUpsOpenedByHangUp }).toEqual({ connected: 6, misrouted: 0, wrapUpsOpenedByHangUp: 6 });
  }, 180_000);

  it('survives Kamailio restarted mid-shift: the call in progress is not duplicated and still ends cleanly; new calls work', async () => {
    const before = await caller('restart1');
    await before.dial(`sip:7000@${kamailio.sipUri}`);
    await before.waitFor((e) => e.type === 'CALL_ESTABLISHED', 20_000);
    const chosen = acceptedBy('restart1')!;
    expect(chosen).toBeDefined();

    await kamailio.kill();
    await kamailio.start();
    // The new Kamailio knows no registrations: the idle phones register again (restarted here, as a phone
    // does at its next refresh). The phone on the call keeps its call. The server sees the new run at its next health check (or first event).
    await restartPhones(seats.filter((s) => s !== chosen.seat));
    await until(() => server.telephony.connected, 10_000, 'the server to reconnect to Kamailio');

    // The call that was up carries on: its BYE goes through the new Kamailio and ends it, once.
    await before.hangup();
    await until(() => chosen.seat.states.some((s) => s.current?.pop.call.id === chosen.callId && s.current.phase === 'wrap_up'), 10_000, 'the wrap-up after the restart');
    expect((await server.store.callRecord(chosen.callId))?.state).toBe('wrap_up');
    const sameCaller = server.routing.router.openCalls().filter((c) => c.callerNumber === 'restart1');
    expect(sameCaller.map((c) => c.id)).toEqual([chosen.callId]);
    await chosen.seat.phone.waitFor((e) => e.type === 'CALL_CLOSED', 10_000);
    await restartPhones([chosen.seat]);
    await wrapUpAll();
    await until(() => server.routing.router.availableAgents().length === AGENTS.length, 10_000, 'agents free again');

    const after = await caller('restart2');
    await after.dial(`sip:7000@${kamailio.sipUri}`);
    await after.waitFor((e) => e.type === 'CALL_ESTABLISHED', 20_000);
    const next = acceptedBy('restart2');
    expect(next).toBeDefined();
    expect(next!.seat.phone.events.some((e) => e.type === 'CALL_ESTABLISHED' && e.peeruri?.includes('sip:restart2@'))).toBe(true);
    await after.hangup();
  }, 120_000);
});
