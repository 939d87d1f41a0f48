import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOffer } from '@shared/contract/server-socket';
import type { RunningServer } from '../../../src-server/routing-server';
import { callIdForSip } from '../../../src-server/telephony/sip/kamailio-adapter';
import { openDesk, type Desk, waitFor } from '../routing/helpers';
import { until } from '../../support/desktops';
import { BaresipUa, KamailioProcess, sipBinariesMissing } from '../../support/sip';
import { freePort } from '../../support/server-process';
import { startServer } from '../../support/stack';

const missing = sipBinariesMissing();
if (missing) console.warn(missing);

interface LineDesk extends Desk {
  lines: Array<{ callId: string; status: string; endedBy: string | null }>;
  endedBy: Array<{ callId: string; by?: string }>;
}

/** A desk that accepts every offer it gets and keeps what the phone line did. */
async function acceptingDesk(server: RunningServer, username: string, accept = true): Promise<LineDesk> {
  const desk = (await openDesk(server, username)) as LineDesk;
  desk.lines = [];
  desk.endedBy = [];
  desk.socket.on('call:line', (line: LineDesk['lines'][number]) => desk.lines.push(line));
  desk.socket.on('call:ended', (payload: { callId: string; by?: string }) => desk.endedBy.push(payload));
  if (accept) desk.socket.on('call:offered', (offer: CallOffer) => void desk.emit('call:accept', { callId: offer.call.id }));
  const ready = await desk.emit('presence:set', { presence: 'available' });
  if (ready.ok !== true) throw new Error(`${username} could not go ready: ${JSON.stringify(ready)}`);
  return desk;
}

