import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOffer } from '@shared/contract/server-socket';
import type { RunningServer } from '../../../src-server/routing-server';
import { callIdForSip } from '../../../src-server/telephony/sip/kamailio-adapter';
import { openDesk, type Desk, waitFor } from '../routing/helpers';
import { freePort } from '../../support/server-process';
import { api, startServer } from '../../support/stack';

const EVENTS = '/api/telephony/sip/events';
const BOOT = 'boot-T';
const invite = (sipCallId: string, transferOf = '', tindex = 3) => ({ event: 'invite', sipCallId, tindex, tlabel: 9, boot: BOOT, from: `+1555000${sipCallId.length}`, queue: '7000', intent: '', language: '', transferOf });
const event = (name: string, sipCallId: string, more: Record<string, unknown> = {}) => ({ event: name, sipCallId, boot: BOOT, ...more });

interface LineDesk extends Desk {
  lines: Array<{ callId: string; status: string }>;
}

/**
 * Transfers as Kamailio reports them, in the orders phones send them, over
 * real HTTP: a stand-in for Kamailio's xhttp (health and decisions) and the
 * events route. baresip (sip-transfer.test.ts) hangs up the transferred leg
 * only after the caller is connected again; other phones hang up at once,
 * so the BYE can come before the caller's new INVITE, or instead of it.
 */
