import { createServer, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallOffer } from '@shared/contract/server-socket';
import { startRoutingServer, type RunningServer } from '../../../src-server/routing-server';
import { DELIVERY_HEADER, SIGNATURE_HEADER, verifyWebhookSignature } from '../../../src-server/telephony/webhook/signature';
import { api, openDesk, type Desk, waitFor } from '../routing/helpers';
import { until } from '../../support/desktops';
import { freePort } from '../../support/server-process';
import { makeTempDir } from '../../support/temp-dir';

const SECRET = 'webhook-secret-for-tests-0123456789abcdef';

/**
 * A stand-in for a cloud platform's webhook endpoint, real HTTP on loopback:
 * it checks each signature, applies each delivery id once (answering the
 * call on the agent's "phone" through the events API), and can be told to
 * fail: refuse connections, answer 503, or apply a delivery and then lose
 * the acknowledgement (so the same delivery comes again).
 */
class Receiver {
  readonly seen: Array<{ id: string; valid: boolean; body: Record<string, unknown> }> = [];
  readonly applied = new Map<string, number>();
  failNext = 0;
  loseAckOnce = true;
  private server: Server | null = null;

  constructor(readonly port: number, private readonly holdfast: () => { url: string }) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/holdfast`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => { raw += chunk.toString('utf8'); });
      request.on('end', () => {
        const id = String(request.headers[DELIVERY_HEADER] ?? '');
        const valid = verifyWebhookSignature(SECRET, request.headers[SIGNATURE_HEADER] as string | undefined, raw, Math.floor(Date.now() / 1000));
        const body = JSON.parse(raw) as Record<string, unknown>;
        this.seen.push({ id, valid, body });
        if (!valid) return void response.writeHead(401).end();
        if (this.failNext > 0) {
          this.failNext--;
          return void response.writeHead(503).end();
        }
        const duplicate = [...this.applied.keys()].includes(id);
        if (!duplicate && body.type === 'assignment') {
          this.applied.set(id, (this.applied.get(id) ?? 0) + 1);
          // The platform rings the agent's phone, which answers.
          const callId = String(body.callId);
          void (async () => {
            await api(this.holdfast(), 'POST', `/api/calls/${callId}/events`, { type: 'ringing' });
            await api(this.holdfast(), 'POST', `/api/calls/${callId}/events`, { type: 'answered' });
          })().catch(() => undefined); // the server may be restarting: the test checks what arrived
        }
        if (!duplicate && this.loseAckOnce) {
          // Applied, but the acknowledgement is lost on the way back: the sender must try again.
          this.loseAckOnce = false;
          return void response.writeHead(500).end();
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  }
}

describe('webhook adapter against a real local HTTP receiver that fails, then recovers', () => {
  const dir = makeTempDir('webhook');
  let server: RunningServer;
  let receiver: Receiver;
  const desks: Desk[] = [];

  afterAll(async () => {
    for (const desk of desks) desk.close();
    await receiver?.stop();
    await server?.close();
    dir.remove();
  });

  async function start(port: number): Promise<RunningServer> {
    return startRoutingServer({
      port, dataDir: dir.path, demoCustomers: 200, demoAsOf: '2026-11-20', logLevel: 'silent',
      telephony: { adapter: 'webhook', webhook: { url: receiver.url, secret: SECRET, firstBackoffMs: 50, maxBackoffMs: 400 } },
    });
  }

  async function acceptingDesk(username: string): Promise<Desk & { lines: Array<{ callId: string; status: string }> }> {
    const desk = (await openDesk(server, username)) as Desk & { lines: Array<{ callId: string; status: string }> };
    desk.lines = [];
    desk.socket.on('call:line', (line: { callId: string; status: string }) => desk.lines.push(line));
    desk.socket.on('call:offered', (offer: CallOffer) => void desk.emit('call:accept', { callId: offer.call.id }).catch(() => undefined));
    await desk.emit('presence:set', { presence: 'available' });
    desks.push(desk);
    return desk;
  }

  it('delivers each assignment signed, retries until acknowledged, applies each once, and keeps undelivered ones across a restart', async () => {
    receiver = new Receiver(await freePort(), () => server);
    const port = await freePort();
    server = await start(port);
    await receiver.start();
    receiver.failNext = 3;
    const agents = await Promise.all(['ava', 'ben', 'grace'].map(acceptingDesk));

    const callIds = ['WH-1', 'WH-2', 'WH-3'];
    for (const [i, callId] of callIds.entries()) {
      const created = await api(server, 'POST', '/api/calls', { callId, callerNumber: `+1555000010${i}`, intent: 'general' });
      expect(created.status).toBe(201);
    }
    // Each call: offered, accepted, delivered (after 503s and one lost acknowledgement), and its phone answered.
    await waitFor(() => callIds.every((id) => server.routing.router.call(id)?.state === 'connected' && server.routing.router.phaseOf(id) === 'connected'), 20_000);
    await until(async () => (await server.store.pendingDeliveries()) === 0, 10_000, 'deliveries acknowledged');
    const assignments = receiver.seen.filter((s) => s.body.type === 'assignment');
    expect(assignments.every((s) => s.valid)).toBe(true);
    const byCall = new Map<string, Set<string>>();
    for (const s of assignments) byCall.set(String(s.body.callId), (byCall.get(String(s.body.callId)) ?? new Set()).add(s.id));
    // One delivery id per call, however many times it was sent; applied exactly once.
    expect([...byCall.keys()].sort()).toEqual(callIds);
    expect([...byCall.values()].every((ids) => ids.size === 1)).toBe(true);
    expect([...receiver.applied.values()]).toEqual([1, 1, 1]);
    expect(assignments.length).toBeGreaterThan(3); // the failures were retried
    // Each delivery names the agent the router chose.
    for (const s of assignments) expect(s.body.agentId).toBe(server.routing.router.call(String(s.body.callId))?.agentId);
    for (const desk of agents) {
      const mine = server.routing.router.openCalls().find((c) => c.agentId === desk.agentId);
      await waitFor(() => desk.lines.find((l) => l.callId === mine?.id && l.status === 'connected'), 5_000);
    }

    // The caller hangs up on one call: the agent is in wrap-up, told the caller ended it.
    const ended = await api(server, 'POST', '/api/calls/WH-1/events', { type: 'ended', by: 'caller' });
    expect(ended.body.state).toBe('wrap_up');
    // A bad event is refused with the problem named, and nothing changes.
    const bad = await api(server, 'POST', '/api/calls/WH-2/events', { type: 'teleported' });
    expect(bad.status).toBe(400);
    expect(server.routing.router.call('WH-2')?.state).toBe('connected');
    // WH-2 is transferred to a number outside Holdfast: it ends here, and its agent's desktop says so.
    const outAgent = agents.find((d) => d.agentId === server.routing.router.call('WH-2')?.agentId)!;
    const out = await api(server, 'POST', '/api/calls/WH-2/events', { type: 'transferred', to: 'out' });
    expect(out.body.state).toBe('wrap_up');
    await waitFor(() => outAgent.lines.find((l) => l.callId === 'WH-2' && l.status === 'transferred_out'), 5_000);
    expect((await api(server, 'POST', '/api/calls/WH-3/events', { type: 'transferred', to: 'sideways' })).status).toBe(400);

    // The receiver goes away; a new call is accepted meanwhile; the server restarts before it is delivered.
    await receiver.stop();
    const spare = await acceptingDesk('tom');
    const created = await api(server, 'POST', '/api/calls', { callId: 'WH-4', callerNumber: '+15550000199', intent: 'general' });
    expect(created.status).toBe(201);
    await waitFor(() => spare.offers.find((o) => o.call.id === 'WH-4'), 10_000);
    await until(async () => (await server.store.pendingDeliveries()) === 1, 5_000, 'the delivery queued');
    for (const desk of desks.splice(0)) desk.close();
    await server.close();
    server = await start(port);
    await receiver.start();
    await until(async () => (await server.store.pendingDeliveries()) === 0, 15_000, 'the delivery after the restart');
    const fourth = receiver.seen.filter((s) => s.body.type === 'assignment' && s.body.callId === 'WH-4');
    expect(new Set(fourth.map((s) => s.id)).size).toBe(1);
    expect([...receiver.applied.entries()].filter(([id]) => id === fourth[0]?.id).map(([, n]) => n)).toEqual([1]);
  }, 120_000);
});
