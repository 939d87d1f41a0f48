import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutreachTask } from '@shared/contract/server-socket';
import type { RunningServer } from '../../../src-server/routing-server';
import { readyDesk, waitFor, wrapUp, type Desk } from '../routing/helpers';
import { BaresipUa, KamailioProcess, sipBinariesMissing } from '../../support/sip';
import { freePort } from '../../support/server-process';
import { startServer } from '../../support/stack';

const missing = sipBinariesMissing();
if (missing) console.warn(missing);

const ZONES = ['Pacific/Kiritimati', 'Pacific/Auckland', 'Asia/Tokyo', 'Asia/Kolkata', 'Asia/Dubai', 'Europe/Moscow', 'Europe/Berlin', 'Europe/London', 'Atlantic/Azores', 'America/Sao_Paulo', 'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'Pacific/Honolulu', 'Pacific/Pago_Pago'];
const localHour = (zone: string): number => Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
const dialable = (phone: string): string => phone.replace(/[\s().-]/g, '');

interface LineDesk extends Desk {
  lines: Array<{ callId: string; status: string; endedBy: string | null }>;
}

/**
 * Outreach "Call now" through the SIP adapter, with real processes: Kamailio,
 * the routing server placing the call itself (third-party call control), a
 * baresip phone for the agent and one for each customer called.
 */
describe.skipIf(missing !== null)('outreach "Call now" through Kamailio: the agent\'s phone rings, then the customer\'s', () => {
  let kamailio: KamailioProcess;
  let server: RunningServer;
  let remove: () => void;
  let desk: LineDesk;
  let agentPhone: BaresipUa;
  const uas: BaresipUa[] = [];

  beforeAll(async () => {
    const holdfastPort = await freePort();
    kamailio = await KamailioProcess.start({ ringMs: 6_000, holdfastPort });
    const asOf = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    ({ server, remove } = await startServer({
      port: holdfastPort, demoCustomers: 60, demoAsOf: asOf, reservationTimeoutMs: 5000,
      outreach: { sweepMs: 150, refreshMs: 0, candidates: 20, taskTimeoutMs: 30_000 },
      telephony: { adapter: 'sip', sip: { kamailioUrl: kamailio.url, domain: '127.0.0.1', proxy: kamailio.sipUri } },
    }));
    // Every customer inside calling hours now, so the tasks come.
    const inside = ZONES.find((z) => localHour(z) >= 10 && localHour(z) <= 18)!;
    const rows = await server.store.customersByValueAtRisk(20);
    await server.store.upsertCustomers(rows.map(({ customer, scores }) => ({ customer: { ...customer, language: 'en', timezone: inside, doNotCall: false }, scores, interactions: [] })));
    agentPhone = await BaresipUa.start('ava', kamailio, 'auto');
    uas.push(agentPhone);
    desk = (await readyDesk(server, 'ava')) as LineDesk;
    desk.lines = [];
    desk.socket.on('call:line', (line: LineDesk['lines'][number]) => desk.lines.push(line));
  }, 90_000);

  afterAll(async () => {
    desk?.close();
    await Promise.all(uas.map((ua) => ua.stop()));
    await server?.close();
    remove?.();
    await kamailio?.stop();
  });

  async function customerPhone(task: OutreachTask, mode: 'auto' | 'refuse'): Promise<BaresipUa> {
    const phone = (await server.store.customerBundle(task.customerId))!.customer.phones[0]!;
    const ua = await BaresipUa.start(dialable(phone), kamailio, mode);
    uas.push(ua);
    return ua;
  }

  it('checks consent on the server before anything is dialled: a customer who opted out gets no call, nor does the agent\'s phone ring', async () => {
    const task = await waitFor(() => desk.tasks.at(-1), 15_000);
    const customer = await customerPhone(task, 'auto');
    const bundle = (await server.store.customerBundle(task.customerId))!;
    await server.store.upsertCustomers([{ customer: { ...bundle.customer, doNotCall: true }, scores: bundle.scores!, interactions: [] }]);
    const refused = await desk.emit('outreach:accept', { taskId: task.taskId });
    expect(refused).toMatchObject({ ok: false, error: 'out_of_order' });
    expect(String(refused.message)).toMatch(/do_not_call/);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(agentPhone.events.filter((e) => e.type.startsWith('CALL_'))).toEqual([]);
    expect(customer.events.filter((e) => e.type.startsWith('CALL_'))).toEqual([]);
  }, 30_000);

  it('rings the agent\'s phone first, then the customer\'s; both connect; the customer\'s hang-up opens the wrap-up', async () => {
    const task = await waitFor(() => desk.tasks.find((t) => t.taskId !== desk.tasks[0]!.taskId), 15_000);
    const customer = await customerPhone(task, 'auto');
    const accepted = await desk.emit('outreach:accept', { taskId: task.taskId });
    expect(accepted.ok).toBe(true);
    const callId = String(accepted.callId);

    // The first thing each phone does with the call (an auto-answering phone reports no CALL_INCOMING).
    const agentRang = await agentPhone.waitFor((e) => e.type.startsWith('CALL_'), 10_000);
    const customerRang = await customer.waitFor((e) => e.type.startsWith('CALL_'), 10_000);
    expect(agentRang.at).toBeLessThan(customerRang.at);
    await agentPhone.waitFor((e) => e.type === 'CALL_ESTABLISHED', 10_000);
    await customer.waitFor((e) => e.type === 'CALL_ESTABLISHED', 10_000);
    await waitFor(() => desk.lines.find((l) => l.callId === callId && l.status === 'connected'), 5_000);
    // An auto-answering phone answers without ringing (no 180): "ringing" is shown only if it rang.
    expect(desk.lines.filter((l) => l.callId === callId).map((l) => l.status).filter((s) => s !== 'ringing')).toEqual(['connected']);
    expect(server.routing.router.call(callId)?.state).toBe('connected');

    await customer.hangup();
    await waitFor(() => desk.ended.includes(callId), 10_000);
    expect(desk.lines.find((l) => l.callId === callId && l.status === 'ended')?.endedBy).toBe('caller');
    expect(server.routing.router.call(callId)?.state).toBe('wrap_up');
    // The agent's leg is hung up by Holdfast.
    await agentPhone.waitFor((e) => e.type === 'CALL_CLOSED', 10_000);
    expect(agentPhone.count('CALL_ESTABLISHED')).toBe(1);
    expect(customer.count('CALL_ESTABLISHED')).toBe(1);
    expect((await desk.emit('wrapUp:submit', wrapUp(desk, callId, task.customerId, 'retained'))).ok).toBe(true);
  }, 60_000);

  it('ends the call and opens the wrap-up when the customer is busy; the agent\'s phone is hung up', async () => {
    const benPhone = await BaresipUa.start('ben', kamailio, 'auto');
    uas.push(benPhone);
    const ben = (await readyDesk(server, 'ben')) as LineDesk;
    ben.lines = [];
    ben.socket.on('call:line', (line: LineDesk['lines'][number]) => ben.lines.push(line));
    try {
      const task = await waitFor(() => ben.tasks.at(-1), 20_000);
      const customer = await customerPhone(task, 'refuse');
      const accepted = await ben.emit('outreach:accept', { taskId: task.taskId });
      expect(accepted.ok).toBe(true);
      const callId = String(accepted.callId);
      await customer.waitFor((e) => e.type === 'CALL_INCOMING', 10_000);
      await waitFor(() => ben.ended.includes(callId), 10_000);
      expect(ben.lines.find((l) => l.callId === callId && l.status === 'ended')?.endedBy).toBe('system');
      expect(server.routing.router.call(callId)?.state).toBe('wrap_up');
      // Ben's phone had answered (it was called first): Holdfast hangs it up.
      await benPhone.waitFor((e) => e.type === 'CALL_CLOSED', 10_000);
      expect(benPhone.count('CALL_ESTABLISHED')).toBe(1);
      expect(customer.count('CALL_ESTABLISHED')).toBe(0);
    } finally {
      ben.close();
    }
  }, 60_000);

  it('hangs up both phones when the agent ends the call on the desktop', async () => {
    const gracePhone = await BaresipUa.start('grace', kamailio, 'auto');
    uas.push(gracePhone);
    const grace = await readyDesk(server, 'grace');
    try {
      const task = await waitFor(() => grace.tasks.at(-1), 20_000);
      const customer = await customerPhone(task, 'auto');
      const accepted = await grace.emit('outreach:accept', { taskId: task.taskId });
      expect(accepted.ok).toBe(true);
      const callId = String(accepted.callId);
      await gracePhone.waitFor((e) => e.type === 'CALL_ESTABLISHED', 10_000);
      await customer.waitFor((e) => e.type === 'CALL_ESTABLISHED', 10_000);

      expect((await grace.emit('call:hangUp', { callId })).ok).toBe(true);
      await customer.waitFor((e) => e.type === 'CALL_CLOSED', 10_000);
      await gracePhone.waitFor((e) => e.type === 'CALL_CLOSED', 10_000);
      expect(server.routing.router.call(callId)?.state).toBe('wrap_up');
      expect(grace.ended).toEqual([callId]);
    } finally {
      grace.close();
    }
  }, 60_000);

  it('ends the call when the agent\'s own phone does not answer; the customer is never called', async () => {
    const silent = await BaresipUa.start('noa', kamailio, 'never');
    uas.push(silent);
    const noa = (await readyDesk(server, 'noa')) as LineDesk;
    noa.lines = [];
    noa.socket.on('call:line', (line: LineDesk['lines'][number]) => noa.lines.push(line));
    try {
      const task = await waitFor(() => noa.tasks.at(-1), 20_000);
      const customer = await customerPhone(task, 'auto');
      const accepted = await noa.emit('outreach:accept', { taskId: task.taskId });
      expect(accepted.ok).toBe(true);
      const callId = String(accepted.callId);
      await silent.waitFor((e) => e.type === 'CALL_INCOMING', 10_000);
      await waitFor(() => noa.lines.find((l) => l.callId === callId && l.status === 'ringing'), 5_000);
      // Kamailio's ring limit (6 s here) ends the agent's leg with 408: the call ends, the wrap-up records the attempt.
      await waitFor(() => noa.ended.includes(callId), 15_000);
      expect(noa.lines.find((l) => l.callId === callId && l.status === 'ended')?.endedBy).toBe('system');
      expect(customer.events.filter((e) => e.type.startsWith('CALL_'))).toEqual([]);
    } finally {
      noa.close();
    }
  }, 60_000);
});