describe.skipIf(missing !== null)('SIP calls through Kamailio, with baresip phones (real processes on loopback)', () => {
  let kamailio: KamailioProcess;
  let server: RunningServer;
  let remove: () => void;
  const uas: BaresipUa[] = [];
  const desks: Desk[] = [];

  beforeAll(async () => {
    const holdfastPort = await freePort();
    kamailio = await KamailioProcess.start({ ringMs: 3_000, holdfastPort });
    ({ server, remove } = await startServer({
      port: holdfastPort,
      telephony: { adapter: 'sip', ringTimeoutMs: 20_000, sip: { kamailioUrl: kamailio.url, domain: '127.0.0.1', healthMs: 200 } },
      routing: { onReject: 'away' },
    }));
    await waitFor(() => server.telephony.attached, 5_000);
  }, 60_000);

  afterAll(async () => {
    for (const desk of desks) desk.close();
    await Promise.all(uas.map((ua) => ua.stop()));
    await server?.close();
    remove?.();
    await kamailio?.stop();
  });

  async function ua(user: string, mode: 'auto' | 'never' | 'refuse' | 'caller'): Promise<BaresipUa> {
    const started = await BaresipUa.start(user, kamailio, mode);
    uas.push(started);
    return started;
  }

  it('connects a call to the phone of the agent the router chose; the caller hangs up and the agent is in wrap-up', async () => {
    const phone = await ua('ava', 'auto');
    const desk = await acceptingDesk(server, 'ava');
    desks.push(desk);
    const caller = await ua('caller101', 'caller');
    await caller.dial(`sip:7000@${kamailio.sipUri}`);
    const offer = await desk.offerOf(await waitFor(() => desk.offers.at(-1)?.call.id, 10_000), 10_000);
    expect(offer.call.callerNumber).toBe('caller101');
    await phone.waitFor((e) => e.type === 'CALL_ESTABLISHED', 10_000);
    await caller.waitFor((e) => e.type === 'CALL_ESTABLISHED', 10_000);
    const callId = offer.call.id;
    expect(phone.events.find((e) => e.type === 'CALL_ESTABLISHED')?.peeruri).toContain('caller101');
    await waitFor(() => desk.lines.find((l) => l.callId === callId && l.status === 'connected'), 5_000);
    expect(server.routing.router.call(callId)?.state).toBe('connected');

    await caller.hangup();
    await waitFor(() => desk.ended.includes(callId), 10_000);
    expect(desk.lines.find((l) => l.callId === callId && l.status === 'ended')?.endedBy).toBe('caller');
    expect(server.routing.router.call(callId)?.state).toBe('wrap_up');
    await phone.waitFor((e) => e.type === 'CALL_CLOSED', 10_000);
    desk.close();
    await phone.stop();
  }, 60_000);

  it('moves a call on when the chosen agent\'s phone does not answer, and marks a call abandoned when the caller hangs up in the queue', async () => {
    const silent = await ua('ben', 'never');
    const deskBen = await acceptingDesk(server, 'ben');
    desks.push(deskBen);
    const caller = await ua('caller202', 'caller');
    await caller.dial(`sip:7000@${kamailio.sipUri}`);
    const first = await waitFor(() => deskBen.offers.find((o) => o.call.callerNumber === 'caller202'), 10_000);
    await silent.waitFor((e) => e.type === 'CALL_INCOMING', 10_000);
    await waitFor(() => deskBen.lines.find((l) => l.callId === first.call.id && l.status === 'ringing'), 5_000);
    // Ben's phone rings out (3 s in this Kamailio): the call goes back to the queue and Ben is set away.
    await waitFor(() => deskBen.revoked.find((r) => r.callId === first.call.id && r.reason === 'no_answer'), 15_000);
    await waitFor(() => server.routing.router.call(first.call.id)?.state === 'queued', 5_000);
    expect(server.routing.router.presenceOf(deskBen.agentId).presence).toBe('away');

    // Nobody else is ready: the caller waits in the queue, hears ringing, then gives up.
    await caller.waitFor((e) => e.type === 'CALL_RINGING', 5_000);
    await caller.hangup();
    await waitFor(() => server.routing.router.call(first.call.id) === undefined, 10_000);
    // The record is written after the router lets the call go: read it until it says abandoned.
    await until(async () => (await server.store.callRecord(first.call.id))?.state === 'abandoned', 5_000, 'the call to be recorded abandoned');
    expect(callIdForSip('x')).toMatch(/^SIP-[0-9a-f]{24}$/);
  }, 60_000);

  it('abandons the calls a Kamailio that died was holding, shows the link down and up, and queues new calls after its restart', async () => {
    const held = await ua('caller303', 'caller');
    await held.dial(`sip:7000@${kamailio.sipUri}`);
    const heldCall = await waitFor(() => server.routing.router.queue().find((c) => c.callerNumber === 'caller303'), 10_000);
    expect(server.telephony.connected).toBe(true);

    await kamailio.kill();
    await waitFor(() => !server.telephony.connected, 5_000);
    await kamailio.start();
    await waitFor(() => server.telephony.connected, 5_000);
    // The new run has another boot id: the call the dead one held is abandoned, once.
    await until(async () => (await server.store.callRecord(heldCall.id))?.state === 'abandoned', 5_000, 'the held call to be abandoned');
    expect(server.routing.router.call(heldCall.id)).toBeUndefined();

    const after = await ua('caller304', 'caller');
    await after.dial(`sip:7000@${kamailio.sipUri}`);
    const next = await waitFor(() => server.routing.router.queue().find((c) => c.callerNumber === 'caller304'), 10_000);
    expect(next.id).not.toBe(heldCall.id);
    await after.hangup();
    await until(async () => (await server.store.callRecord(next.id))?.state === 'abandoned', 10_000, 'the new call to be abandoned');
  }, 60_000);

  it('abandons the calls a Kamailio holds once it has not answered for three seconds, even before it comes back', async () => {
    const held = await ua('caller305', 'caller');
    await held.dial(`sip:7000@${kamailio.sipUri}`);
    const heldCall = await waitFor(() => server.routing.router.queue().find((c) => c.callerNumber === 'caller305'), 10_000);
    await kamailio.kill();
    const downAt = Date.now();
    await until(async () => (await server.store.callRecord(heldCall.id))?.state === 'abandoned', 8_000, 'the held call to be abandoned');
    expect(Date.now() - downAt).toBeGreaterThanOrEqual(2_500);
    await kamailio.start();
    await waitFor(() => server.telephony.connected, 5_000);
  }, 60_000);
});
