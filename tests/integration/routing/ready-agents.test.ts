import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src-server/routing-server';
import { startServer } from '../../support/stack';
import { until } from '../../support/desktops';
import { api, login, openDesk, readyDesk, type Desk } from './helpers';

/**
 * GET /api/routing/ready: who would take a call now, as telephony (and the
 * demo simulator) may see them: ids, presence, and the languages and intents
 * routing gives each, by the engine's rules (queue minimum proficiency,
 * the intent's skills).
 */
describe('ready agents', () => {
  let server: RunningServer;
  let remove: () => void;
  const desks: Desk[] = [];

  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 120 }));
  });
  afterAll(async () => {
    desks.forEach((d) => d.close());
    await server.close();
    remove();
  });

  const ready = async () => {
    const response = await api(server, 'GET', '/api/routing/ready');
    expect(response.status).toBe(200);
    return response.body.agents as Array<Record<string, unknown>>;
  };

  it('lists nobody until an agent signed in says ready, then only what routing gives them', async () => {
    expect(await ready()).toEqual([]);
    const tom = await openDesk(server, 'tom');
    desks.push(tom);
    // Signed in but away: not ready.
    expect(await ready()).toEqual([]);
    expect((await tom.emit('presence:set', { presence: 'available' })).ok).toBe(true);
    // Tom speaks English only and has the billing skill: billing and general calls, nothing that needs retention or technical.
    expect(await ready()).toEqual([{ id: tom.agentId, presence: 'available', languages: [{ code: 'en', intents: ['billing', 'general'] }] }]);

    const noa = await readyDesk(server, 'noa');
    desks.push(noa);
    const listed = await ready();
    // Noa's Arabic (proficiency 2) is under the queues' minimum of 3: no Arabic calls for her.
    expect(listed.find((a) => a.id === noa.agentId)).toEqual({
      id: noa.agentId, presence: 'available',
      languages: [{ code: 'en', intents: ['technical', 'cancellation', 'plan_change', 'general'] }, { code: 'he', intents: ['technical', 'cancellation', 'plan_change', 'general'] }],
    });
    expect(JSON.stringify(listed)).not.toMatch(/Noa|Tom|username|displayName/);

    noa.close();
    // Gone: not ready any more.
    await until(async () => (await ready()).length === 1, 5000, 'Noa to leave the ready list');
  });

  it('is for telephony and supervisors only', async () => {
    expect((await api(server, 'GET', '/api/routing/ready', undefined, '')).status).toBe(401);
    expect((await api(server, 'GET', '/api/routing/ready', undefined, (await login(server, 'ava')).token)).status).toBe(403);
    expect((await api(server, 'GET', '/api/routing/ready', undefined, (await login(server, 'rachel')).token)).status).toBe(200);
  });

  it('samples demo callers of the languages asked for, and names a language it does not know', async () => {
    const response = await api(server, 'GET', '/api/demo/callers?count=30&language=he,ru');
    expect(response.status).toBe(200);
    const languages = new Set((response.body.callers as Array<{ language: string }>).map((c) => c.language));
    expect([...languages].every((l) => l === 'he' || l === 'ru')).toBe(true);
    const refused = await api(server, 'GET', '/api/demo/callers?language=en,xx');
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ field: 'language', message: expect.stringMatching(/unknown language in "en,xx"/) });
  });
});
