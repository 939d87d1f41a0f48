import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, ServerProcess } from '../../support/server-process';
import { makeTempDir } from '../../support/temp-dir';
import { api, openDesk, postCall, readyDesk, sleep, supervisorToken, waitFor, wrapUp, type Desk } from './helpers';

type AgentView = { id: string; username: string; capacity: number; learnt: Array<{ segment: string; calls: number; estimate: number }> };

/** The routing server as a real process, stopped and killed: queue, agents' profiles, learning and uplift survive. */
describe('router state survives a restart of the server process', () => {
  const dir = makeTempDir('routing-restart');
  let server: ServerProcess;
  const desks: Desk[] = [];

  afterAll(async () => {
    for (const desk of desks) desk.close();
    await server?.stop();
    dir.remove();
  });

  async function view(token: string) {
    const [state, agents, uplift] = await Promise.all([
      api(server, 'GET', '/api/supervisor/state', undefined, token),
      api(server, 'GET', '/api/agents', undefined, token),
      api(server, 'GET', '/api/supervisor/uplift', undefined, token),
    ]);
    const byName = new Map((agents.body.agents as AgentView[]).map((a) => [a.username, a]));
    return { queue: (state.body.queue as Array<{ id: string }>).map((c) => c.id), ben: byName.get('ben')!, olga: byName.get('olga')!, uplift: uplift.body };
  }

  async function retainedCall(desk: Desk, customerId: string, phone: string): Promise<void> {
    const callId = await postCall(server, { callerNumber: phone, language: 'en' });
    await desk.offerOf(callId);
    expect((await desk.emit('call:accept', { callId })).ok).toBe(true);
    expect((await desk.emit('call:hangUp', { callId })).ok).toBe(true);
    expect((await desk.emit('wrapUp:submit', wrapUp(desk, callId, customerId, 'retained'))).ok).toBe(true);
  }

  it('keeps the queue in order, capacities, learnt statistics and the uplift tallies across a clean stop and a kill -9', async () => {
    server = new ServerProcess(await freePort(), join(dir.path, 'server'), 60);
    await server.start();
    const supervisor = await supervisorToken(server);
    const customers = (await api(server, 'GET', '/api/outreach?limit=20', undefined, supervisor)).body.items as Array<{ customerId: string; phone: string | null; valueAtRisk: number }>;
    const withPhones = customers.filter((c) => c.phone);
    expect(withPhones.length).toBeGreaterThan(5);

    expect((await api(server, 'PATCH', '/api/agents/A014', { capacity: 3 }, supervisor)).status).toBe(200);
    const ben = await readyDesk(server, 'ben');
    desks.push(ben);
    await retainedCall(ben, withPhones[0]!.customerId, withPhones[0]!.phone!);
    ben.close();
    await sleep(200);
    // Nobody online: calls wait, the one with most value at risk first.
    const low = withPhones.at(-1)!;
    const high = withPhones[1]!;
    const lowCall = await postCall(server, { callerNumber: low.phone, language: 'en' });
    const highCall = await postCall(server, { callerNumber: high.phone, language: 'en' });

    const before = await view(supervisor);
    expect(before.queue).toEqual(high.valueAtRisk > low.valueAtRisk ? [highCall, lowCall] : [lowCall, highCall]);
    expect(before.ben.learnt.reduce((n, s) => n + s.calls, 0)).toBe(1);
    expect(before.olga.capacity).toBe(3);

    await server.stop();
    await server.start();
    const afterStop = await view(supervisor);
    expect(afterStop.queue).toEqual(before.queue);
    expect(afterStop.ben.learnt).toEqual(before.ben.learnt);
    expect(afterStop.olga.capacity).toBe(3);
    expect(afterStop.uplift).toEqual(before.uplift);

    // The restored queue is served: the first call in it goes to the first agent who is ready.
    const again = await readyDesk(server, 'ben');
    desks.push(again);
    const first = await waitFor(() => again.offers[0]);
    expect(first.call.id).toBe(before.queue[0]);
    await api(server, 'POST', `/api/calls/${before.queue[0]}/abandon`, {});
    await api(server, 'POST', `/api/calls/${before.queue[1]}/abandon`, {});
    await retainedCall(again, withPhones[2]!.customerId, withPhones[2]!.phone!);
    again.close();
    await sleep(200);
    const waiting = await postCall(server, { callerNumber: withPhones[3]!.phone, language: 'en' });
    const beforeKill = await view(supervisor);
    expect(beforeKill.ben.learnt.reduce((n, s) => n + s.calls, 0)).toBe(2);
    // Past the state's write delay, a crash loses nothing; a call that came in just before the crash
    // (in the store, maybe not yet in the saved state) is queued again from the store.
    await sleep(800);
    const late = await postCall(server, { callerNumber: withPhones[4]!.phone, language: 'en' });
    const queueAtCrash = (await view(supervisor)).queue;
    expect(new Set(queueAtCrash)).toEqual(new Set([waiting, late]));
    await server.kill();
    await server.start();
    const afterKill = await view(supervisor);
    expect(afterKill.queue).toEqual(queueAtCrash);
    expect(afterKill.ben.learnt).toEqual(beforeKill.ben.learnt);
    expect(afterKill.uplift).toEqual(beforeKill.uplift);
    const desk = await openDesk(server, 'ben');
    desks.push(desk);
    expect(desk.presence[0]).toBe('away');
  });
});
