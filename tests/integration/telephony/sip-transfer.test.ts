import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallState } from '@shared/contract/desktop-api';
import type { RunningServer } from '../../../src-server/routing-server';
import { startDesktops, until } from '../../support/desktops';
import { BaresipUa, KamailioProcess, sipBinariesMissing } from '../../support/sip';
import { connectedAt as connectedAmong, saveOpenWrapUp as wrapUp, seatAgents, type AgentSeat as Seat } from '../../support/sip-seats';
import { freePort } from '../../support/server-process';
import { startServer } from '../../support/stack';

const missing = sipBinariesMissing();
if (missing) console.warn(missing);

const AGENTS = ['ava', 'ben'];

/**
 * Blind transfers from an agent's SIP phone, with real processes: signed-in
 * desktops, the routing server, Kamailio and baresip (the caller, the agents'
 * phones, and a phone outside Holdfast). The agent's baresip sends the REFER;
 * the caller's baresip follows it with a new INVITE.
 */
describe.skipIf(missing !== null)('SIP transfers: an agent\'s phone transfers the caller (REFER), Kamailio and baresip', () => {
  let kamailio: KamailioProcess;
  let server: RunningServer;
  let removeServer: () => void;
  let closeDesktops: () => Promise<void>;
  let outside: BaresipUa;
  let seats: Seat[] = [];
  const callers: BaresipUa[] = [];

  beforeAll(async () => {
    const holdfastPort = await freePort();
    kamailio = await KamailioProcess.start({ ringMs: 4_000, holdfastPort });
    ({ server, remove: removeServer } = await startServer({
      port: holdfastPort,
      telephony: { adapter: 'sip', sip: { kamailioUrl: kamailio.url, domain: '127.0.0.1', healthMs: 200, queues: { '7000': {} } } },
    }));
    await until(() => server.telephony.attached, 5_000, 'the server to reach Kamailio');
    const desktops = await startDesktops(server.url, AGENTS);
    closeDesktops = desktops.close;
    seats = await seatAgents(server, kamailio, desktops.backends, AGENTS);
    // A phone registered at Kamailio that is no agent's: "somewhere else" for a transfer out.
    outside = await BaresipUa.start('9000', kamailio, 'auto');
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...callers, outside, ...seats.map((s) => s.phone)].filter(Boolean).map((ua) => ua.stop()));
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

  /** The seat whose desktop shows this caller's call connected, and the call's id. */
  const connectedAt = (callerUser: string, among: Seat[] = seats) => connectedAmong(among, callerUser);

  function shown(seat: Seat, callId: string, test: (current: NonNullable<CallState['current']>) => boolean): boolean {
    return seat.states.some((s) => s.current?.pop.call.id === callId && test(s.current));
  }

  async function connect(user: string): Promise<{ ua: BaresipUa; first: Seat; callId: string }> {
    const ua = await caller(user);
    await ua.dial(`sip:7000@${kamailio.sipUri}`);
    await ua.waitFor((e) => e.type === 'CALL_ESTABLISHED', 20_000);
    await until(() => connectedAt(user) !== undefined, 10_000, `${user}'s call on a desktop`);
    const { seat: first, callId } = connectedAt(user)!;
    await first.phone.waitFor((e) => e.type === 'CALL_ESTABLISHED' && (e.peeruri?.includes(`sip:${user}@`) ?? false), 10_000);
    return { ua, first, callId };
  }

  it('transfers the caller back to the queue: the same call goes to another agent, whose phone connects; the first agent is in wrap-up', async () => {
    const { ua, first, callId } = await connect('xfer1');
    const other = seats.find((s) => s !== first)!;
    const callerInvites = () => ua.events.filter((e) => e.type === 'CALL_OUTGOING' || e.type === 'CALL_RINGING').length;
    const invitesBefore = callerInvites();

    await first.phone.transfer(`sip:7000@${kamailio.sipUri}`);

    // The caller's baresip follows the REFER with a new INVITE to the queue; the router offers the same call to the other agent.
    await other.phone.waitFor((e) => e.type === 'CALL_ESTABLISHED' && (e.peeruri?.includes('sip:xfer1@') ?? false), 20_000);
    await until(() => shown(other, callId, (c) => c.phase === 'connected' && c.line?.status === 'connected'), 10_000, 'the other agent connected on the desktop');
    await until(() => shown(first, callId, (c) => c.phase === 'wrap_up' && c.line?.status === 'transferred'), 10_000, 'the first agent\'s wrap-up, saying the call was transferred');
    // The transferring phone hangs up its leg once the caller is connected again.
    await first.phone.waitFor((e) => e.type === 'CALL_CLOSED', 10_000);
    expect(callerInvites()).toBeGreaterThan(invitesBefore);

    const sameCaller = server.routing.router.openCalls().filter((c) => c.callerNumber === 'xfer1');
    expect(sameCaller.map((c) => ({ id: c.id, agentId: c.agentId, state: c.state }))).toEqual([{ id: callId, agentId: other.agentId, state: 'connected' }]);
    expect({ first: first.offered.filter((id) => id === callId).length, other: other.offered.filter((id) => id === callId).length }).toEqual({ first: 1, other: 1 });
    // The old leg's BYE (from the first agent's phone) did not end the call.
    expect(server.routing.router.call(callId)?.state).toBe('connected');

    // The caller hangs up on the second agent: their wrap-up opens, ended by the caller.
    await ua.hangup();
    await until(() => shown(other, callId, (c) => c.phase === 'wrap_up' && c.line?.endedBy === 'caller'), 10_000, 'the second agent\'s wrap-up');
    expect((await server.store.callRecord(callId))?.state).toBe('wrap_up');
    await wrapUp(first);
    await wrapUp(other);
    await until(() => server.routing.router.availableAgents().length === AGENTS.length, 10_000, 'agents free again');
    expect((await server.store.callRecord(callId))).toMatchObject({ state: 'completed', agentId: other.agentId });
    expect(server.routing.router.openCalls().filter((c) => c.callerNumber === 'xfer1')).toEqual([]);
  }, 120_000);

  it('transfers the caller to a phone outside Holdfast: the call ends here, transferred out, and the agent\'s wrap-up opens', async () => {
    const { ua, first, callId } = await connect('xfer2');
    const other = seats.find((s) => s !== first)!;
    const offeredToOther = other.offered.length;

    await first.phone.transfer(`sip:9000@${kamailio.sipUri}`);

    // Kamailio sends the caller's new INVITE to the outside phone, not into the queue.
    await outside.waitFor((e) => e.type === 'CALL_ESTABLISHED' && (e.peeruri?.includes('sip:xfer2@') ?? false), 20_000);
    await until(() => shown(first, callId, (c) => c.phase === 'wrap_up' && c.line?.status === 'transferred_out'), 10_000, 'the wrap-up, saying the call went out');
    expect((await server.store.callRecord(callId))?.state).toBe('wrap_up');
    expect(server.routing.router.openCalls().filter((c) => c.callerNumber === 'xfer2').map((c) => c.id)).toEqual([callId]);
    expect(server.routing.router.queue()).toEqual([]);
    expect(other.offered.length).toBe(offeredToOther);

    await ua.hangup();
    await outside.waitFor((e) => e.type === 'CALL_CLOSED', 10_000);
    await wrapUp(first);
    await until(() => server.routing.router.availableAgents().length === AGENTS.length, 10_000, 'agents free again');
    expect((await server.store.callRecord(callId))?.state).toBe('completed');
    expect(server.routing.router.openCalls()).toEqual([]);
  }, 120_000);

  it('takes a transfer token only from Kamailio itself: a made-up one is an ordinary call to the queue, never put through', async () => {
    const forger = await caller('forger');
    await forger.dial(`sip:9000@${kamailio.sipUri};hfxfer=3f1c0a52-0000-4000-8000-000000000000`);
    await forger.waitFor((e) => e.type === 'CALL_ESTABLISHED', 20_000);
    const taken = connectedAt('forger');
    expect(taken).toBeDefined();
    expect(outside.events.some((e) => e.peeruri?.includes('sip:forger@'))).toBe(false);
    await forger.hangup();
    await until(() => shown(taken!.seat, taken!.callId, (c) => c.phase === 'wrap_up'), 10_000, 'the wrap-up');
    await wrapUp(taken!.seat);
  }, 60_000);
});
