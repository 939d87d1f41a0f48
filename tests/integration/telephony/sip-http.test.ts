import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TELEPHONY_KEY } from '../../../src-server/config';
import type { RunningServer } from '../../../src-server/routing-server';
import { callIdForSip } from '../../../src-server/telephony/sip/kamailio-adapter';
import { KamailioClient } from '../../../src-server/telephony/sip/kamailio-client';
import { BaresipUa, KamailioProcess, sipBinariesMissing } from '../../support/sip';
import { freePort } from '../../support/server-process';
import { api, startServer } from '../../support/stack';

const EVENTS = '/api/telephony/sip/events';
const invite = (sipCallId: string, boot = 'boot-1') => ({ event: 'invite', sipCallId, tindex: 7, tlabel: 42, boot, from: '+15551230001', queue: '7000', intent: '', language: '' });

describe('SIP adapter over HTTP: the events route', () => {
  let server: RunningServer;
  let remove: () => void;

  beforeAll(async () => {
    // Kamailio is not running: the route is exercised on its own (decisions would go nowhere).
    ({ server, remove } = await startServer({ telephony: { adapter: 'sip', sip: { kamailioUrl: `http://127.0.0.1:${await freePort()}`, domain: '127.0.0.1', healthMs: 200 } } }));
  });
  afterAll(async () => {
    await server?.close();
    remove?.();
  });

  it('needs the telephony key, names what is wrong in a bad event, and queues a repeated invite once', async () => {
    expect((await api(server, 'POST', EVENTS, invite('c1@x'), '')).status).toBe(401);
    expect((await api(server, 'POST', EVENTS, invite('c1@x'), 'not-the-key-0123456789')).status).toBe(401);

    const bad = await api(server, 'POST', EVENTS, { ...invite('c1@x'), tindex: 'seven' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('tindex');
    const unknown = await api(server, 'POST', EVENTS, { event: 'ringing_loudly', sipCallId: 'c1@x', boot: 'b' });
    expect(unknown.status).toBe(400);

    expect((await api(server, 'POST', EVENTS, invite('c1@x'))).body).toEqual({ result: 'applied' });
    // Kamailio retries an event it got no answer to: the repeat changes nothing.
    expect((await api(server, 'POST', EVENTS, invite('c1@x'))).body).toEqual({ result: 'repeat' });
    const id = callIdForSip('c1@x');
    await expect.poll(() => server.routing.router.call(id)?.state, { timeout: 5_000 }).toBe('queued');
    expect(server.routing.router.queue().filter((c) => c.id === id)).toHaveLength(1);

    // The caller gives up: abandoned once; the repeat of the cancel is a call no longer held.
    expect((await api(server, 'POST', EVENTS, { event: 'cancel', sipCallId: 'c1@x', boot: 'boot-1' })).body).toEqual({ result: 'applied' });
    expect((await api(server, 'POST', EVENTS, { event: 'cancel', sipCallId: 'c1@x', boot: 'boot-1' })).body).toEqual({ result: 'ignored' });
    await expect.poll(async () => (await server.store.callRecord(id))?.state, { timeout: 5_000 }).toBe('abandoned');
  });

  it('abandons the calls a restarted Kamailio held (a new boot id in an event), not the new run\'s calls', async () => {
    await api(server, 'POST', EVENTS, invite('old@x', 'boot-A'));
    const old = callIdForSip('old@x');
    await expect.poll(() => server.routing.router.call(old)?.state, { timeout: 5_000 }).toBe('queued');
    await api(server, 'POST', EVENTS, invite('new@x', 'boot-B'));
    const fresh = callIdForSip('new@x');
    await expect.poll(async () => (await server.store.callRecord(old))?.state, { timeout: 5_000 }).toBe('abandoned');
    await expect.poll(() => server.routing.router.call(fresh)?.state, { timeout: 5_000 }).toBe('queued');
  });

  it('is refused when the SIP adapter is not on', async () => {
    const plain = await startServer({ demoCustomers: 40 });
    try {
      const refused = await api(plain.server, 'POST', EVENTS, invite('c2@x'));
      expect(refused.status).toBe(409);
      expect(String(refused.body.message)).toMatch(/HOLDFAST_TELEPHONY=sip/);
    } finally {
      await plain.server.close();
      plain.remove();
    }
  });
});

describe('SIP adapter over HTTP: decisions to Kamailio', () => {
  let receiver: Server;
  let port: number;
  const seen: Array<{ auth: string | undefined; body: Record<string, unknown> }> = [];
  let answers: number[] = [];

  beforeAll(async () => {
    port = await freePort();
    receiver = createServer((request, response) => {
      let raw = '';
      request.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
      request.on('end', () => {
        seen.push({ auth: request.headers.authorization, body: JSON.parse(raw) as Record<string, unknown> });
        response.writeHead(answers.shift() ?? 200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(port, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise((r) => receiver.close(r));
  });

  it('retries a decision with backoff while Kamailio fails, with the same id each time, and stops on gone or refused', async () => {
    const client = new KamailioClient({ baseUrl: `http://127.0.0.1:${port}`, key: 'k'.repeat(20), firstBackoffMs: 20 });
    answers = [503, 500];
    expect(await client.decide({ action: 'connect', tindex: 1, tlabel: 2, boot: 'b1', target: 'sip:ava@127.0.0.1' })).toBe('done');
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.body.id)).size).toBe(1);
    expect(seen[0]).toMatchObject({ auth: `Bearer ${'k'.repeat(20)}`, body: { action: 'connect', tindex: 1, tlabel: 2, boot: 'b1', target: 'sip:ava@127.0.0.1' } });
    answers = [410];
    expect(await client.decide({ action: 'reject', tindex: 1, tlabel: 2, boot: 'b1', code: 487 })).toBe('gone');
    answers = [401];
    expect(await client.decide({ action: 'reject', tindex: 1, tlabel: 2, boot: 'b1', code: 487 })).toBe('refused');
    expect(seen).toHaveLength(5);

    // Nothing listening: retried until the window closes.
    const nowhere = new KamailioClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, key: 'k'.repeat(20), firstBackoffMs: 20, retryForMs: 300 });
    const started = Date.now();
    expect(await nowhere.decide({ action: 'reject', tindex: 1, tlabel: 2, boot: 'b1', code: 480 })).toBe('unreachable');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100); // 20 + 40 + 80 ms of backoff, the next would pass the window
  });
});

const missing = sipBinariesMissing();

describe.skipIf(missing !== null)('SIP adapter over HTTP: Kamailio on its own', () => {
  it('refuses the caller at once (503) when Holdfast does not answer, and checks the key and the boot id of decisions', async () => {
    const kamailio = await KamailioProcess.start({ holdfastPort: await freePort() });
    const caller = await BaresipUa.start('caller900', kamailio, 'caller');
    try {
      await caller.dial(`sip:7000@${kamailio.sipUri}`);
      const closed = await caller.waitFor((e) => e.type === 'CALL_CLOSED', 10_000);
      expect(closed.param).toMatch(/^503/);

      const wrongKey = new KamailioClient({ baseUrl: kamailio.url, key: 'not-the-telephony-key' });
      expect(await wrongKey.health()).toBeNull();
      expect(await wrongKey.decide({ action: 'reject', tindex: 1, tlabel: 2, boot: 'b', code: 480 })).toBe('refused');
      const client = new KamailioClient({ baseUrl: kamailio.url, key: DEMO_TELEPHONY_KEY });
      const boot = await client.health();
      expect(boot).toMatch(/^\d+\.\d+-\d+$/);
      // A decision meant for another run of Kamailio never touches this run's transactions.
      expect(await client.decide({ action: 'reject', tindex: 1, tlabel: 2, boot: 'an-earlier-run', code: 480 })).toBe('gone');
      expect(await client.decide({ action: 'reject', tindex: 1, tlabel: 2, boot: boot!, code: 480 })).toBe('gone');
    } finally {
      await caller.stop();
      await kamailio.stop();
    }
  }, 30_000);
});