describe('SIP adapter: transfer events in every order', () => {
  let kamailio: Server;
  let server: RunningServer;
  let remove: () => void;
  const decisions: Array<Record<string, unknown>> = [];
  const desks: Desk[] = [];

  beforeAll(async () => {
    const port = await freePort();
    kamailio = createServer((request, response) => {
      let raw = '';
      request.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
      request.on('end', () => {
        if (request.url === '/holdfast/health') return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ boot: BOOT }));
        decisions.push(JSON.parse(raw) as Record<string, unknown>);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"result":"done"}');
      });
    });
    await new Promise<void>((r) => kamailio.listen(port, '127.0.0.1', r));
    ({ server, remove } = await startServer({
      telephony: { adapter: 'sip', sip: { kamailioUrl: `http://127.0.0.1:${port}`, domain: 'pbx.example.com', healthMs: 200, transferWaitMs: 1_000, queues: { 7000: {}, 7001: { language: 'ru' } } } },
    }));
    await waitFor(() => server.telephony.connected, 5_000);
  });

  afterAll(async () => {
    for (const desk of desks) desk.close();
    await server?.close();
    remove?.();
    await new Promise((r) => kamailio.close(r));
  });

  /** An agent ready on a desk that accepts every offer, keeping the phone line pushes. */
  async function agent(username: string): Promise<LineDesk> {
    const desk = (await openDesk(server, username)) as LineDesk;
    desks.push(desk);
    desk.lines = [];
    desk.socket.on('call:line', (line: LineDesk['lines'][number]) => desk.lines.push(line));
    desk.socket.on('call:offered', (offer: CallOffer) => void desk.emit('call:accept', { callId: offer.call.id }));
    expect((await desk.emit('presence:set', { presence: 'available' })).ok).toBe(true);
    return desk;
  }

  /** A call queued, accepted by the desk, sent to its phone (a decision to Kamailio) and answered there. */
  async function connected(sipCallId: string, desk: Desk): Promise<string> {
    expect((await api(server, 'POST', EVENTS, invite(sipCallId))).body).toEqual({ result: 'applied' });
    const id = callIdForSip(sipCallId);
    await desk.offerOf(id, 5_000);
    await waitFor(() => decisions.find((d) => d.action === 'connect' && String(d.target).startsWith(`sip:${desk.username}@`) && d.tindex === 3), 5_000);
    expect((await api(server, 'POST', EVENTS, event('agent_answered', sipCallId))).body).toEqual({ result: 'applied' });
    await expect.poll(() => server.routing.router.call(id)?.state, { timeout: 5_000 }).toBe('connected');
    decisions.length = 0;
    return id;
  }

  it('the agent\'s phone hangs up before the caller\'s new INVITE: the call is not ended, and the INVITE joins it (to the mapped language)', async () => {
    const ava = await agent('ava');
    const id = await connected('t1@x', ava);
    const refer = await api(server, 'POST', EVENTS, event('refer', 't1@x', { by: 'agent', referTo: '<sip:7001@pbx.example.com>' }));
    expect(refer.body).toEqual({ result: 'applied', transfer: 'queue' });
    // Kamailio retries an event it had no answer to: the same answer, applied once.
    expect((await api(server, 'POST', EVENTS, event('refer', 't1@x', { by: 'agent', referTo: '<sip:7001@pbx.example.com>' }))).body).toEqual({ result: 'repeat', transfer: 'queue' });

    expect((await api(server, 'POST', EVENTS, event('bye', 't1@x', { by: 'agent' }))).body).toEqual({ result: 'applied' });
    expect(server.routing.router.call(id)?.state).toBe('connected');
    expect(ava.ended).not.toContain(id);

    expect((await api(server, 'POST', EVENTS, invite('t1-follow@x', 't1@x', 4))).body).toEqual({ result: 'applied' });
    await expect.poll(() => server.routing.router.call(id)?.state, { timeout: 5_000 }).toBe('queued');
    expect(server.routing.router.call(id)?.language).toBe('ru');
    expect(server.routing.router.call(callIdForSip('t1-follow@x'))).toBeUndefined();
    await waitFor(() => ava.ended.includes(id), 5_000);
    await waitFor(() => ava.lines.find((l) => l.callId === id && l.status === 'transferred'), 5_000);
    // The old leg is no longer this call's: a late BYE on it changes nothing.
    expect((await api(server, 'POST', EVENTS, event('bye', 't1@x', { by: 'agent' }))).body).toEqual({ result: 'ignored' });
    expect(server.routing.router.queue().map((c) => c.id)).toEqual([id]);

    // The caller waits on the new leg and gives up there: the same call is abandoned.
    expect((await api(server, 'POST', EVENTS, event('cancel', 't1-follow@x'))).body).toEqual({ result: 'applied' });
    await expect.poll(async () => (await server.store.callRecord(id))?.state, { timeout: 5_000 }).toBe('abandoned');
    const reject = await waitFor(() => decisions.find((d) => d.action === 'reject'), 5_000);
    expect(reject).toMatchObject({ tindex: 4, tlabel: 9, code: 487 });
  });

  it('a caller who never follows the transfer: the call ends once the wait is over if its leg was hung up, else stays with the agent', async () => {
    const ben = await agent('ben');
    const gone = await connected('t2@x', ben);
    expect((await api(server, 'POST', EVENTS, event('refer', 't2@x', { by: 'agent', referTo: 'sip:7000@pbx.example.com' }))).body).toEqual({ result: 'applied', transfer: 'queue' });
    expect((await api(server, 'POST', EVENTS, event('bye', 't2@x', { by: 'caller' }))).body).toEqual({ result: 'applied' });
    expect(server.routing.router.call(gone)?.state).toBe('connected');
    await expect.poll(async () => (await server.store.callRecord(gone))?.state, { timeout: 5_000 }).toBe('wrap_up');
    expect(ben.ended).toContain(gone);
    expect(server.routing.router.queue()).toEqual([]);
    ben.close();

    const grace = await agent('grace');
    const stays = await connected('t3@x', grace);
    expect((await api(server, 'POST', EVENTS, event('refer', 't3@x', { by: 'agent', referTo: 'sip:7000@pbx.example.com' }))).body).toEqual({ result: 'applied', transfer: 'queue' });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(server.routing.router.call(stays)).toMatchObject({ state: 'connected', agentId: grace.agentId });
    // Too late: the transfer was given up, so this INVITE is a call of its own.
    expect((await api(server, 'POST', EVENTS, invite('t3-late@x', 't3@x'))).body).toEqual({ result: 'applied' });
    await expect.poll(() => server.routing.router.call(callIdForSip('t3-late@x'))?.state, { timeout: 5_000 }).toBe('queued');
    expect(server.routing.router.call(stays)?.state).toBe('connected');
    expect((await api(server, 'POST', EVENTS, event('cancel', 't3-late@x'))).body).toEqual({ result: 'applied' });
  });

  it('a transfer anywhere else ends the call here, transferred out; a REFER from the caller is not Holdfast\'s', async () => {
    const grace = desks.find((d) => d.username === 'grace') as LineDesk;
    const id = callIdForSip('t3@x');
    expect((await api(server, 'POST', EVENTS, event('refer', 't3@x', { by: 'caller', referTo: 'sip:7000@pbx.example.com' }))).body).toEqual({ result: 'ignored' });
    // The queue's number at another host is somewhere else too.
    expect((await api(server, 'POST', EVENTS, event('refer', 't3@x', { by: 'agent', referTo: 'sip:7000@other.example.net' }))).body).toEqual({ result: 'applied', transfer: 'out' });
    await expect.poll(async () => (await server.store.callRecord(id))?.state, { timeout: 5_000 }).toBe('wrap_up');
    await waitFor(() => grace.lines.find((l) => l.callId === id && l.status === 'transferred_out'), 5_000);
    expect(grace.ended).toContain(id);
    expect((await api(server, 'POST', EVENTS, event('refer', 't3@x', { by: 'agent', referTo: 'sip:7000@other.example.net' }))).body).toEqual({ result: 'repeat', transfer: 'out' });
    expect((await api(server, 'POST', EVENTS, event('bye', 't3@x', { by: 'agent' }))).body).toEqual({ result: 'ignored' });

    const bad = await api(server, 'POST', EVENTS, event('refer', 't3@x', { by: 'agent' }));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('referTo');
  });
});
