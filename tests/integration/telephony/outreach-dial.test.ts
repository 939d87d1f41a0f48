import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutreachTask } from '@shared/contract/server-socket';
import type { RunningServer } from '../../../src-server/routing-server';
import { verifyWebhookSignature, SIGNATURE_HEADER } from '../../../src-server/telephony/webhook/signature';
import { readyDesk, waitFor, type Desk } from '../routing/helpers';
import { freePort } from '../../support/server-process';
import { startServer } from '../../support/stack';

const SECRET = 'outreach-webhook-secret-0123456789abcdef';
const ZONES = ['Pacific/Kiritimati', 'Pacific/Auckland', 'Asia/Tokyo', 'Asia/Kolkata', 'Asia/Dubai', 'Europe/Moscow', 'Europe/Berlin', 'Europe/London', 'Atlantic/Azores', 'America/Sao_Paulo', 'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'Pacific/Honolulu', 'Pacific/Pago_Pago'];
const localHour = (zone: string): number => Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));

describe('outreach "Call now" through the webhook adapter', () => {
  let server: RunningServer;
  let remove: () => void;
  let receiver: Server;
  const received: Array<{ valid: boolean; body: Record<string, unknown> }> = [];
  let ava: Desk | null = null;

  beforeAll(async () => {
    const port = await freePort();
    receiver = createServer((request, response) => {
      let raw = '';
      request.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
      request.on('end', () => {
        received.push({ valid: verifyWebhookSignature(SECRET, request.headers[SIGNATURE_HEADER] as string, raw, Math.floor(Date.now() / 1000)), body: JSON.parse(raw) as Record<string, unknown> });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(port, '127.0.0.1', r));
    const asOf = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    ({ server, remove } = await startServer({
      demoCustomers: 60, demoAsOf: asOf, reservationTimeoutMs: 5000,
      outreach: { sweepMs: 150, refreshMs: 0, candidates: 20, taskTimeoutMs: 10_000 },
      telephony: { adapter: 'webhook', webhook: { url: `http://127.0.0.1:${port}/hook`, secret: SECRET, firstBackoffMs: 50 } },
    }));
    const inside = ZONES.find((z) => localHour(z) >= 10 && localHour(z) <= 18)!;
    const rows = await server.store.customersByValueAtRisk(20);
    await server.store.upsertCustomers(rows.map(({ customer, scores }) => ({ customer: { ...customer, language: 'en', timezone: inside, doNotCall: false }, scores, interactions: [] })));
  });
  afterAll(async () => {
    ava?.close();
    await server.close();
    remove();
    await new Promise((r) => receiver.close(r));
  });

  it('checks consent on the server at the moment of dialling: a customer who opted out is not called', async () => {
    ava = await readyDesk(server, 'ava');
    const task: OutreachTask = await waitFor(() => ava!.tasks.at(-1), 10_000);
    // The customer asks not to be called after the task was offered.
    const bundle = (await server.store.customerBundle(task.customerId))!;
    await server.store.upsertCustomers([{ customer: { ...bundle.customer, doNotCall: true }, scores: bundle.scores!, interactions: [] }]);
    const refused = await ava.emit('outreach:accept', { taskId: task.taskId });
    expect(refused).toMatchObject({ ok: false, error: 'out_of_order' });
    expect(String(refused.message)).toMatch(/do_not_call/);
    await new Promise((r) => setTimeout(r, 300));
    expect(received.filter((r) => r.body.type === 'dial')).toEqual([]);
  });

  it('dials through the adapter: the agent\'s phone, then the customer\'s number on record', async () => {
    const task: OutreachTask = await waitFor(() => ava!.tasks.find((t) => !received.some((r) => r.body.callId === t.taskId) && t.customerId !== ava!.tasks[0]!.customerId), 10_000);
    const accepted = await ava!.emit('outreach:accept', { taskId: task.taskId });
    expect(accepted.ok).toBe(true);
    const dial = await waitFor(() => received.find((r) => r.body.type === 'dial' && r.body.callId === accepted.callId), 5_000);
    const customer = (await server.store.customerBundle(task.customerId))!.customer;
    expect(dial.valid).toBe(true);
    expect(dial.body).toMatchObject({ agentId: ava!.agentId, agentUsername: 'ava', customerNumber: customer.phones[0] });
  });
});
